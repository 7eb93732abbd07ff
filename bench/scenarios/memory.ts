/**
 * Scenario 3: peak RSS of a small and a large download; memory must stay
 * flat as the file grows.
 *
 * @module
 */
import { type BenchContext, sizeLabel } from "../bench_context.ts";
import { type DownloadSample, measureDownloads, rereadList, summarize } from "../download_runs.ts";
import {
  DEFAULT_CONNECTIONS,
  DEFAULT_PARALLEL_THRESHOLD,
} from "../../src/download/download_file.ts";
import { planSegments } from "../../src/download/segment_plan.ts";
import type { HubProcess } from "../hub_control.ts";
import { median, runChecked } from "../measure.ts";
import { fixed, megabytes, type ScenarioReport, type TargetCheck } from "../report.ts";
import {
  ARIA2C,
  CURL,
  type DownloadTool,
  HF_DOWNLOAD_FILE,
  minimalDownload,
  neutralEnvironment,
  NPM_BUNDLE_NODE20,
  ourDownload,
  printedCommand,
  STANDALONE_X64,
} from "../tools.ts";

/** The RSS ceiling of the issue, bytes (MB = 10^6 bytes, the stricter reading). */
const RSS_LIMIT_BYTES = 80e6;
/** How much the large download's peak may exceed the small one's. */
const GROWTH_LIMIT = 1.05;

/**
 * Measures peak RSS (GNU time's maximum resident set size) of each tool for both sizes.
 *
 * @example
 * ```ts ignore
 * const report = await peakMemory(context, hub);
 * ```
 */
export async function peakMemory(context: BenchContext, hub: HubProcess): Promise<ScenarioReport> {
  const runs = Math.min(context.runs, 3);
  const small = context.files.memorySmall;
  const large = context.files.memoryLarge;
  const ours = context.runtimes.map((runtime) => ourDownload(runtime, context.connections));
  const binary = context.binaries.binary ? [STANDALONE_X64] : [];
  const bundle = context.binaries.bundle ? [NPM_BUNDLE_NODE20] : [];
  const tools = [
    ...ours,
    ...binary,
    ...bundle,
    ...context.runtimes.map(minimalDownload),
    ARIA2C,
    CURL,
    HF_DOWNLOAD_FILE,
  ];
  context.log(`scenario 3: peak RSS, ${sizeLabel(small.size)} and ${sizeLabel(large.size)}`);
  const smallSamples = await measureDownloads(context, {
    hub,
    file: small,
    tools,
    roundsOf: () => runs,
  });
  const largeSamples = await measureDownloads(context, {
    hub,
    file: large,
    tools,
    roundsOf: () => runs,
  });
  const idle = await idleFloors(context, tools, runs);
  const checks: TargetCheck[] = [];
  const rows = tools.map((tool) => {
    const smallSummary = summarize(smallSamples.get(tool) ?? [], small.size);
    const largeSummary = summarize(largeSamples.get(tool) ?? [], large.size);
    const growth = largeSummary.peakRssBytes / smallSummary.peakRssBytes;
    const subject = tool.subject;
    if (subject) {
      const peak = Math.max(smallSummary.peakRssBytes, largeSummary.peakRssBytes);
      checks.push({
        target: "peak RSS ≤ 80 MB",
        subject,
        measured: megabytes(peak),
        met: peak <= RSS_LIMIT_BYTES,
      });
      checks.push({
        target: `${sizeLabel(large.size)} peak ≤ 1.05× the ${sizeLabel(small.size)} one`,
        subject,
        measured: `${fixed(growth, 2)}×`,
        met: growth <= GROWTH_LIMIT,
      });
      checks.push(rereadCheck(smallSamples.get(tool) ?? [], small.size, subject));
    }
    const all = (samples: typeof smallSamples) =>
      (samples.get(tool) ?? []).map((sample) => fixed(sample.peakRssBytes / 1e6, 0)).join(" ");
    const floor = idle.get(tool);
    return [
      tool.label,
      floor === undefined ? "–" : megabytes(floor),
      megabytes(smallSummary.peakRssBytes),
      megabytes(largeSummary.peakRssBytes),
      `${fixed(growth, 2)}×`,
      fixed(smallSummary.megabytesPerSecond, 0),
      fixed(largeSummary.megabytesPerSecond, 0),
      `${rereadList(smallSamples.get(tool) ?? [])} / ${rereadList(largeSamples.get(tool) ?? [])}`,
      `${all(smallSamples)} / ${all(largeSamples)}`,
    ];
  });
  return {
    id: 3,
    title: `Peak RSS, ${sizeLabel(small.size)} and ${sizeLabel(large.size)} downloads`,
    setup: [
      `${runs} runs per tool and size, unthrottled server; peak RSS is GNU time's maximum ` +
      "resident set size (the kernel's `ru_maxrss` of the process), MB = 10^6 bytes",
      `server: \`${hub.commandLine}\``,
    ],
    commands: [
      hub.commandLine,
      ...ours.map((tool) => `/usr/bin/time -v ${printedCommand(tool, large)}`),
      ...(binary.length
        ? ["npm run build", `/usr/bin/time -v ${printedCommand(STANDALONE_X64, large)}`]
        : []),
      ...(bundle.length
        ? ["npm run build:cli", `/usr/bin/time -v ${printedCommand(NPM_BUNDLE_NODE20, large)}`]
        : []),
      "npm run bench -- --only 3",
    ],
    tables: [{
      headers: [
        "Tool",
        "Idle floor (`--version`)",
        `Peak RSS ${sizeLabel(small.size)}`,
        `Peak RSS ${sizeLabel(large.size)}`,
        "Large / small",
        `MB/s ${sizeLabel(small.size)}`,
        `MB/s ${sizeLabel(large.size)}`,
        "Re-read MiB after the last byte (runs, small / large)",
        "Runs (MB, small / large)",
      ],
      rows,
    }],
    checks,
    notes: [
      "idle floor: the peak RSS of the same command with `--version` instead of `download` " +
      `(median of ${runs}): the runtime and our CLI loaded, before any byte; the download's ` +
      "peak minus it is the engine's own share",
    ],
  };
}

/**
 * The idle floor of each of our tools: the median peak RSS of its `--version`.
 */
async function idleFloors(
  context: BenchContext,
  tools: DownloadTool[],
  runs: number,
): Promise<Map<DownloadTool, number>> {
  const floors = new Map<DownloadTool, number>();
  for (const tool of tools) {
    if (!tool.idleCommand) continue;
    const peaks: number[] = [];
    for (let run = 0; run < runs; run++) {
      const outcome = await runChecked(tool.idleCommand(context.binaries), {
        cwd: context.workDir,
        env: neutralEnvironment(),
      });
      peaks.push(outcome.peakRssBytes);
    }
    floors.set(tool, median(peaks));
  }
  return floors;
}

/**
 * Issue 19's hash target: in every run, what was left to read back and hash once the
 * last byte arrived is at most one piece of the file (the largest piece the engine plans).
 */
function rereadCheck(samples: DownloadSample[], size: number, subject: string): TargetCheck {
  const pieces = planSegments(size, {
    connections: DEFAULT_CONNECTIONS,
    parallelThreshold: DEFAULT_PARALLEL_THRESHOLD,
  });
  const piece = Math.max(...pieces.map((segment) => segment.end + 1 - segment.start));
  const worst = Math.max(...samples.map((sample) => sample.rereadBytes ?? Infinity));
  return {
    target: `re-read after the last byte of ${sizeLabel(size)} ≤ one piece (${
      fixed(piece / 2 ** 20, 1)
    } MiB), every run`,
    subject,
    measured: `${fixed(worst / 2 ** 20, 1)} MiB at most`,
    met: worst <= piece,
  };
}
