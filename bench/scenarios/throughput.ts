/**
 * Scenarios 1 and 2: download throughput against curl, aria2c and
 * `@huggingface/hub`, unthrottled and with the server capping each connection.
 *
 * @module
 */
import { type BenchContext, CAPPED_BYTES_PER_SECOND, sizeLabel } from "../bench_context.ts";
import {
  type DownloadSamples,
  measureDownloads,
  pairedSpeedup,
  rereadList,
  runList,
  summarize,
} from "../download_runs.ts";
import type { HubProcess, LargeFile } from "../hub_control.ts";
import { fixed, megabytes, type ScenarioReport, type Table, type TargetCheck } from "../report.ts";
import {
  ARIA2C,
  ARIA2C_CHECKED,
  CURL,
  type DownloadTool,
  HF_DOWNLOAD_FILE,
  minimalDownload,
  NPM_BUNDLE_NODE20,
  ourDownload,
  printedCommand,
} from "../tools.ts";

/** A column comparing each tool with a reference tool. */
interface Comparison {
  header: string;
  reference: DownloadTool;
}

/**
 * A throughput table: one row per tool with its median time, MB/s, peak RSS and
 * paired speed-ups against the references.
 *
 * @example
 * ```ts ignore
 * const table = throughputTable(samples, file, [{ header: "× aria2c", reference: ARIA2C }]);
 * ```
 */
export function throughputTable(
  samples: DownloadSamples,
  file: LargeFile,
  comparisons: Comparison[],
  caption?: string,
): Table {
  const rows = [...samples.entries()].map(([tool, runs]) => {
    const summary = summarize(runs, file.size);
    return [
      tool.label,
      fixed(summary.seconds, 2),
      fixed(summary.megabytesPerSecond, 0),
      ...comparisons.map((comparison) =>
        comparison.reference === tool
          ? "1"
          : fixed(pairedSpeedup(runs, samples.get(comparison.reference)), 2)
      ),
      megabytes(summary.peakRssBytes),
      `${fixed(summary.cpuSeconds, 2)} / ${fixed(summary.serverCpuSeconds, 2)}`,
      rereadList(runs),
      runList(runs),
    ];
  });
  return {
    caption,
    headers: [
      "Tool",
      "Median s",
      "MB/s",
      ...comparisons.map((comparison) => comparison.header),
      "Peak RSS",
      "CPU s (tool / server)",
      "Re-read MiB (runs)",
      "Runs (s)",
    ],
    rows,
  };
}

function serverLine(hub: HubProcess, file: LargeFile): string {
  return `server (its own Node process): \`${hub.commandLine}\`; \`$HUB\` is the endpoint it prints, ` +
    `\`$CDN_URL\` the signed URL its 302 for \`${file.repo}/resolve/main/${file.file}\` points to ` +
    "(curl and aria2c get it directly, their best case; our CLI and `downloadFile` start from the " +
    "Hub API as users do); `$SHA256` is the file's LFS oid from the tree API; `$DIR` an empty " +
    "directory";
}

/**
 * The target check "≥ minimum× aria2c" for one of our tools, from runs paired by round.
 *
 * @example
 * ```ts ignore
 * const check = againstAria2c(samples, { tool: ours[0], minimum: 0.9 });
 * ```
 */
export function againstAria2c(
  samples: DownloadSamples,
  options: { tool: DownloadTool; minimum: number },
): TargetCheck {
  const { tool, minimum } = options;
  const ratio = pairedSpeedup(samples.get(tool), samples.get(ARIA2C));
  return {
    target: `≥ ${minimum}× aria2c`,
    subject: tool.subject ?? tool.label,
    measured: `${fixed(ratio, 2)}×`,
    met: ratio >= minimum,
  };
}

/**
 * Scenario 1: an unthrottled loopback download.
 *
 * @example
 * ```ts ignore
 * const report = await unthrottledThroughput(context, hub);
 * ```
 */
export async function unthrottledThroughput(
  context: BenchContext,
  hub: HubProcess,
): Promise<ScenarioReport> {
  const file = context.files.throughput;
  const ours = [
    ...context.runtimes.map((runtime) => ourDownload(runtime, context.connections)),
    ...(context.binaries.bundle ? [NPM_BUNDLE_NODE20] : []),
  ];
  const floors = context.runtimes.map(minimalDownload);
  const tools = [...ours, ARIA2C, ARIA2C_CHECKED, CURL, HF_DOWNLOAD_FILE, ...floors];
  context.log(`scenario 1: ${sizeLabel(file.size)} unthrottled`);
  const samples = await measureDownloads(context, { hub, file, tools });
  // Issue 19: Node 24 and the npm bundle on Node 20 at 0.95×, the other runtimes at 1.0×.
  const onNode = (tool: DownloadTool) => tool.subject === "node" || tool.subject === "node20";
  const checks = ours.map((tool) =>
    againstAria2c(samples, { tool, minimum: onNode(tool) ? 0.95 : 1.0 })
  );
  return {
    id: 1,
    title: `${sizeLabel(file.size)} download, unthrottled loopback`,
    setup: [
      `one ${sizeLabel(file.size)} file, ${context.runs} runs per tool`,
      serverLine(hub, file),
      "time is the whole process, start-up and (for our CLI) the Hub API calls and the SHA-256 check included",
    ],
    commands: [
      hub.commandLine,
      ...tools.map((tool) => printedCommand(tool, file)),
      `npm run bench -- --only 1`,
    ],
    tables: [
      throughputTable(samples, file, [
        { header: "× aria2c", reference: ARIA2C },
        { header: "× aria2c + SHA-256", reference: ARIA2C_CHECKED },
        { header: "× curl", reference: CURL },
      ]),
    ],
    checks,
    notes: [],
  };
}

/**
 * Scenario 2: every connection capped by the server, like a CDN's per-flow limit.
 *
 * @example
 * ```ts ignore
 * const report = await cappedThroughput(context, cappedHub);
 * ```
 */
export async function cappedThroughput(
  context: BenchContext,
  hub: HubProcess,
): Promise<ScenarioReport> {
  const file = context.files.capped;
  const parallel = context.runtimes.map((runtime) => ourDownload(runtime, context.connections));
  const single = context.runtimes.map((runtime) => ourDownload(runtime, 1));
  const tools = [...parallel, ARIA2C, ...single, CURL];
  const singleRuns = Math.min(context.runs, 3);
  const isSingle = (tool: DownloadTool) => tool === CURL || single.includes(tool);
  context.log(
    `scenario 2: ${sizeLabel(file.size)} at ${CAPPED_BYTES_PER_SECOND / 1e6} MB/s per connection`,
  );
  const samples = await measureDownloads(context, {
    hub,
    file,
    tools,
    roundsOf: (tool) => isSingle(tool) ? singleRuns : context.runs,
  });
  const checks: TargetCheck[] = [];
  parallel.forEach((tool, index) => {
    const subject = tool.subject ?? tool.label;
    checks.push(againstAria2c(samples, { tool, minimum: 1.0 }));
    const overCurl = pairedSpeedup(samples.get(tool), samples.get(CURL));
    const overOwn = pairedSpeedup(samples.get(tool), samples.get(single[index]));
    const worst = Math.min(overCurl, overOwn);
    checks.push({
      target: "≥ 4× a single stream",
      subject,
      measured: `${fixed(overCurl, 1)}× curl, ${fixed(overOwn, 1)}× own --connections 1`,
      met: worst >= 4,
    });
  });
  return {
    id: 2,
    title: `${sizeLabel(file.size)} download, server capping each connection at ${
      CAPPED_BYTES_PER_SECOND / 1e6
    } MB/s`,
    setup: [
      `one ${sizeLabel(file.size)} file (not 1 GiB: a single stream at ${
        CAPPED_BYTES_PER_SECOND / 1e6
      } MB/s needs ${
        fixed(file.size / CAPPED_BYTES_PER_SECOND, 0)
      } s per run already); ${context.runs} runs per parallel tool, ${singleRuns} per single stream`,
      serverLine(hub, file),
      `the cap is per connection, so 8 connections can reach ${
        8 * CAPPED_BYTES_PER_SECOND / 1e6
      } MB/s and a single stream ${CAPPED_BYTES_PER_SECOND / 1e6} MB/s`,
    ],
    commands: [
      hub.commandLine,
      ...tools.map((tool) => printedCommand(tool, file)),
      `npm run bench -- --only 2`,
    ],
    tables: [
      throughputTable(samples, file, [
        { header: "× aria2c", reference: ARIA2C },
        { header: "× curl", reference: CURL },
      ]),
    ],
    checks,
    notes: [],
  };
}

/**
 * Scenario 7 (supplementary): our CLI with 1 to 16 connections, unthrottled and capped,
 * to choose the default connection count.
 *
 * @example
 * ```ts ignore
 * const report = await connectionSweep(context, hub, cappedHub);
 * ```
 */
export async function connectionSweep(
  context: BenchContext,
  hub: HubProcess,
  cappedHub: HubProcess,
): Promise<ScenarioReport> {
  const runs = Math.min(context.runs, 3);
  const tables: Table[] = [];
  const commands: string[] = [];
  const sweeps = [
    { server: hub, file: context.files.throughput, counts: [1, 2, 4, 8, 16], label: "unthrottled" },
    {
      server: cappedHub,
      file: context.files.capped,
      counts: [4, 8, 16],
      label: `capped at ${CAPPED_BYTES_PER_SECOND / 1e6} MB/s per connection`,
    },
  ];
  for (const sweep of sweeps) {
    context.log(`scenario 7: --connections sweep, ${sweep.label}`);
    const tools = context.runtimes.flatMap((runtime) =>
      sweep.counts.map((count) => ourDownload(runtime, count))
    );
    const samples = await measureDownloads(context, {
      hub: sweep.server,
      file: sweep.file,
      tools,
      roundsOf: () => runs,
    });
    tables.push(
      throughputTable(samples, sweep.file, [], `${sizeLabel(sweep.file.size)}, ${sweep.label}:`),
    );
    commands.push(
      sweep.server.commandLine,
      printedCommand(ourDownload("node", 16), sweep.file),
    );
  }
  commands.push("npm run bench -- --only 7");
  return {
    id: 7,
    title: "Connection count (supplementary, for the default of `--connections`)",
    setup: [
      `our CLI only, ${runs} runs per setting; the servers and files of scenarios 1 and 2`,
    ],
    commands,
    tables,
    checks: [],
    notes: [],
  };
}
