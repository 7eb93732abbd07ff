/**
 * `npm run bench`: measures the CLI against curl, aria2c, `@huggingface/hub`
 * and sha256sum on the loopback Hub emulator and writes `BENCHMARKS.md`.
 *
 * ```sh
 * npm run bench                      # everything, writes BENCHMARKS.md (~25 min)
 * npm run bench -- --quick           # small files, 2 runs: a smoke check, printed only
 * npm run bench -- --only 1,4 --runtimes node --runs 3
 * npm run bench -- --only 1 --cli /tmp/variant/cli.ts --out /tmp/variant.md
 * ```
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, release, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import {
  type BenchContext,
  benchFiles,
  CAPPED_BYTES_PER_SECOND,
  FULL_SIZES,
  QUICK_SIZES,
} from "./bench_context.ts";
import { type HubProcess, type LargeFile, ROOT, startHubProcess } from "./hub_control.ts";
import { backgroundLoad, median, runChecked } from "./measure.ts";
import { renderReport, type ReportHeader, type ScenarioReport } from "./report.ts";
import { listLargeStore } from "./scenarios/list_store.ts";
import { listManyVariants } from "./scenarios/list_variants.ts";
import { peakMemory } from "./scenarios/memory.ts";
import { resumeAfterKill } from "./scenarios/resume.ts";
import {
  cappedThroughput,
  connectionSweep,
  unthrottledThroughput,
} from "./scenarios/throughput.ts";
import { stragglerThroughput } from "./scenarios/straggler.ts";
import { verifyLargeModel } from "./scenarios/verify_model.ts";
import { hasNginx, serveFanout } from "./scenarios/serve_fanout.ts";
import {
  cliCommand,
  localBinaries,
  missingPrerequisites,
  neutralEnvironment,
  type RuntimeName,
  RUNTIMES,
} from "./tools.ts";

const USAGE =
  `usage: node bench/main.ts [--quick] [--runs N] [--only 1,2,...] [--runtimes deno,node,bun]
                          [--connections N] [--cli PATH] [--out FILE]
  --quick        small files and 2 runs (a smoke check); prints the report instead of writing it
  --runs N       runs per measurement (default 5; some scenarios cap it at 3)
  --only LIST    scenarios to run: 1 throughput, 2 capped, 3 memory, 4 resume, 5 list, 6 verify,
                 7 connection sweep, 8 straggler, 9 serve fan-out vs nginx (needs nginx),
                 10 files and download over 20,000 variants
                 (default: all)
  --runtimes L   runtimes for our CLI (default deno,node,bun)
  --connections  --connections for our CLI in scenarios 1-4 (default: the CLI's own default)
  --cli PATH     measure another copy of cli.ts (an engine variant)
  --out FILE     where to write the report (default BENCHMARKS.md for a full default run,
                 otherwise stdout only)
environment: RKLLM_BENCH_QUIET_WAIT_S  how long to wait for idle CPUs before each run
                 (default 90 s; lower it on a machine that is never quiet)`;

const ALL_SCENARIOS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

interface Settings {
  quick: boolean;
  runs: number;
  only: number[];
  runtimes: RuntimeName[];
  connections?: number;
  cli?: string;
  out?: string;
}

function parseSettings(args: string[]): Settings {
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: "boolean" },
      runs: { type: "string" },
      only: { type: "string" },
      runtimes: { type: "string" },
      connections: { type: "string" },
      cli: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const quick = values.quick === true;
  const runs = Number(values.runs ?? (quick ? 2 : 5));
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`give --runs a whole number ≥ 1`);
  const only = values.only ? values.only.split(",").map(Number) : ALL_SCENARIOS;
  if (only.some((id) => !ALL_SCENARIOS.includes(id))) {
    throw new Error(`give --only scenario numbers among ${ALL_SCENARIOS}, not ${values.only}`);
  }
  const runtimes = (values.runtimes?.split(",") ?? [...RUNTIMES]) as RuntimeName[];
  if (runtimes.length === 0 || runtimes.some((name) => !RUNTIMES.includes(name))) {
    throw new Error(`give --runtimes a list of deno, node and bun, not ${values.runtimes}`);
  }
  const connections = values.connections === undefined ? undefined : Number(values.connections);
  if (connections !== undefined && !(Number.isInteger(connections) && connections >= 1)) {
    throw new Error(`give --connections a whole number ≥ 1`);
  }
  const partial = quick || values.only !== undefined || values.runtimes !== undefined ||
    values.cli !== undefined || values.connections !== undefined || values.runs !== undefined;
  return {
    quick,
    runs,
    only,
    runtimes,
    connections,
    cli: values.cli ? resolve(values.cli) : undefined,
    out: values.out ?? (partial ? undefined : join(ROOT, "BENCHMARKS.md")),
  };
}

function firstLine(command: string[]): string {
  try {
    return execFileSync(command[0], command.slice(1), { encoding: "utf8", stdio: "pipe" })
      .trim().split("\n")[0];
  } catch {
    return "unknown";
  }
}

function describeMachine(context: BenchContext): string[] {
  const cpuInfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /model name\s*:\s*(.+)/.exec(cpuInfo)?.[1] ?? cpus()[0]?.model ?? "unknown CPU";
  const shaNi = /\bsha_ni\b/.test(cpuInfo) ? "with SHA extensions" : "without SHA extensions";
  const filesystem = firstLine(["sh", "-c", `df -T ${tmpdir()} | tail -1`]).split(/\s+/);
  return [
    `CPU: ${model} (${shaNi}), ${cpus().length} cores — the emulator and the client being measured share them`,
    `memory: ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Linux ${release()}`,
    `downloads are written to ${context.workDir.replace(/rkllm-bench-[^/]+$/, "")} ` +
    `(${filesystem[1] ?? "?"} on ${filesystem[0] ?? "?"}), deleted after each run, then \`sync\``,
  ];
}

function describeVersions(binaries: BenchContext["binaries"], snapshot: boolean): string[] {
  const hubVersion = JSON.parse(
    readFileSync(join(ROOT, "node_modules", "@huggingface", "hub", "package.json"), "utf8"),
  ).version;
  return [
    `our CLI: ${
      snapshot
        ? "`cli.ts`, `src/` and `configs/` as they were when the run started (copied aside)"
        : `\`${binaries.cli}\``
    }, ${firstLine([binaries.node, binaries.cli, "--version"])}; ${
      firstLine([binaries.deno, "--version"])
    }, Node ${firstLine([binaries.node, "--version"])}, Bun ${
      firstLine([binaries.bun, "--version"])
    }; the npm bundle (built from the same sources) on the machine's own Node ${
      firstLine([binaries.node20, "--version"])
    }`,
    `anchors: ${firstLine(["curl", "--version"]).split(" ").slice(0, 2).join(" ")}, ${
      firstLine(["aria2c", "--version"])
    }, @huggingface/hub ${hubVersion} (on Node), ${firstLine(["sha256sum", "--version"])}`,
  ];
}

/**
 * Copies the CLI's sources into the work directory, so edits made to the working tree while
 * the benchmark runs (it takes ~25 minutes) do not change what is measured halfway.
 */
function snapshotSources(workDir: string): string {
  const snapshot = join(workDir, "snapshot");
  for (const entry of ["cli.ts", "mod.ts", "deno.json", "package.json", "src", "configs"]) {
    cpSync(join(ROOT, entry), join(snapshot, entry), { recursive: true });
  }
  return join(snapshot, "cli.ts");
}

/** Builds the standalone x64 binary from the measured sources, as `npm run build` does. */
function buildStandaloneX64(binaries: BenchContext["binaries"], workDir: string): string {
  const outfile = join(workDir, "rkllm-models-linux-x64");
  const entry = join(binaries.cli, "..", "src", "cli", "binary_entry.ts");
  execFileSync(binaries.bun, [
    "build",
    "--compile",
    "--no-compile-autoload-dotenv",
    "--no-compile-autoload-bunfig",
    "--target=bun-linux-x64",
    entry,
    "--outfile",
    outfile,
  ], { stdio: "pipe" });
  return outfile;
}

/** Builds the npm bundle (`lib/cli.mjs`) from the measured sources, as `npm run build:cli` does. */
function buildNpmBundle(binaries: BenchContext["binaries"], workDir: string): string {
  const outfile = join(workDir, "bundle", "cli.mjs");
  const entry = join(binaries.cli, "..", "src", "cli", "binary_entry.ts");
  execFileSync(binaries.bun, [
    "build",
    "--target=node",
    "--format=esm",
    entry,
    "--outfile",
    outfile,
  ], { stdio: "pipe" });
  return outfile;
}

function gitCommit(): string | undefined {
  const commit = firstLine(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]);
  if (commit === "unknown") return undefined;
  const dirty = firstLine([
    "sh",
    "-c",
    `git -C '${ROOT}' status --porcelain -- src cli.ts | head -1`,
  ]);
  return dirty && dirty !== "unknown"
    ? `${commit}` + "` plus uncommitted changes in `src/"
    : commit;
}

function quietLine(): string {
  const percent = (share: number) => `${Math.round(share * 100)} %`;
  const busy = backgroundLoad.filter((share) => share > 0.1).length;
  const patience = Number(process.env.RKLLM_BENCH_QUIET_WAIT_S ?? 90);
  return `before each run the benchmark waits (up to ${patience} s) until other processes leave the ` +
    "CPUs at least 90 % idle; background load seen before the runs: median " +
    `${percent(median(backgroundLoad))}, max ${
      percent(Math.max(0, ...backgroundLoad))
    } (${busy} of ${backgroundLoad.length} runs started above 10 %)`;
}

const METHOD = [
  "the Hub emulator (`tests/support/hub_server.ts`) runs in its own Node process " +
  "(`bench/hub_process.ts`), serving lazily generated deterministic files from 127.0.0.1 with a " +
  "cross-origin 302 to a signed CDN URL, as huggingface.co does",
  "the machine has 2 cores: the emulator generating and sending bytes competes with the client " +
  "for them, so the unthrottled figures are bounded by both together, not by the network",
  "our CLI runs as a real process: `deno run -A cli.ts`, `node cli.ts`, `bun cli.ts` with " +
  "`--dir` in a temporary directory and `--progress=json` (no output but events on stderr, whose " +
  "`done` event tells the bytes re-read for the hash); every tool's time is its whole process, " +
  "measured by the parent from spawn to exit",
  "MB = 10^6 bytes; MB/s = file size / median time",
];

async function main(): Promise<void> {
  const settings = parseSettings(process.argv.slice(2));
  const missing = missingPrerequisites(localBinaries());
  if (missing.length) {
    process.stderr.write(
      `the benchmark needs programs that are missing:\n  ${missing.join("\n  ")}\n`,
    );
    process.exit(1);
  }
  const sizes = settings.quick ? QUICK_SIZES : FULL_SIZES;
  const workDir = mkdtempSync(join(tmpdir(), "rkllm-bench-"));
  const binaries = localBinaries(settings.cli ?? snapshotSources(workDir));
  if (settings.only.includes(3)) binaries.binary = buildStandaloneX64(binaries, workDir);
  if (settings.only.includes(1) || settings.only.includes(3)) {
    binaries.bundle = buildNpmBundle(binaries, workDir);
  }
  const versions = describeVersions(binaries, settings.cli === undefined);
  const started = Date.now();
  const context: BenchContext = {
    quick: settings.quick,
    runs: settings.runs,
    runtimes: settings.runtimes,
    connections: settings.connections,
    binaries,
    sizes,
    files: benchFiles(sizes),
    workDir,
    log: (message) => {
      const elapsed = ((Date.now() - started) / 1000).toFixed(0).padStart(5);
      process.stderr.write(`[${elapsed} s] ${message}\n`);
    },
  };
  const hubs: HubProcess[] = [];
  const cleanUp = () => rmSync(workDir, { recursive: true, force: true });
  process.on("SIGINT", () => {
    cleanUp();
    process.exit(130);
  });
  const wants = (...ids: number[]) => ids.some((id) => settings.only.includes(id));
  const reports: ScenarioReport[] = [];
  try {
    // Warm-up: Deno compiles and caches the module graph on its first run.
    for (const runtime of settings.runtimes) {
      await runChecked([...cliCommand(binaries, runtime), "--version"], {
        env: neutralEnvironment(),
        measureRss: false,
      });
    }
    const served: LargeFile[] = [];
    if (wants(1, 4, 6, 7)) served.push(context.files.throughput);
    if (wants(3)) served.push(context.files.memorySmall, context.files.memoryLarge);
    const hub = served.length ? await startHubProcess({ files: served }) : undefined;
    if (hub) hubs.push(hub);
    const cappedHub = wants(2, 4, 7, 8)
      ? await startHubProcess({
        files: [context.files.capped],
        bytesPerSecond: CAPPED_BYTES_PER_SECOND,
      })
      : undefined;
    if (cappedHub) hubs.push(cappedHub);
    context.log(`work directory ${workDir}; runs ${settings.runs}; runtimes ${settings.runtimes}`);
    if (hub && wants(1)) reports.push(await unthrottledThroughput(context, hub));
    if (cappedHub && wants(2)) reports.push(await cappedThroughput(context, cappedHub));
    if (cappedHub && wants(8)) reports.push(await stragglerThroughput(context, cappedHub));
    if (hub && wants(3)) reports.push(await peakMemory(context, hub));
    if (hub && cappedHub && wants(4)) {
      reports.push(
        await resumeAfterKill(context, [
          { label: "unthrottled", hub, file: context.files.throughput },
          {
            label: `capped at ${CAPPED_BYTES_PER_SECOND / 1e6} MB/s per connection`,
            hub: cappedHub,
            file: context.files.capped,
          },
        ]),
      );
    }
    if (wants(5)) reports.push(await listLargeStore(context));
    if (wants(10)) reports.push(await listManyVariants(context));
    if (hub && wants(6)) reports.push(await verifyLargeModel(context, hub));
    if (hub && cappedHub && wants(7)) reports.push(await connectionSweep(context, hub, cappedHub));
    if (wants(9) && !hasNginx()) context.log("scenario 9 skipped: nginx is not installed");
    if (wants(9) && hasNginx()) reports.push(await serveFanout(context));
  } finally {
    await Promise.all(hubs.map((hub) => hub.stop()));
    cleanUp();
  }
  const minutes = ((Date.now() - started) / 60000).toFixed(1);
  const header: ReportHeader = {
    date: new Date().toISOString().slice(0, 16).replace("T", " ") + " UTC",
    commandLine: [
      "npm run bench",
      ...(process.argv.length > 2 ? ["--"] : []),
      ...process.argv.slice(2),
    ].join(" "),
    commit: gitCommit(),
    machine: describeMachine(context),
    versions,
    method: [...METHOD, quietLine(), `the whole run took ${minutes} minutes`],
  };
  let findings = "";
  try {
    findings = readFileSync(join(ROOT, "bench", "findings.md"), "utf8");
  } catch {
    // no findings written yet
  }
  const markdown = renderReport(header, reports, findings);
  if (settings.out) {
    writeFileSync(settings.out, markdown);
    context.log(`wrote ${settings.out}`);
  } else {
    process.stdout.write(markdown);
  }
}

if (import.meta.main) {
  try {
    await main();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : error}\n`);
    process.exit(1);
  }
}
