/**
 * Runs the real CLI as a child process on the runtime the tests run on
 * (`deno run -A cli.ts`, `node cli.ts` or `bun cli.ts`), and reads its JSON output.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RuntimeDetector } from "../../src/runtime/detect_runtime.ts";

/** The repository root. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The CLI entry. */
export const CLI = fileURLToPath(new URL("../../cli.ts", import.meta.url));

/** What a finished CLI process did. */
export interface CliResult {
  /** Exit status, as {@linkcode exitStatus} gives it for a signal. */
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
  /** How long the CLI may run before it is killed, failing {@linkcode finished}. */
  lifetimeMs?: number;
}

/**
 * How long a child process of a test may live: less than a test's timeout
 * (`tests/support/test_timeout.ts`), so that a hung child fails the test that waits for it with
 * its command line and output, rather than stalling the run.
 */
export const CHILD_LIFETIME_MS = 100_000;

/** What {@linkcode boundLifetime} knows of a child, to say why it ended. */
interface Lifetime {
  what: string;
  lifetimeMs: number;
  expired: boolean;
}
const lifetimes = new WeakMap<ChildProcess, Lifetime>();

/**
 * The command and leading arguments that run `cli.ts` on this runtime.
 *
 * @param options `quiet`: run Deno with `-q`, so that it writes nothing of its own.
 * @example
 * ```ts ignore
 * const [command, ...prefix] = cliCommand();
 * ```
 */
export function cliCommand(options: { quiet?: boolean } = {}): string[] {
  const runtime = RuntimeDetector.detect();
  if (runtime === "deno") {
    return [process.execPath, "run", ...(options.quiet ? ["-q"] : []), "-A", CLI];
  }
  return [process.execPath, CLI];
}

/**
 * This process's stand-in for the user's folders, removed when it exits: the neutral
 * environment's store, settings, Hugging Face home and device tree lie under it (only the store
 * is ever made), so two test runs side by side never share one.
 */
const NEUTRAL_HOME = mkdtempSync(join(tmpdir(), "rkllm-cli-home-"));
function removeNeutralHome(): void {
  rmSync(NEUTRAL_HOME, { recursive: true, force: true });
}
// Node and Bun emit `exit`; `deno test` emits only `unload`.
process.on("exit", removeNeutralHome);
globalThis.addEventListener?.("unload", removeNeutralHome);

const NEUTRAL_ENV: Record<string, string | undefined> = {
  HF_TOKEN: undefined,
  HUGGING_FACE_HUB_TOKEN: undefined,
  HF_TOKEN_PATH: undefined,
  HF_HUB_OFFLINE: undefined,
  HF_ENDPOINT: undefined,
  MODELSCOPE_ENDPOINT: undefined,
  MODELSCOPE_API_TOKEN: undefined,
  RKLLM_MODELS_DIR: undefined,
  RKLLM_MODELS_CONFIG: undefined,
  NO_COLOR: undefined,
  FORCE_COLOR: undefined,
  NODE_OPTIONS: undefined,
  NODE_TEST_CONTEXT: undefined,
  HF_HOME: join(NEUTRAL_HOME, "hf-home"),
  // Never the user's own store, settings or board: each test sets what it means.
  XDG_DATA_HOME: join(NEUTRAL_HOME, "data"),
  XDG_CONFIG_HOME: join(NEUTRAL_HOME, "config"),
  RKLLM_PLATFORM: undefined,
  RKLLM_CONNECTIONS: undefined,
  RKLLM_DEVICE_TREE: join(NEUTRAL_HOME, "device-tree"),
};

/**
 * The environment a CLI process gets: the test's own, without tokens, Hub and store
 * settings, colour settings or Node options, with `extra` added (`undefined` unsets).
 *
 * @example
 * ```ts ignore
 * const env = cliEnvironment({ HF_ENDPOINT: hub.endpoint });
 * ```
 */
export function cliEnvironment(
  extra: Record<string, string | undefined> = {},
): Record<string, string> {
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
    env: cliEnvironment(options.env),
    stdio: ["pipe", "pipe", "pipe"],
  });
  if (options.input !== undefined) child.stdin!.end(options.input);
  else child.stdin!.end();
  boundLifetime(child, `rkllm-models ${args.join(" ")}`, options.lifetimeMs);
  return child;
}

/**
 * Kills `child` with SIGKILL once it has run for `lifetimeMs`; {@linkcode finished} then rejects,
 * naming `what`. A child already bounded keeps its first bound.
 *
 * @example
 * ```ts ignore
 * boundLifetime(spawn("nginx", args), "nginx");
 * ```
 */
export function boundLifetime(
  child: ChildProcess,
  what: string,
  lifetimeMs: number = CHILD_LIFETIME_MS,
): void {
  if (lifetimes.has(child) || child.exitCode !== null || child.signalCode !== null) return;
  const lifetime: Lifetime = { what, lifetimeMs, expired: false };
  lifetimes.set(child, lifetime);
  const timer = setTimeout(() => {
    lifetime.expired = true;
    child.kill("SIGKILL");
  }, lifetimeMs);
  child.once("exit", () => clearTimeout(timer));
  child.once("error", () => clearTimeout(timer));
}

/**
 * A finished process's exit status: its exit code, or for a signal 137 (SIGKILL),
 * 130 (SIGINT), 143 (SIGTERM) or 128 (any other).
 *
 * @example
 * ```ts
 * exitStatus(null, "SIGKILL"); // 137
 * ```
 */
export function exitStatus(code: number | null, signal: string | null): number {
  const bySignal: Record<string, number> = { SIGKILL: 137, SIGINT: 130, SIGTERM: 143 };
  return code ?? bySignal[signal ?? ""] ?? 128;
}

/**
 * Collects a started process's output and exit status; rejects when the process outlived its
 * bound ({@linkcode boundLifetime}, which applies the default bound to a child not yet bounded).
 */
export function finished(child: ChildProcess): Promise<CliResult> {
  boundLifetime(child, child.spawnargs.join(" "));
  let stdout = "";
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (text: string) => (stdout += text));
  child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const lifetime = lifetimes.get(child);
      if (lifetime?.expired) {
        reject(
          new Error(
            `${lifetime.what} was still running after ${lifetime.lifetimeMs} ms and was killed; ` +
              `its stdout:\n${stdout}\nits stderr:\n${stderr}`,
          ),
        );
      } else resolve({ code: exitStatus(code, signal), stdout, stderr });
    });
  });
}

const execFileAsync = promisify(execFile);

/**
 * Runs `file` with `args` to completion like `execFile`, killed after {@linkcode CHILD_LIFETIME_MS}
 * (the rejection then names the command); rejects on a non-zero exit as `execFile` does.
 *
 * @example
 * ```ts ignore
 * const { stdout } = await runCommand("tar", ["-tzf", tarball]);
 * ```
 */
export function runCommand(
  file: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; maxBuffer?: number } = {},
): Promise<{ stdout: string; stderr: string }> {
  return execFileAsync(file, args, {
    ...options,
    encoding: "utf8",
    timeout: CHILD_LIFETIME_MS,
    killSignal: "SIGKILL",
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

/**
 * Parses output that must be one JSON document, failing the test with the text when it is not.
 *
 * @example
 * ```ts ignore
 * const model = parseJson((await runCli(["info", "Qwen2.5", "--json"])).stdout);
 * ```
 */
// deno-lint-ignore no-explicit-any
export function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    assert.fail(`not one JSON document:\n${text}`);
  }
}

/**
 * Parses output that must be one JSON document a line (NDJSON), skipping empty lines.
 *
 * @example
 * ```ts ignore
 * const events = parseNdjson((await runCli(["download", id, "--progress=json"])).stderr);
 * ```
 */
// deno-lint-ignore no-explicit-any
export function parseNdjson(text: string): any[] {
  return text.split("\n").filter(Boolean).map(parseJson);
}

/** The first line a child (`serve`) prints on stdout; rejects when it exits before one. */
export function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    child.stdout!.on("data", (chunk) => {
      text += chunk;
      if (text.includes("\n")) resolve(text.split("\n")[0]);
    });
    child.once("exit", () => reject(new Error(`serve exited before it was ready: ${text}`)));
  });
}
