/**
 * Running one measured process: wall time seen by the parent, peak RSS from
 * `/usr/bin/time` (the kernel's `ru_maxrss`, exact, unlike polling), and the
 * statistics the report is built from.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import process from "node:process";

/** The GNU `time` binary used for peak RSS (Debian package `time`). */
export const GNU_TIME = "/usr/bin/time";

/** What one measured process did. */
export interface RunOutcome {
  /** Wall-clock seconds from spawn to exit, as the parent saw them. */
  seconds: number;
  /** Peak resident set size in bytes (0 when not measured). */
  peakRssBytes: number;
  /** User plus system CPU seconds of the process (0 when not measured). */
  cpuSeconds: number;
  /** Exit status (128 + signal number for a signal). */
  exitCode: number;
  /** What it wrote on stdout. */
  stdout: string;
  /** What it wrote on stderr. */
  stderr: string;
}

/** How to run a measured process. */
export interface RunOptions {
  /** Working directory. */
  cwd?: string;
  /** The whole environment of the child. */
  env?: Record<string, string>;
  /** Measure peak RSS through `/usr/bin/time` (default true). */
  measureRss?: boolean;
}

const SIGNALS: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/**
 * Runs `command` to completion and measures it.
 *
 * @example
 * ```ts ignore
 * const outcome = await runMeasured(["sha256sum", "/tmp/file"]);
 * console.log(outcome.seconds, outcome.peakRssBytes);
 * ```
 */
export async function runMeasured(
  command: string[],
  options: RunOptions = {},
): Promise<RunOutcome> {
  const measureRss = options.measureRss ?? true;
  const scratch = measureRss ? mkdtempSync(join(tmpdir(), "rkllm-bench-time-")) : "";
  const rssFile = join(scratch, "rss");
  const argv = measureRss ? [GNU_TIME, "-f", "%M %U %S", "-o", rssFile, ...command] : command;
  try {
    const started = performance.now();
    const child = spawn(argv[0], argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const exitCode = await new Promise<number>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", (code, signal) => {
        resolve(code ?? 128 + (SIGNALS[signal ?? ""] ?? 0));
      });
    });
    const seconds = (performance.now() - started) / 1000;
    await new Promise<void>((resolve) => {
      if (child.stdout.readableEnded && child.stderr.readableEnded) resolve();
      else child.on("close", () => resolve());
    });
    let peakRssBytes = 0;
    let cpuSeconds = 0;
    if (measureRss && existsSync(rssFile)) {
      // GNU time reports KiB; a child killed by a signal adds a "Command terminated" line first.
      const lines = readFileSync(rssFile, "utf8").trim().split("\n");
      const [rss, user, system] = lines[lines.length - 1].split(" ").map(Number);
      peakRssBytes = rss * 1024 || 0;
      cpuSeconds = (user || 0) + (system || 0);
    }
    return { seconds, peakRssBytes, cpuSeconds, exitCode, stdout, stderr };
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Runs `command` and throws, with its stderr, when it does not exit with 0.
 *
 * @example
 * ```ts ignore
 * await runChecked(["sync"]);
 * ```
 */
export async function runChecked(
  command: string[],
  options: RunOptions = {},
): Promise<RunOutcome> {
  const outcome = await runMeasured(command, options);
  if (outcome.exitCode !== 0) {
    throw new Error(
      `${command.join(" ")} exited with ${outcome.exitCode}:\n${outcome.stderr.slice(-2000)}`,
    );
  }
  return outcome;
}

/**
 * The median of the values (the mean of the middle two for an even count).
 *
 * @example
 * ```ts
 * median([3, 1, 2]); // 2
 * ```
 */
export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Megabytes (10^6 bytes) per second.
 *
 * @example
 * ```ts
 * megabytesPerSecond(2_000_000, 2); // 1
 * ```
 */
export function megabytesPerSecond(bytes: number, seconds: number): number {
  return bytes / 1e6 / seconds;
}

/**
 * Flushes dirty pages, so one run's writeback does not slow the next one down.
 *
 * @example
 * ```ts ignore
 * await settleDisk();
 * ```
 */
export async function settleDisk(): Promise<void> {
  await runMeasured(["sync"], { measureRss: false });
}

function cpuTimes(): { busy: number; total: number } {
  const fields = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1)
    .map(Number);
  const total = fields.reduce((sum, value) => sum + value, 0);
  // idle and iowait are the 4th and 5th fields.
  return { busy: total - fields[3] - (fields[4] ?? 0), total };
}

/**
 * The share of all CPU time spent busy over the next `ms` milliseconds (0 to 1).
 *
 * @example
 * ```ts ignore
 * const busy = await cpuBusyShare(300);
 * ```
 */
export async function cpuBusyShare(ms = 300): Promise<number> {
  const before = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = cpuTimes();
  const total = after.total - before.total;
  return total > 0 ? (after.busy - before.busy) / total : 0;
}

/** The background CPU load seen before each round, for the report. */
export const backgroundLoad: number[] = [];

/**
 * Waits until other processes leave the CPUs mostly idle (other engineers' test runs
 * would otherwise distort the figures), for at most `maxWaitMs`; records the load seen.
 *
 * @example
 * ```ts ignore
 * await waitForQuietCpu(console.error);
 * ```
 */
export async function waitForQuietCpu(
  log: (message: string) => void,
  options: { threshold?: number; maxWaitMs?: number } = {},
): Promise<number> {
  const threshold = options.threshold ?? 0.1;
  // RKLLM_BENCH_QUIET_WAIT_S shortens the wait on a machine that is never quiet (shared).
  const patience = Number(process.env.RKLLM_BENCH_QUIET_WAIT_S ?? 90) * 1000;
  const deadline = Date.now() + (options.maxWaitMs ?? patience);
  let busy = await cpuBusyShare();
  let told = false;
  while (busy > threshold && Date.now() < deadline) {
    if (!told) log(`  waiting for the CPUs to calm down (${Math.round(busy * 100)} % busy)`);
    told = true;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    busy = await cpuBusyShare();
  }
  backgroundLoad.push(busy);
  return busy;
}
