/**
 * Scenario 6: `verify` of a large model against `sha256sum` of the same file.
 *
 * @module
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type BenchContext, sizeLabel } from "../bench_context.ts";
import type { HubProcess } from "../hub_control.ts";
import { median, megabytesPerSecond, runChecked, settleDisk, waitForQuietCpu } from "../measure.ts";
import { fixed, megabytes, type ScenarioReport, type TargetCheck } from "../report.ts";
import {
  cliCommand,
  neutralEnvironment,
  ourDownload,
  PRINTED_BINARIES,
  type RuntimeName,
} from "../tools.ts";

/** The floor: our throughput over sha256sum's. */
const VERIFY_FLOOR = 0.8;

/**
 * Downloads the throughput file once with our CLI, then times `verify` on each runtime
 * and `sha256sum`, taking turns.
 *
 * @example
 * ```ts ignore
 * const report = await verifyLargeModel(context, hub);
 * ```
 */
export async function verifyLargeModel(
  context: BenchContext,
  hub: HubProcess,
): Promise<ScenarioReport> {
  const file = context.files.throughput;
  const store = join(context.workDir, "store-verify");
  rmSync(store, { recursive: true, force: true });
  mkdirSync(store, { recursive: true });
  context.log(`scenario 6: verify ${sizeLabel(file.size)} vs sha256sum`);
  const env = neutralEnvironment();
  const download = ourDownload(context.runtimes[0]);
  const target = { endpoint: hub.endpoint, cdnUrl: "", sha256: "", file, dir: store };
  const modelPath = download.outputPath(target);
  const verifyArgs = (runtime: RuntimeName, binaries = context.binaries) => [
    ...cliCommand(binaries, runtime),
    "verify",
    "--dir",
    binaries === context.binaries ? store : "$STORE",
  ];
  const sha256sum = ["sha256sum", modelPath];
  const subjects = ["sha256sum", ...context.runtimes] as const;
  const samples = new Map<string, { seconds: number; peakRssBytes: number }[]>();
  try {
    await runChecked(download.command(context.binaries, target), { env, measureRss: false });
    await settleDisk();
    // Warm-up: the file is read from the page cache by every contender.
    await runChecked(sha256sum, { measureRss: false });
    for (let round = 0; round < context.runs; round++) {
      const order = subjects.map((_, index) => subjects[(index + round) % subjects.length]);
      for (const subject of order) {
        const command = subject === "sha256sum" ? sha256sum : verifyArgs(subject);
        await waitForQuietCpu(context.log);
        const outcome = await runChecked(command, { env });
        if (subject !== "sha256sum" && !/^ok\b/m.test(outcome.stdout)) {
          throw new Error(`verify on ${subject} did not report ok:\n${outcome.stdout}`);
        }
        samples.set(subject, [...(samples.get(subject) ?? []), outcome]);
        context.log(
          `  round ${round + 1}/${context.runs} ${subject}: ${fixed(outcome.seconds, 2)} s`,
        );
      }
    }
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
  const reference = samples.get("sha256sum") ?? [];
  const checks: TargetCheck[] = [];
  const rows = subjects.map((subject) => {
    const runs = samples.get(subject) ?? [];
    const seconds = median(runs.map((run) => run.seconds));
    const ratio = median(runs.map((run, index) => reference[index].seconds / run.seconds));
    if (subject !== "sha256sum") {
      checks.push({
        target: "≥ 0.8× sha256sum",
        subject,
        measured: `${fixed(ratio, 2)}×`,
        met: ratio >= VERIFY_FLOOR,
      });
    }
    return [
      subject === "sha256sum" ? "sha256sum" : `rkllm-models verify on ${subject}`,
      fixed(seconds, 2),
      fixed(megabytesPerSecond(file.size, seconds), 0),
      fixed(ratio, 2),
      megabytes(median(runs.map((run) => run.peakRssBytes))),
      runs.map((run) => fixed(run.seconds, 2)).join(" "),
    ];
  });
  return {
    id: 6,
    title: `\`verify\` of a ${sizeLabel(file.size)} model vs \`sha256sum\``,
    setup: [
      `the ${
        sizeLabel(file.size)
      } model of scenario 1, downloaded once by our CLI into \`$STORE\`; ` +
      `${context.runs} runs each, taking turns`,
      "the file is in the page cache, so this measures hashing, not the disk; " +
      "time is the whole process, runtime start-up included",
    ],
    commands: [
      `sha256sum $STORE/${file.repo}/${file.file}`,
      ...context.runtimes.map((runtime) => verifyArgs(runtime, PRINTED_BINARIES).join(" ")),
      "npm run bench -- --only 6",
    ],
    tables: [{
      headers: ["Tool", "Median s", "MB/s", "× sha256sum", "Peak RSS", "Runs (s)"],
      rows,
    }],
    checks,
    notes: [],
  };
}
