/**
 * Scenario 4: `kill -9` halfway through a download, then the same command
 * again; the server's byte accounting says how much was fetched twice.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { type BenchContext, sizeLabel } from "../bench_context.ts";
import type { HubProcess, LargeFile } from "../hub_control.ts";
import { median, runMeasured, settleDisk, waitForQuietCpu } from "../measure.ts";
import { fixed, type ScenarioReport, type Table, type TargetCheck } from "../report.ts";
import { neutralEnvironment, ourDownload, printedCommand, type RuntimeName } from "../tools.ts";

/** The ceiling on what the rerun fetches, as a share of the file. */
const RERUN_LIMIT = 0.55;
/** Kill when the CLI reports this share of the file on disk. */
const KILL_AT = 0.5;

function parseEvent(line: string): { event?: string; bytes?: number } | undefined {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

interface ResumeSample {
  /** Share of the file the CLI reported on disk when it was killed. */
  writtenAtKill: number;
  /** Share of the file the killed run was sent in total. */
  servedFirst: number;
  /** Share recorded as done in the partial download's state file after the kill. */
  saved: number;
  /** Share the rerun fetched. */
  rerun: number;
  /** Share fetched twice: first run + rerun - file. */
  wasted: number;
}

async function resumeOnce(
  context: BenchContext,
  hub: HubProcess,
  file: LargeFile,
  runtime: RuntimeName,
): Promise<ResumeSample> {
  const dir = join(context.workDir, "resume");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tool = ourDownload(runtime, context.connections);
  const target = { endpoint: hub.endpoint, cdnUrl: "", sha256: "", file, dir };
  const command = tool.command(context.binaries, target);
  const destination = tool.outputPath(target);
  await waitForQuietCpu(context.log);
  try {
    const before = await hub.served(file.file);
    // The kill comes when the CLI reports half the file on disk (`--progress=json`), as a
    // user watching the progress would see it.
    const child = spawn(command[0], command.slice(1), {
      cwd: context.workDir,
      env: neutralEnvironment(),
      stdio: ["ignore", "ignore", "pipe"],
    });
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    const writtenAtKill = await new Promise<number>((resolve) => {
      const lines = createInterface({ input: child.stderr });
      lines.on("line", (line) => {
        const event = parseEvent(line);
        if (event?.event === "progress" && (event.bytes ?? 0) >= KILL_AT * file.size) {
          lines.close();
          resolve(event.bytes ?? 0);
        }
      });
      exited.then(() => resolve(0));
    });
    child.kill("SIGKILL");
    await exited;
    if (existsSync(destination)) throw new Error(`the download finished before the kill`);
    // Let the server notice the closed connections before reading its count.
    await sleep(300);
    const afterKill = await hub.served(file.file);
    const state = JSON.parse(readFileSync(`${destination}.part.state`, "utf8")) as {
      segments: { start: number; next: number }[];
    };
    const saved = state.segments.reduce((sum, segment) => sum + segment.next - segment.start, 0);
    const outcome = await runMeasured(command, {
      cwd: context.workDir,
      env: neutralEnvironment(),
      measureRss: false,
    });
    if (outcome.exitCode !== 0) {
      throw new Error(`the rerun exited with ${outcome.exitCode}:\n${outcome.stderr.slice(-2000)}`);
    }
    if (statSync(destination).size !== file.size) throw new Error("the rerun left a short file");
    const rerun = (await hub.served(file.file)) - afterKill;
    const first = afterKill - before;
    return {
      writtenAtKill: writtenAtKill / file.size,
      servedFirst: first / file.size,
      saved: saved / file.size,
      rerun: rerun / file.size,
      wasted: (first + rerun - file.size) / file.size,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await settleDisk();
  }
}

function percent(share: number): string {
  return `${fixed(share * 100, 1)} %`;
}

/** A server and file to kill downloads of. */
interface ResumeSetup {
  /** Label in the table captions and targets. */
  label: string;
  /** The emulator. */
  hub: HubProcess;
  /** The file. */
  file: LargeFile;
}

/**
 * Kills our CLI with SIGKILL once it reports half the file on disk, reruns it, and
 * reports the share of the file fetched again, on each setup (server and file).
 *
 * @example
 * ```ts ignore
 * const report = await resumeAfterKill(context, [{ label: "unthrottled", hub, file }]);
 * ```
 */
export async function resumeAfterKill(
  context: BenchContext,
  setups: ResumeSetup[],
): Promise<ScenarioReport> {
  const runs = Math.min(context.runs, 3);
  const checks: TargetCheck[] = [];
  const tables: Table[] = [];
  const commands: string[] = [];
  for (const setup of setups) {
    const { hub, file } = setup;
    context.log(`scenario 4: kill -9 at ~50 % of ${sizeLabel(file.size)}, ${setup.label}`);
    const samples = new Map<RuntimeName, ResumeSample[]>();
    for (let round = 0; round < runs; round++) {
      for (const runtime of context.runtimes) {
        const sample = await resumeOnce(context, hub, file, runtime);
        samples.set(runtime, [...(samples.get(runtime) ?? []), sample]);
        context.log(
          `  round ${round + 1}/${runs} ${runtime}: killed at ${
            percent(sample.writtenAtKill)
          } on disk, saved ${percent(sample.saved)}, rerun fetched ${
            percent(sample.rerun)
          }, wasted ${percent(sample.wasted)}`,
        );
      }
    }
    const rows = context.runtimes.map((runtime) => {
      const list = samples.get(runtime) ?? [];
      const mid = (pick: (sample: ResumeSample) => number) => median(list.map(pick));
      const rerun = mid((sample) => sample.rerun);
      checks.push({
        target: `rerun fetches ≤ 55 % (${setup.label})`,
        subject: runtime,
        measured: percent(rerun),
        met: rerun <= RERUN_LIMIT,
      });
      return [
        ourDownload(runtime).label,
        percent(mid((sample) => sample.writtenAtKill)),
        percent(mid((sample) => sample.servedFirst)),
        percent(mid((sample) => sample.saved)),
        percent(rerun),
        percent(mid((sample) => sample.wasted)),
        list.map((sample) => fixed(sample.rerun * 100, 1)).join(" "),
      ];
    });
    tables.push({
      caption: `${sizeLabel(file.size)}, ${setup.label}:`,
      headers: [
        "Tool",
        "On disk at kill",
        "Sent to killed run",
        "Saved in state",
        "Rerun fetched",
        "Wasted",
        "Runs (rerun %)",
      ],
      rows,
    });
    const command = printedCommand(ourDownload("node", context.connections), file);
    commands.push(
      hub.commandLine,
      `${command} &   # kill -9 $! at 50 %`,
      command,
    );
  }
  commands.push("npm run bench -- --only 4");
  return {
    id: 4,
    title: "Bytes fetched again after `kill -9` at ~50 % and a rerun",
    setup: [
      `${runs} runs per runtime and setup; the CLI runs with \`--progress=json\` and gets SIGKILL ` +
      "at its first progress event at or past half the file (written to disk), as a user " +
      "watching the progress would kill it; the same command then runs to completion",
      'shares are of the file size; "sent" and "rerun fetched" come from the server\'s count ' +
      'of body bytes it wrote, "saved" is what the partial download\'s state file records ' +
      "after the kill",
      "wasted = (bytes sent to the killed run + bytes of the rerun − file size) / file size: " +
      "bytes in flight in socket buffers, or written but not yet recorded, when the process died",
    ],
    commands,
    tables,
    checks,
    notes: [],
  };
}
