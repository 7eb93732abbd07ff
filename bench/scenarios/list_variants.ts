/**
 * Scenario 10: `files` and `download` without a file on a repository of 20,000
 * `.rkllm` variants, against `--version` (the cost of starting the runtime and
 * loading the CLI).
 *
 * @module
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchContext } from "../bench_context.ts";
import { startHubProcess } from "../hub_control.ts";
import { median, runChecked, runMeasured, waitForQuietCpu } from "../measure.ts";
import { fixed, type ScenarioReport } from "../report.ts";
import { cliCommand, neutralEnvironment, PRINTED_BINARIES, type RuntimeName } from "../tools.ts";

const REPO = "bench/Many-Variants-rk3588";
/** The count of the issue's measurement ("A test suite that is a gate"). */
const FULL_VARIANTS = 20_000;
const QUICK_VARIANTS = 2_000;

/** What the issue measured before the listing was made linear, in seconds. */
const BEFORE: Record<string, string> = {
  "deno files": "65",
  "deno download": "75",
  "node download": "121",
};

/**
 * Writes a repository of `count` small `.rkllm` files: all alike but one, for another chip,
 * as `tests/variant_listing_test.ts` has it.
 */
function writeManyVariants(dir: string, count: number): void {
  mkdirSync(dir, { recursive: true });
  for (let index = 0; index < count - 1; index++) {
    writeFileSync(join(dir, `Many-${index}-rk3588-w8a8-opt-0.rkllm`), `variant ${index}`);
  }
  writeFileSync(join(dir, "Many-odd-rk3576-w4a16.rkllm"), "the odd one");
}

type Step = "version" | "files" | "download";

/** A line of the variant table or list: a file name, then the next column. */
const VARIANT_LINE = /\.rkllm {2}/;

/** The command line of one step; `dir` is where `download` would write. */
function stepArgs(
  step: Step,
  runtime: RuntimeName,
  options: { binaries: BenchContext["binaries"]; dir: string },
): string[] {
  const cli = cliCommand(options.binaries, runtime);
  if (step === "version") return [...cli, "--version"];
  if (step === "files") return [...cli, "files", REPO];
  return [...cli, "download", REPO, "--dir", options.dir];
}

/** Runs one step and checks that it listed every variant (`download` refuses with 2). */
async function runStep(
  step: Step,
  runtime: RuntimeName,
  setting: { context: BenchContext; env: Record<string, string>; dir: string; count: number },
): Promise<number> {
  const command = stepArgs(step, runtime, { binaries: setting.context.binaries, dir: setting.dir });
  if (step !== "download") {
    const outcome = await runChecked(command, { env: setting.env, measureRss: false });
    const rows = outcome.stdout.split("\n").filter((line) => VARIANT_LINE.test(line)).length;
    if (step === "files" && rows !== setting.count) {
      throw new Error(`files on ${runtime} listed ${rows} of ${setting.count} variants`);
    }
    return outcome.seconds;
  }
  const outcome = await runMeasured(command, { env: setting.env, measureRss: false });
  const rows = outcome.stderr.split("\n").filter((line) => VARIANT_LINE.test(line)).length;
  if (outcome.exitCode !== 2 || rows !== setting.count) {
    throw new Error(
      `download on ${runtime} exited with ${outcome.exitCode}, listing ${rows} of ${setting.count} ` +
        `variants:\n${outcome.stderr.slice(-2000)}`,
    );
  }
  return outcome.seconds;
}

/**
 * Times `files` and `download` without a file on a listing of 20,000 variants, and
 * `--version`, on each runtime, taking turns.
 *
 * @example
 * ```ts ignore
 * const report = await listManyVariants(context);
 * ```
 */
export async function listManyVariants(context: BenchContext): Promise<ScenarioReport> {
  const count = context.quick ? QUICK_VARIANTS : FULL_VARIANTS;
  const repoDir = join(context.workDir, "many-variants");
  const dir = join(context.workDir, "variants-models");
  rmSync(repoDir, { recursive: true, force: true });
  writeManyVariants(repoDir, count);
  context.log(`scenario 10: files and download over ${count} variants`);
  const hub = await startHubProcess({ files: [], repos: [{ id: REPO, dir: repoDir }] });
  const env = { ...neutralEnvironment(), HF_ENDPOINT: hub.endpoint };
  const setting = { context, env, dir, count };
  const steps: Step[] = ["version", "files", "download"];
  const times = new Map<string, number[]>();
  try {
    // Warm-up, and a check that every variant is listed.
    for (const runtime of context.runtimes) await runStep("download", runtime, setting);
    for (let round = 0; round < context.runs; round++) {
      for (const runtime of context.runtimes) {
        await waitForQuietCpu(context.log);
        for (const step of steps) {
          const key = `${runtime} ${step}`;
          times.set(key, [...(times.get(key) ?? []), await runStep(step, runtime, setting)]);
        }
      }
    }
  } finally {
    await hub.stop();
    rmSync(repoDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
  return variantsReport(context, { count, times });
}

function variantsReport(
  context: BenchContext,
  measured: { count: number; times: Map<string, number[]> },
): ScenarioReport {
  const { count, times } = measured;
  const ms = (key: string) => fixed(median(times.get(key) ?? []) * 1000, 0);
  const runs = (key: string) =>
    (times.get(key) ?? []).map((seconds) => fixed(seconds * 1000, 0)).join(" ");
  // The issue's figures are for 20,000 variants only.
  const before = (key: string) => count === FULL_VARIANTS && BEFORE[key] ? `${BEFORE[key]} s` : "-";
  const rows = context.runtimes.map((runtime) => [
    runtime,
    ms(`${runtime} version`),
    before(`${runtime} files`),
    ms(`${runtime} files`),
    before(`${runtime} download`),
    ms(`${runtime} download`),
    `${runs(`${runtime} files`)} / ${runs(`${runtime} download`)}`,
  ]);
  const printed = { binaries: PRINTED_BINARIES, dir: "$DIR" };
  return {
    id: 10,
    title: `\`files\` and \`download\` without a file, ${count} variants`,
    setup: [
      `one repository of ${count} small \`.rkllm\` files, all for rk3588 but one, served by the emulator from a directory (\`--repo\`), the listing in pages of ` +
      `1000 as the Hub pages it; ${context.runs} runs per runtime, the steps taking turns`,
      "`download` without a file refuses with exit status 2 and lists every variant with the " +
      "flags that select it (the check of each run: every variant is listed); `$DIR` is an " +
      "empty directory; process wall time",
      "before: the issue's figures, measured when the listing was quadratic (describing each " +
      `variant went over the whole listing again) for ${FULL_VARIANTS} variants; no figure ` +
      "was given where the cell is `-`",
    ],
    commands: [
      ...context.runtimes.flatMap((runtime) =>
        (["files", "download"] as const).map((step) => stepArgs(step, runtime, printed).join(" "))
      ),
      "npm run bench -- --only 10",
    ],
    tables: [{
      headers: [
        "Runtime",
        "`--version` ms",
        "`files` before",
        "`files` ms",
        "`download` before",
        "`download` ms",
        "Runs of `files` / `download` (ms)",
      ],
      rows,
    }],
    checks: [],
    notes: [],
  };
}
