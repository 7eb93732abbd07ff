/**
 * Measuring several download tools side by side: rounds in which every tool
 * downloads the same file once, in a rotating order, each into a fresh
 * directory that is deleted (and the disk settled) before the next run.
 *
 * @module
 */
import { mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import type { BenchContext } from "./bench_context.ts";
import { cdnUrl, type HubProcess, type LargeFile, statedSha256 } from "./hub_control.ts";
import { median, megabytesPerSecond, runMeasured, settleDisk, waitForQuietCpu } from "./measure.ts";
import { fixed, megabytes } from "./report.ts";
import { type DownloadTool, neutralEnvironment } from "./tools.ts";

/** One download run. */
export interface DownloadSample {
  /** Round it belongs to (0-based). */
  round: number;
  /** Wall seconds. */
  seconds: number;
  /** Peak RSS in bytes. */
  peakRssBytes: number;
  /** CPU seconds of the tool's process. */
  cpuSeconds: number;
  /** CPU seconds the emulator spent meanwhile. */
  serverCpuSeconds: number;
  /** Our CLI: bytes read back to hash after the last byte arrived (its `done` event). */
  rereadBytes?: number;
}

/** Samples per tool. */
export type DownloadSamples = Map<DownloadTool, DownloadSample[]>;

/** How to measure a set of tools. */
export interface DownloadRunOptions {
  /** The emulator serving the file. */
  hub: HubProcess;
  /** The file. */
  file: LargeFile;
  /** The tools. */
  tools: DownloadTool[];
  /** Rounds per tool (default: the context's run count). */
  roundsOf?: (tool: DownloadTool) => number;
  /** Prepares the server before each run (for example, one straggling connection). */
  beforeRun?: () => Promise<void>;
}

/**
 * Runs the rounds and answers the samples of each tool.
 *
 * @example
 * ```ts ignore
 * const samples = await measureDownloads(context, { hub, file, tools: [CURL, ARIA2C] });
 * ```
 */
export async function measureDownloads(
  context: BenchContext,
  options: DownloadRunOptions,
): Promise<DownloadSamples> {
  const roundsOf = options.roundsOf ?? (() => context.runs);
  const rounds = Math.max(...options.tools.map(roundsOf));
  const samples: DownloadSamples = new Map(options.tools.map((tool) => [tool, []]));
  const url = await cdnUrl(options.hub.endpoint, options.file);
  const sha256 = await statedSha256(options.hub.endpoint, options.file);
  for (let round = 0; round < rounds; round++) {
    const turn = options.tools.filter((tool) => roundsOf(tool) > round);
    const order = turn.map((_, index) => turn[(index + round) % turn.length]);
    for (const tool of order) {
      const sample = await downloadOnce(context, options, tool, { url, sha256 }, round);
      samples.get(tool)?.push(sample);
      context.log(
        `  round ${round + 1}/${rounds} ${tool.label}: ${fixed(sample.seconds, 2)} s, ${
          fixed(megabytesPerSecond(options.file.size, sample.seconds), 0)
        } MB/s, peak RSS ${megabytes(sample.peakRssBytes)}`,
      );
    }
  }
  return samples;
}

async function downloadOnce(
  context: BenchContext,
  options: DownloadRunOptions,
  tool: DownloadTool,
  remote: { url: string; sha256: string },
  round: number,
): Promise<DownloadSample> {
  const dir = join(context.workDir, "download");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const target = {
    endpoint: options.hub.endpoint,
    cdnUrl: remote.url,
    sha256: remote.sha256,
    file: options.file,
    dir,
  };
  await waitForQuietCpu(context.log);
  await options.beforeRun?.();
  try {
    const serverBefore = options.hub.cpuSeconds();
    const outcome = await runMeasured(tool.command(context.binaries, target), {
      cwd: context.workDir,
      env: neutralEnvironment(),
    });
    if (outcome.exitCode !== 0) {
      throw new Error(
        `${tool.label} exited with ${outcome.exitCode}:\n${outcome.stderr.slice(-2000)}`,
      );
    }
    const size = statSync(tool.outputPath(target)).size;
    if (size !== options.file.size) {
      throw new Error(`${tool.label} wrote ${size} bytes, not ${options.file.size}`);
    }
    return {
      round,
      seconds: outcome.seconds,
      peakRssBytes: outcome.peakRssBytes,
      cpuSeconds: outcome.cpuSeconds,
      serverCpuSeconds: options.hub.cpuSeconds() - serverBefore,
      rereadBytes: rereadOf(outcome.stderr),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await settleDisk();
  }
}

/** The `rereadBytes` of the last `done` event in our CLI's `--progress=json` output, if any. */
function rereadOf(events: string): number | undefined {
  const done = events.split("\n").filter((line) => line.includes('"event":"done"')).at(-1);
  const reread = done === undefined ? undefined : JSON.parse(done).rereadBytes;
  return typeof reread === "number" ? reread : undefined;
}

/**
 * The median over rounds of `reference seconds / tool seconds`: how many times faster the
 * tool is than the reference, from runs made back to back.
 *
 * @example
 * ```ts ignore
 * const ratio = pairedSpeedup(samples.get(ours), samples.get(ARIA2C));
 * ```
 */
export function pairedSpeedup(
  tool: DownloadSample[] | undefined,
  reference: DownloadSample[] | undefined,
): number {
  const ratios: number[] = [];
  for (const sample of tool ?? []) {
    const other = reference?.find((candidate) => candidate.round === sample.round);
    if (other) ratios.push(other.seconds / sample.seconds);
  }
  return median(ratios);
}

/**
 * Median seconds, throughput and peak RSS of a tool's samples.
 *
 * @example
 * ```ts ignore
 * const { megabytesPerSecond } = summarize(samples.get(CURL) ?? [], file.size);
 * ```
 */
export function summarize(
  samples: DownloadSample[],
  bytes: number,
): {
  seconds: number;
  megabytesPerSecond: number;
  peakRssBytes: number;
  cpuSeconds: number;
  serverCpuSeconds: number;
  rereadBytes?: number;
} {
  const seconds = median(samples.map((sample) => sample.seconds));
  const rereads = samples.flatMap((sample) => sample.rereadBytes ?? []);
  return {
    rereadBytes: rereads.length ? median(rereads) : undefined,
    seconds,
    megabytesPerSecond: megabytesPerSecond(bytes, seconds),
    peakRssBytes: median(samples.map((sample) => sample.peakRssBytes)),
    cpuSeconds: median(samples.map((sample) => sample.cpuSeconds)),
    serverCpuSeconds: median(samples.map((sample) => sample.serverCpuSeconds)),
  };
}

/**
 * The bytes our CLI read back after the last byte, in MiB per run, for a column:
 * "12 0 3"; "–" for a tool that does not say.
 *
 * @example
 * ```ts ignore
 * rereadList(samples); // "12 0 3"
 * ```
 */
export function rereadList(samples: DownloadSample[]): string {
  const rereads = samples.flatMap((sample) => sample.rereadBytes ?? []);
  return rereads.length ? rereads.map((bytes) => fixed(bytes / 2 ** 20, 0)).join(" ") : "–";
}

/**
 * The run times of the samples, for the "runs" column: "2.81 2.95 3.02".
 *
 * @example
 * ```ts ignore
 * runList(samples); // "2.81 2.95 3.02"
 * ```
 */
export function runList(samples: DownloadSample[]): string {
  return samples.map((sample) => fixed(sample.seconds, 2)).join(" ");
}
