/**
 * Side experiments on the download engine: variants of our CLI and aria2c
 * download the same unthrottled file from one emulator in alternating turns
 * (A B aria2c, A B aria2c, …), and the medians of time, peak RSS, CPU and the
 * bytes re-read for the hash (from the `done` event: the CLI's `--progress=json`, or `bench/reread_probe.ts`
 * of each variant's tree) are printed. Variants are command prefixes.
 *
 * ```sh
 * node bench/engine_ab.ts --size 512 --rounds 5 \
 *   --variant "base=node /tmp/base/cli.ts" --variant "new=node cli.ts"
 * ```
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { cdnUrl, type LargeFile, startHubProcess } from "./hub_control.ts";
import { median, runMeasured, settleDisk } from "./measure.ts";

interface Variant {
  label: string;
  command: string[];
}

interface Sample {
  seconds: number;
  rss: number;
  cpu: number;
  reread?: number;
}

function variantsOf(values: string[]): Variant[] {
  return values.map((value) => {
    const at = value.indexOf("=");
    return { label: value.slice(0, at), command: value.slice(at + 1).split(" ") };
  });
}

async function runOnce(command: string[], file: LargeFile, output: string): Promise<Sample> {
  const outcome = await runMeasured(command, { env: { ...process.env, NO_COLOR: "1" } });
  rmSync(output, { recursive: true, force: true });
  if (outcome.exitCode !== 0) throw new Error(`${command.join(" ")}: ${outcome.stderr}`);
  // The CLI's `done` event (stderr, `--progress=json`) or a probe's (stdout).
  const reread = (outcome.stderr + outcome.stdout).match(/"rereadBytes":(\d+)/)?.[1];
  await settleDisk();
  void file;
  return {
    seconds: outcome.seconds,
    rss: outcome.peakRssBytes,
    cpu: outcome.cpuSeconds,
    reread: reread === undefined ? undefined : Number(reread),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      size: { type: "string", default: "512" },
      rounds: { type: "string", default: "5" },
      variant: { type: "string", multiple: true, default: [] },
      probe: { type: "string", multiple: true, default: [] },
      "no-aria2c": { type: "boolean", default: false },
    },
  });
  const file: LargeFile = {
    repo: "bench/ab",
    file: "model.rkllm",
    size: Number(values.size) * 2 ** 20,
  };
  const hub = await startHubProcess({ files: [file] });
  const url = await cdnUrl(hub.endpoint, file);
  const samples = new Map<string, Sample[]>();
  const tools = variantsOf(values.variant);
  const probes = variantsOf(values.probe);
  try {
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const tool of tools) {
        const dir = mkdtempSync(join(tmpdir(), "engine-ab-"));
        const command = [
          ...tool.command,
          "download",
          file.repo,
          file.file,
          "--endpoint",
          hub.endpoint,
          "--dir",
          dir,
          "--progress=json",
        ];
        push(samples, tool.label, await runOnce(command, file, dir));
      }
      for (const probe of probes) {
        const dir = mkdtempSync(join(tmpdir(), "engine-ab-"));
        const command = [...probe.command, hub.endpoint, file.repo, file.file, dir];
        push(samples, `${probe.label} (probe)`, await runOnce(command, file, dir));
      }
      if (!values["no-aria2c"]) {
        const dir = mkdtempSync(join(tmpdir(), "engine-ab-"));
        const command = [
          "aria2c",
          "-q",
          "-x8",
          "-s8",
          "--allow-overwrite=true",
          "-d",
          dir,
          "-o",
          file.file,
          url,
        ];
        push(samples, "aria2c", await runOnce(command, file, dir));
      }
      process.stderr.write(`round ${round + 1} done\n`);
    }
  } finally {
    await hub.stop();
  }
  report(samples);
}

function push(samples: Map<string, Sample[]>, label: string, sample: Sample): void {
  samples.set(label, [...(samples.get(label) ?? []), sample]);
}

function report(samples: Map<string, Sample[]>): void {
  const aria = samples.get("aria2c");
  for (const [label, runs] of samples) {
    const seconds = median(runs.map((run) => run.seconds));
    const ratios = aria ? runs.map((run, index) => aria[index].seconds / run.seconds) : [];
    const rereads = runs.map((run) => run.reread).filter((value) => value !== undefined);
    console.log([
      label.padEnd(24),
      `median ${seconds.toFixed(2)} s`,
      aria ? `× aria2c ${median(ratios).toFixed(2)}` : "",
      `rss ${(median(runs.map((run) => run.rss)) / 1e6).toFixed(0)} MB`,
      `cpu ${median(runs.map((run) => run.cpu)).toFixed(2)} s`,
      rereads.length
        ? `reread ${(median(rereads as number[]) / 2 ** 20).toFixed(0)} MiB (${
          (rereads as number[]).map((bytes) => (bytes / 2 ** 20).toFixed(0)).join(" ")
        })`
        : "",
      `runs ${runs.map((run) => run.seconds.toFixed(2)).join(" ")}`,
    ].join("  "));
  }
}

await main();
