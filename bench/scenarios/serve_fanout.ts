/**
 * Scenario 9: `serve` to 8 concurrent clients against nginx serving the same
 * file statically, on each runtime: runs `bench/serve_fanout.ts` (which needs
 * nginx) once per runtime and reports its figures; then `serve`'s memory with 50
 * clients (`bench/serve_memory.ts`, `serve` as its own process).
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
import type { RuntimeName } from "../tools.ts";

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
}

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

function fanoutCommand(context: BenchContext, runtime: RuntimeName, args: string[]): string[] {
  return benchCommand(context, { runtime, script: "serve_fanout.ts", args });
}

function benchCommand(
  context: BenchContext,
  run: { runtime: RuntimeName; script: string; args: string[] },
): string[] {
  const { runtime, args } = run;
  const script = join(ROOT, "bench", run.script);
  const { binaries } = context;
  if (runtime === "deno") return [binaries.deno, "run", "-A", script, ...args];
  return [binaries[runtime], script, ...args];
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
  for (const runtime of context.runtimes) {
    const outcome = await runChecked(fanoutCommand(context, runtime, args), { measureRss: false });
    const result = JSON.parse(outcome.stdout.trim().split("\n").pop() ?? "{}") as FanoutResult;
    context.log(
      `  ${runtime}: serve ${result.serveMBps} MB/s, nginx ${result.nginxStaticMBps} MB/s`,
    );
    results.push({ ...result, runtime });
  }
  const memory = await serveMemory(context, sizeMiB);
  const checks: TargetCheck[] = results.map((result) => ({
    target: "reported beside nginx static",
    subject: result.runtime,
    measured: `${result.ratio}× nginx (${result.serveMBps} vs ${result.nginxStaticMBps} MB/s)`,
    met: true,
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
      `a ${sizeMiB} MiB file in a store; ${CLIENTS} concurrent \`fetch\` clients each read it whole ` +
      "over loopback, first from `rkllm-models serve` (commit-addressed `resolve`, on the runtime " +
      "named), then from nginx (`sendfile on`, one worker) serving the same file statically",
      `best aggregate MB/s of ${runs} runs of each; the clients run in the same process as ` +
      "`serve`, so they share its event loop and the 2 cores",
      "`bench/serve_fanout.ts` imports `serve` from the working tree's `src/`, not the snapshot",
    ],
    commands: context.runtimes.map((runtime) =>
      fanoutCommand(context, runtime, args).join(" ").replaceAll(ROOT, "")
    ),
    tables: [{
      headers: ["runtime", "`serve` MB/s", "nginx static MB/s", "ratio"],
      rows: results.map((result) => [
        result.runtime,
        String(result.serveMBps),
        String(result.nginxStaticMBps),
        `${result.ratio}×`,
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
      "`serve` reads 256 KiB chunks through the runtime adapter and waits for each client to " +
      "drain (bounded memory per client); nginx uses `sendfile`. For a fleet, nginx in front of " +
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
  for (const runtime of context.runtimes) {
    const args = ["--runtime", runtime, "--size-mib", String(sizeMiB), "--clients"];
    const outcome = await runChecked(
      benchCommand(context, {
        runtime: "node",
        script: "serve_memory.ts",
        args: [...args, String(MEMORY_CLIENTS)],
      }),
      { measureRss: false },
    );
    const result = JSON.parse(outcome.stdout.trim().split("\n").pop() ?? "{}") as MemoryResult;
    context.log(`  ${runtime}: ${result.peakRssMB} MB with ${MEMORY_CLIENTS} clients`);
    results.push({ ...result, runtime });
  }
  return results;
}
