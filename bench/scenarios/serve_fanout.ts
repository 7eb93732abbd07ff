/**
 * Scenario 9: `serve` to 8 concurrent clients against nginx serving the same
 * file statically, on each runtime, the npm bundle on Node 20 and the x64
 * binary: runs `bench/serve_fanout.ts` (which needs nginx) once for each and
 * reports its figures, CPU seconds per GiB beside nginx's; then `serve`'s memory
 * with 50 clients (`bench/serve_memory.ts`). `serve` runs as its own process.
 *
 * @module
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import process from "node:process";
import type { BenchContext } from "../bench_context.ts";
import { ROOT } from "../hub_control.ts";
import { runChecked } from "../measure.ts";
import type { ScenarioReport, TargetCheck } from "../report.ts";
import type { ServeRuntime } from "../serve_process.ts";

/** Concurrent clients, as issue 13 asks. */
const CLIENTS = 8;

/** Clients of the memory measurement, as the fleet issue asks. */
const MEMORY_CLIENTS = 50;

/** The most `serve` may hold in memory with {@linkcode MEMORY_CLIENTS} clients. */
const MEMORY_TARGET_MB = 100;

/** What `bench/serve_memory.ts` prints, one JSON line. */
interface MemoryResult {
  runtime: string;
  idleRssMB: number;
  peakRssMB: number;
  aggregateMBps: number;
}

/** What `bench/serve_fanout.ts` prints, one JSON line. */
interface FanoutResult {
  runtime: string;
  sizeMiB: number;
  clients: number;
  serveMBps: number;
  nginxStaticMBps: number;
  ratio: number;
  serveCpuSecondsPerGiB: number;
  nginxCpuSecondsPerGiB: number;
}

/** The throughput `serve` should reach, as a share of nginx's (issue 19). */
const RATIO_TARGET = 0.8;

/**
 * Whether nginx is on PATH (Debian's `nginx-light` or `nginx` package).
 *
 * @example
 * ```ts ignore
 * if (!hasNginx()) context.log("scenario 9 skipped: nginx is missing");
 * ```
 */
export function hasNginx(): boolean {
  const path = `${process.env.PATH ?? ""}${delimiter}/usr/sbin${delimiter}/sbin`;
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, "nginx"), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The bench script run by Node, serving with `runtime` the measured `cli.ts`. */
function benchCommand(
  context: BenchContext,
  run: { runtime: ServeRuntime; script: string; args: string[] },
): string[] {
  const script = join(ROOT, "bench", run.script);
  const { binaries } = context;
  return [
    binaries.node,
    script,
    "--runtime",
    run.runtime,
    "--cli",
    binaries.cli,
    ...run.args,
  ];
}

/** What `serve` is measured on: the runtimes of the run, the npm bundle on Node 20, the binary. */
function serveRuntimesOf(context: BenchContext, memory: boolean): ServeRuntime[] {
  // For memory, Node runs the bundle an npm install ships, not the type-stripped sources.
  const runtimes: ServeRuntime[] = context.runtimes.map((runtime) =>
    memory && runtime === "node" ? "node-bundle" : runtime
  );
  return [...runtimes, "node20", "binary"];
}

/**
 * Runs the fan-out on each runtime of the run (256 MiB, 8 clients; 32 MiB in quick mode).
 *
 * @example
 * ```ts ignore
 * reports.push(await serveFanout(context));
 * ```
 */
export async function serveFanout(context: BenchContext): Promise<ScenarioReport> {
  const sizeMiB = context.quick ? 32 : 256;
  const runs = Math.min(context.runs, 3);
  const args = [
    "--size-mib",
    String(sizeMiB),
    "--clients",
    String(CLIENTS),
    "--runs",
    String(runs),
  ];
  context.log(`scenario 9: serve to ${CLIENTS} clients vs nginx static, ${sizeMiB} MiB`);
  const results: FanoutResult[] = [];
  for (const runtime of serveRuntimesOf(context, false)) {
    const command = benchCommand(context, { runtime, script: "serve_fanout.ts", args });
    const outcome = await runChecked(command, { measureRss: false });
    const result = JSON.parse(outcome.stdout.trim().split("\n").pop() ?? "{}") as FanoutResult;
    context.log(
      `  ${runtime}: serve ${result.serveMBps} MB/s (${result.serveCpuSecondsPerGiB} CPU s/GiB), ` +
        `nginx ${result.nginxStaticMBps} MB/s (${result.nginxCpuSecondsPerGiB} CPU s/GiB)`,
    );
    results.push({ ...result, runtime });
  }
  const memory = await serveMemory(context, sizeMiB);
  const checks: TargetCheck[] = results.map((result) => ({
    target: `≥ ${RATIO_TARGET}× nginx static`,
    subject: result.runtime,
    measured: `${result.ratio}× nginx (${result.serveMBps} vs ${result.nginxStaticMBps} MB/s)`,
    met: result.ratio >= RATIO_TARGET,
  }));
  checks.push(...memory.map((result) => ({
    target: `RSS with ${MEMORY_CLIENTS} clients < ${MEMORY_TARGET_MB} MB`,
    subject: result.runtime,
    measured: `${result.peakRssMB} MB (${result.idleRssMB} MB before the clients)`,
    met: result.peakRssMB < MEMORY_TARGET_MB,
  })));
  return {
    id: 9,
    title: `\`serve\`, ${sizeMiB} MiB to ${CLIENTS} concurrent clients, loopback`,
    setup: [
      `a ${sizeMiB} MiB file in a store; ${CLIENTS} concurrent \`curl\` clients each read it whole ` +
      "over loopback, from `rkllm-models serve` (its own process on the runtime named, " +
      "commit-addressed `resolve`) and from nginx (`sendfile on`, one worker, no master) serving " +
      "the same file statically, in alternating turns after one untimed turn each",
      `median aggregate MB/s of ${runs} turns of each; CPU seconds per GiB: the server's user + ` +
      "system time over the turn (`/proc/<pid>/stat`, all threads) per GiB sent; the curl clients " +
      "share the 2 cores with the server",
    ],
    commands: serveRuntimesOf(context, false).map((runtime) =>
      ["node", "bench/serve_fanout.ts", "--runtime", runtime, ...args].join(" ")
        .replaceAll(ROOT, "")
    ),
    tables: [{
      headers: [
        "runtime",
        "`serve` MB/s",
        "nginx static MB/s",
        "ratio",
        "`serve` CPU s/GiB",
        "nginx CPU s/GiB",
      ],
      rows: results.map((result) => [
        result.runtime,
        String(result.serveMBps),
        String(result.nginxStaticMBps),
        `${result.ratio}×`,
        String(result.serveCpuSecondsPerGiB),
        String(result.nginxCpuSecondsPerGiB),
      ]),
    }, {
      headers: ["runtime", "RSS idle MB", `RSS with ${MEMORY_CLIENTS} clients MB`, "MB/s"],
      rows: memory.map((result) => [
        result.runtime,
        String(result.idleRssMB),
        String(result.peakRssMB),
        String(result.aggregateMBps),
      ]),
    }],
    checks,
    notes: [
      "`serve` reads chunks into one buffer per client (512 KiB for the first 8 clients, 64 KiB " +
      "beyond) through the runtime adapter and " +
      "waits for each client to drain (bounded memory per client); nginx uses `sendfile`. " +
      "`node20` is the npm bundle on Node 20, `binary` the x64 binary. For a fleet, nginx in front of " +
      "`serve` (`deploy/nginx/`) serves the repeat traffic at nginx's rate, and `serve` sends " +
      "each slice once",
      `memory: \`bench/serve_memory.ts\` runs \`serve\` as its own process and has ${MEMORY_CLIENTS} ` +
      "clients read the file whole at once; the highest `VmRSS` sampled every 50 ms",
    ],
  };
}

/** `serve`'s resident memory with many clients, on each runtime, as its own process. */
async function serveMemory(context: BenchContext, sizeMiB: number): Promise<MemoryResult[]> {
  const results: MemoryResult[] = [];
  for (const runtime of serveRuntimesOf(context, true)) {
    const args = ["--size-mib", String(sizeMiB), "--clients", String(MEMORY_CLIENTS)];
    const outcome = await runChecked(
      benchCommand(context, { runtime, script: "serve_memory.ts", args }),
      { measureRss: false },
    );
    const result = JSON.parse(outcome.stdout.trim().split("\n").pop() ?? "{}") as MemoryResult;
    context.log(`  ${runtime}: ${result.peakRssMB} MB with ${MEMORY_CLIENTS} clients`);
    results.push({ ...result, runtime });
  }
  return results;
}
