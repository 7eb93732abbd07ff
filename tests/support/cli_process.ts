/**
 * Runs the real CLI as a child process on the runtime the tests run on
 * (`deno run -A cli.ts`, `node cli.ts` or `bun cli.ts`).
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { RuntimeDetector } from "../../src/runtime/detect_runtime.ts";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The CLI entry. */
export const CLI = fileURLToPath(new URL("../../cli.ts", import.meta.url));

/** What a finished CLI process did. */
export interface CliResult {
  /** Exit status (signal exits are 128 + number). */
  code: number;
  /** Everything it wrote on stdout. */
  stdout: string;
  /** Everything it wrote on stderr. */
  stderr: string;
}

/** How to run the CLI. */
export interface CliOptions {
  /** Extra environment variables (the test's own environment is the base). */
  env?: Record<string, string | undefined>;
  /** Working directory (default: a neutral temporary directory is up to the caller). */
  cwd?: string;
  /** Text written to stdin, which is then closed. */
  input?: string;
}

/** The command and leading arguments that run `cli.ts` on this runtime. */
export function cliCommand(): string[] {
  const runtime = RuntimeDetector.detect();
  if (runtime === "deno") return [process.execPath, "run", "-A", CLI];
  return [process.execPath, CLI];
}

const NEUTRAL_ENV: Record<string, string | undefined> = {
  HF_TOKEN: undefined,
  HUGGING_FACE_HUB_TOKEN: undefined,
  HF_HUB_OFFLINE: undefined,
  HF_ENDPOINT: undefined,
  RKLLM_MODELS_DIR: undefined,
  RKLLM_MODELS_CONFIG: undefined,
  NO_COLOR: undefined,
  FORCE_COLOR: undefined,
  NODE_OPTIONS: undefined,
  NODE_TEST_CONTEXT: undefined,
  HF_HOME: "/nonexistent-hf-home",
};

function environment(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const merged: Record<string, string | undefined> = { ...process.env, ...NEUTRAL_ENV, ...extra };
  return Object.fromEntries(
    Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/**
 * Starts the CLI and answers the child process (for kill and race tests).
 *
 * @example
 * ```ts ignore
 * const child = startCli(["list"]);
 * ```
 */
export function startCli(args: string[], options: CliOptions = {}): ChildProcess {
  const [command, ...prefix] = cliCommand();
  const child = spawn(command, [...prefix, ...args], {
    cwd: options.cwd ?? ROOT,
    env: environment(options.env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  else child.stdin!.end();
  return child;
}

/** Collects a started process's output and exit status. */
export function finished(child: ChildProcess): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      resolve({
        code: code ?? (signal === "SIGKILL" ? 137 : signal === "SIGINT" ? 130 : 128),
        stdout,
        stderr,
      });
    });
  });
}

/**
 * Runs the CLI to completion.
 *
 * @example
 * ```ts ignore
 * const { code, stdout } = await runCli(["--version"]);
 * ```
 */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return finished(startCli(args, options));
}
