/**
 * Runs the real CLI under a pseudo-terminal, with `script -qfec` from
 * util-linux, so that stdin, stdout and stderr are all terminals: for the
 * behaviour that only shows on a terminal (live bars, numbered prompts).
 * Typed input is written to `script`'s stdin, which feeds the terminal.
 *
 * @module
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cliCommand, cliEnvironment, exitStatus, ROOT } from "./cli_process.ts";

/** How to run the CLI under a terminal. */
export interface PtyOptions {
  /** Extra environment variables (the test's own environment is the base). */
  env?: Record<string, string | undefined>;
  /** Working directory (default: the repository root). */
  cwd?: string;
  /** Terminal width (default 100). */
  columns?: number;
  /** Terminal height (default 30). */
  rows?: number;
  /** Kill the process if it runs longer than this (default 60 000 ms), so a hang fails. */
  timeoutMs?: number;
}

/** What the terminal showed when the CLI ended. */
export interface PtyResult {
  /** Exit status, as {@linkcode exitStatus} gives it for a signal. */
  code: number;
  /** Everything the terminal received, escapes and `\r\n` included (stdout and stderr mixed). */
  raw: string;
  /** `raw` without ANSI escapes and with `\n` line ends. */
  text: string;
}

/** A CLI process running under a terminal. */
export interface PtySession {
  /** Everything the terminal received so far. */
  raw(): string;
  /**
   * Resolves once the output after the previous match matches `pattern`; rejects after
   * `timeoutMs` or when the process ends first.
   */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Ends the process (and `script`) with SIGKILL. */
  kill(): void;
  /** Types text at the terminal, e.g. `"2\n"`. */
  type(text: string): void;
  /** Resolves when the process has ended. */
  done: Promise<PtyResult>;
}

/** Matches one ANSI escape sequence (CSI, OSC, or a two-byte escape). */
// deno-lint-ignore no-control-regex
export const ANSI_ESCAPE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07]*(?:\x07|\x1b\\)|[@-Z\\-_])/g;

/**
 * Removes ANSI escapes and turns `\r\n` into `\n`.
 *
 * @example
 * ```ts
 * stripAnsi("\x1b[31merror:\x1b[0m x\r\n"); // "error: x\n"
 * ```
 */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_ESCAPE, "").replace(/\r\n/g, "\n");
}

/** Whether `script` from util-linux is available to give the CLI a terminal. */
export function hasScript(): boolean {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Starts the CLI under a terminal of the given size.
 *
 * @example
 * ```ts ignore
 * const session = startInPty(["download", "owner/name"]);
 * await session.waitFor(/Download which one/);
 * session.type("2\n");
 * const { code, text } = await session.done;
 * ```
 */
export function startInPty(args: string[], options: PtyOptions = {}): PtySession {
  // Deno runs with -q: on a terminal of known size its module loader otherwise clears a
  // progress line of its own (`ESC[0G ESC[2K ESC[J`), even with TERM=dumb, before the CLI
  // writes anything.
  const command = [...cliCommand({ quiet: true }), ...args].map(shellQuote).join(" ");
  const size = `stty cols ${options.columns ?? 100} rows ${options.rows ?? 30} 2>/dev/null`;
  const child: ChildProcess = spawn("script", ["-qfec", `${size}; exec ${command}`, "/dev/null"], {
    cwd: options.cwd ?? ROOT,
    env: cliEnvironment({ TERM: "xterm-256color", SHELL: "/bin/sh", ...options.env }),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let raw = "";
  let ended = false;
  let consumed = 0;
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding("utf8").on("data", (text: string) => {
    raw += text;
    listeners.forEach((listener) => listener());
  });
  child.stderr!.setEncoding("utf8").on("data", (text: string) => {
    raw += text;
  });
  const deadline = setTimeout(() => {
    raw += `\n[pty: killed after ${options.timeoutMs ?? 60_000} ms]\n`;
    child.kill("SIGKILL");
  }, options.timeoutMs ?? 60_000);
  const done = new Promise<PtyResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(deadline);
      ended = true;
      listeners.forEach((listener) => listener());
      child.stdin!.destroy();
      resolve({ code: exitStatus(code, signal), raw, text: stripAnsi(raw) });
    });
  });
  return {
    raw: () => raw,
    type(text) {
      child.stdin!.write(text);
    },
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          const rest = stripAnsi(raw).slice(consumed);
          const match = pattern.exec(rest);
          if (match) {
            consumed += match.index + match[0].length;
            finish();
          } else if (ended) finish(new Error(`the CLI ended before showing ${pattern}:\n${raw}`));
        };
        const timer = setTimeout(
          () => finish(new Error(`no ${pattern} within ${timeoutMs} ms:\n${raw}`)),
          timeoutMs,
        );
        const finish = (error?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve();
        };
        listeners.add(check);
        check();
      });
    },
    kill() {
      if (!ended) child.kill("SIGKILL");
    },
    done,
  };
}

/**
 * Runs the CLI under a terminal to the end, answering prompts as they appear.
 *
 * @example
 * ```ts ignore
 * const { code, text } = await runInPty(["clean"], { answers: [[/\[y\/N\]/, "y\n"]] });
 * ```
 */
export async function runInPty(
  args: string[],
  options: PtyOptions & { answers?: [RegExp, string][] } = {},
): Promise<PtyResult> {
  const session = startInPty(args, options);
  try {
    for (const [prompt, answer] of options.answers ?? []) {
      await session.waitFor(prompt);
      session.type(answer);
    }
  } catch (error) {
    session.kill();
    throw error;
  }
  return await session.done;
}
