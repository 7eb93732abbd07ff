/**
 * Scenario 8: every connection capped, and the first request for the file held
 * at 1 MB/s: a straggler among fast connections, as CDN edges, Wi-Fi and shared
 * uplinks make them. The download ends when its slowest bytes arrive, unless
 * the client takes the straggler's range over.
 *
 * @module
 */
import { type BenchContext, CAPPED_BYTES_PER_SECOND, sizeLabel } from "../bench_context.ts";
import { measureDownloads } from "../download_runs.ts";
import type { HubProcess } from "../hub_control.ts";
import type { ScenarioReport } from "../report.ts";
import { ARIA2C, ourDownload, printedCommand } from "../tools.ts";
import { againstAria2c, throughputTable } from "./throughput.ts";

/** The straggler's rate, bytes per second. */
export const STRAGGLER_BYTES_PER_SECOND = 1_000_000;

/**
 * Measures our CLI and aria2c with one straggling connection on the capped server.
 *
 * @example
 * ```ts ignore
 * const report = await stragglerThroughput(context, cappedHub);
 * ```
 */
export async function stragglerThroughput(
  context: BenchContext,
  hub: HubProcess,
): Promise<ScenarioReport> {
  const file = context.files.capped;
  const ours = context.runtimes.map((runtime) => ourDownload(runtime, context.connections));
  const tools = [...ours, ARIA2C];
  context.log(
    `scenario 8: ${sizeLabel(file.size)} at ${
      CAPPED_BYTES_PER_SECOND / 1e6
    } MB/s per connection, one at ${STRAGGLER_BYTES_PER_SECOND / 1e6} MB/s`,
  );
  const samples = await measureDownloads(context, {
    hub,
    file,
    tools,
    beforeRun: () => hub.straggle(STRAGGLER_BYTES_PER_SECOND, file.file),
  });
  const checks = ours.map((tool) => againstAria2c(samples, { tool, minimum: 1.0 }));
  return {
    id: 8,
    title: `${sizeLabel(file.size)} download, every connection capped at ${
      CAPPED_BYTES_PER_SECOND / 1e6
    } MB/s, one straggling at ${STRAGGLER_BYTES_PER_SECOND / 1e6} MB/s`,
    setup: [
      `the server and file of scenario 2; before each run the emulator is told to send the next ` +
      `GET of the file at ${STRAGGLER_BYTES_PER_SECOND / 1e6} MB/s (its other answers stay at ` +
      `${CAPPED_BYTES_PER_SECOND / 1e6} MB/s); ${context.runs} runs per tool`,
      "the straggler is one request: a client that takes its range over on other connections " +
      "finishes with them; one that waits for it finishes when it does",
    ],
    commands: [
      hub.commandLine,
      `echo "straggle ${STRAGGLER_BYTES_PER_SECOND} ${file.file}"  # on the emulator's stdin`,
      ...tools.map((tool) => printedCommand(tool, file)),
      "npm run bench -- --only 8",
    ],
    tables: [throughputTable(samples, file, [{ header: "× aria2c", reference: ARIA2C }])],
    checks,
    notes: [],
  };
}
