/**
 * Scenario 5: `list` over a store of many models, against `--version` (the
 * cost of starting the runtime and loading the CLI).
 *
 * @module
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BenchContext } from "../bench_context.ts";
import { median, runChecked, waitForQuietCpu } from "../measure.ts";
import { fixed, type ScenarioReport } from "../report.ts";
import { cliCommand, neutralEnvironment, PRINTED_BINARIES, type RuntimeName } from "../tools.ts";

const MODEL_BYTES = 4096;
const OWNERS = 20;

/**
 * Writes a store of `count` models as downloads leave them: `<owner>/<name>/` holding a
 * small `.rkllm` file, a `config.json` and the registry record.
 *
 * @example
 * ```ts ignore
 * writeFakeStore("/tmp/store", 1000);
 * ```
 */
export function writeFakeStore(dir: string, count: number): void {
  const revision = "0123456789abcdef0123456789abcdef01234567";
  for (let index = 0; index < count; index++) {
    const owner = `owner-${index % OWNERS}`;
    const name = `Model-${index}-rk3588-1.1.4`;
    const file = `Model-${index}-rk3588-w8a8-opt-0-hybrid-ratio-0.0.rkllm`;
    const repoDir = join(dir, owner, name);
    mkdirSync(repoDir, { recursive: true });
    const content = randomBytes(MODEL_BYTES);
    writeFileSync(join(repoDir, file), content);
    writeFileSync(join(repoDir, "config.json"), JSON.stringify({ model_type: "qwen2" }));
    const record = {
      version: 1,
      repo: `${owner}/${name}`,
      revision,
      files: {
        [file]: {
          size: MODEL_BYTES,
          sha256: createHash("sha256").update(content).digest("hex"),
          revision,
          downloadedAt: "2025-01-01T00:00:00.000Z",
        },
      },
    };
    writeFileSync(join(repoDir, ".rkllm-models.json"), JSON.stringify(record, null, 2));
  }
}

/**
 * Times `list` and `--version` on each runtime, side by side.
 *
 * @example
 * ```ts ignore
 * const report = await listLargeStore(context);
 * ```
 */
export async function listLargeStore(context: BenchContext): Promise<ScenarioReport> {
  const count = context.sizes.storeModels;
  const store = join(context.workDir, "store-many");
  rmSync(store, { recursive: true, force: true });
  writeFakeStore(store, count);
  context.log(`scenario 5: list over ${count} models`);
  const env = neutralEnvironment();
  const listArgs = (runtime: RuntimeName, binaries = context.binaries) => [
    ...cliCommand(binaries, runtime),
    "list",
    "--dir",
    binaries === context.binaries ? store : "$STORE",
  ];
  const versionArgs = (runtime: RuntimeName, binaries = context.binaries) => [
    ...cliCommand(binaries, runtime),
    "--version",
  ];
  const times = new Map<string, number[]>();
  const record = (key: string, seconds: number) =>
    times.set(key, [...(times.get(key) ?? []), seconds]);
  try {
    for (const runtime of context.runtimes) {
      // Sanity check (and warm-up): every model is listed.
      const listed = await runChecked(listArgs(runtime), { env, measureRss: false });
      // The table's rows, without its header and the summary line below it.
      const lines = listed.stdout.split("\n").filter((line) => line.startsWith("Model-")).length;
      if (lines !== count) throw new Error(`list on ${runtime} showed ${lines} of ${count} models`);
    }
    for (let round = 0; round < context.runs; round++) {
      for (const runtime of context.runtimes) {
        await waitForQuietCpu(context.log);
        const version = await runChecked(versionArgs(runtime), { env, measureRss: false });
        const list = await runChecked(listArgs(runtime), { env, measureRss: false });
        record(`${runtime} version`, version.seconds);
        record(`${runtime} list`, list.seconds);
      }
    }
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
  const rows = context.runtimes.map((runtime) => {
    const version = median(times.get(`${runtime} version`) ?? []);
    const list = median(times.get(`${runtime} list`) ?? []);
    return [
      runtime,
      fixed(version * 1000, 0),
      fixed(list * 1000, 0),
      fixed((list - version) * 1000, 0),
      fixed(list / version, 2),
      fixed((list - version) * 1e6 / count, 0),
      (times.get(`${runtime} list`) ?? []).map((seconds) => fixed(seconds * 1000, 0)).join(" "),
    ];
  });
  return {
    id: 5,
    title: `\`list\` over a store of ${count} models`,
    setup: [
      `a generated store of ${count} repositories (${OWNERS} owners), each with one ${MODEL_BYTES}-byte ` +
      "`.rkllm` file, a `config.json` and its registry record, as downloads leave them " +
      "(`$STORE` below); " +
      `${context.runs} runs per runtime, \`list\` and \`--version\` taking turns`,
      "process wall time; `--version` is the floor: runtime start-up and loading the CLI",
    ],
    commands: [
      ...context.runtimes.flatMap((runtime) => [
        listArgs(runtime, PRINTED_BINARIES).join(" "),
        versionArgs(runtime, PRINTED_BINARIES).join(" "),
      ]),
      "npm run bench -- --only 5",
    ],
    tables: [{
      headers: [
        "Runtime",
        "`--version` ms",
        "`list` ms",
        "Difference ms",
        "`list` / `--version`",
        "µs per model",
        "Runs of `list` (ms)",
      ],
      rows,
    }],
    checks: [],
    notes: [],
  };
}
