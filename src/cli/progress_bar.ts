/**
 * Live progress bars on a terminal: one per file (the segments of a parallel
 * download folded into one), redrawn in place at most ten times a second,
 * with notes printed above them.
 *
 * @module
 */
import type { DownloadEvent } from "../download/download_events.ts";
import { fitName, terminalSafe } from "./format.ts";
import type { Output } from "./output.ts";
import {
  type FileProgress,
  FileProgressTable,
  sharedNotes,
  statsOf,
  terminalSafeEvent,
} from "./progress_files.ts";
import type { ProgressOptions, ProgressReporter } from "./progress_reporter.ts";

/**
 * The fewest milliseconds between two redraws of the bars: at most 10 a second.
 *
 * @example
 * ```ts
 * import { REDRAW_INTERVAL_MS } from "./progress_bar.ts";
 * REDRAW_INTERVAL_MS; // 100
 * ```
 */
export const REDRAW_INTERVAL_MS = 100;

/** The events that change what the bars show. */
const REDRAWN = new Set<DownloadEvent["event"]>(["start", "progress", "verify", "done"]);

/** The stats as fixed-width columns, so the bars do not jump as numbers change. */
function barStats(progress: FileProgress, now: number): string {
  const [percent, sizes, speed, state] = statsOf(progress, now);
  return `${percent.padStart(4)} ${sizes.padStart(17)} ${speed.padStart(12)}  ${state}`;
}

/**
 * The `bar` style: live bars on stderr.
 *
 * @example
 * ```ts
 * import { BarReporter } from "./progress_bar.ts";
 * import { Output } from "./output.ts";
 * import { RuntimeDetector } from "../runtime/detect_runtime.ts";
 * const reporter = new BarReporter(new Output(RuntimeDetector.current()), { columns: 100 });
 * reporter.handle({ event: "start", file: "a.rkllm", total: 10, resumedBytes: 0, connections: 1 });
 * reporter.finish();
 * ```
 */
export class BarReporter implements ProgressReporter {
  readonly #output: Output;
  readonly #now: () => number;
  readonly #columns: number;
  readonly #barWidth: number;
  readonly #table = new FileProgressTable();
  #drawnLines = 0;
  #lastDraw = -Infinity;
  #pending: ReturnType<typeof setTimeout> | undefined;

  /** Draws on `output`'s stderr. */
  constructor(output: Output, options: ProgressOptions = {}) {
    this.#output = output;
    this.#now = options.now ?? Date.now;
    this.#columns = options.columns !== undefined && options.columns >= 20 ? options.columns : 80;
    this.#barWidth = this.#columns >= 140 ? 24 : this.#columns >= 110 ? 16 : 10;
  }

  /** Records the event, prints its notes above the bars, and redraws them. */
  handle(said: DownloadEvent): void {
    const event = terminalSafeEvent(said);
    this.#table.record(event, this.#now());
    for (const note of sharedNotes(event)) this.#note(note);
    if (REDRAWN.has(event.event)) this.#redraw();
  }

  /** Draws the bars a last time. */
  finish(): void {
    this.#cancelPending();
    if (this.#table.files.size > 0) this.#draw();
  }

  // Notes quote file names and messages from the Hub: nothing it says reaches the terminal raw.
  #note(text: string): void {
    const line = terminalSafe(text);
    if (this.#drawnLines === 0) return this.#output.err(line);
    this.#output.errRaw(`\x1b[${this.#drawnLines}F\x1b[J`);
    this.#drawnLines = 0;
    this.#output.err(line);
    this.#draw();
  }

  /** Redraws now if the last redraw is old enough, else once when it is. */
  #redraw(): void {
    const wait = this.#lastDraw + REDRAW_INTERVAL_MS - this.#now();
    if (wait <= 0) this.#draw();
    else this.#pending ??= setTimeout(() => this.#draw(), wait);
  }

  #cancelPending(): void {
    if (this.#pending !== undefined) clearTimeout(this.#pending);
    this.#pending = undefined;
  }

  #draw(): void {
    this.#cancelPending();
    const at = this.#now();
    this.#lastDraw = at;
    // The largest file (the model) on top; the technical files below it.
    const ordered = [...this.#table.files.values()].sort((a, b) => b.total - a.total);
    const stats = ordered.map((progress) => barStats(progress, at));
    const longestName = Math.max(
      ...ordered.map((progress) => progress.file.split("/").pop()!.length),
    );
    // Room for the longest state ("done in 59m59s"), so names keep their width as numbers change.
    const longestStats = Math.max(50, ...stats.map((text) => text.length));
    const nameWidth = Math.max(
      8,
      Math.min(longestName, this.#columns - 1 - longestStats - this.#barWidth - 4),
    );
    const lines = ordered.map((progress, index) => this.#line(progress, stats[index], nameWidth));
    const clear = this.#drawnLines > 0 ? `\x1b[${this.#drawnLines}F\x1b[J` : "";
    this.#output.errRaw(`${clear}${lines.map((line) => `${line}\n`).join("")}`);
    this.#drawnLines = lines.length;
  }

  #line(progress: FileProgress, stats: string, nameWidth: number): string {
    const name = fitName(progress.file.split("/").pop()!, nameWidth).padEnd(nameWidth);
    const fraction = progress.total > 0 ? Math.min(1, progress.bytes / progress.total) : 1;
    const filled = Math.round(fraction * this.#barWidth);
    const bar = "=".repeat(filled) + " ".repeat(this.#barWidth - filled);
    const visible = [...`${name} [${bar}] ${stats}`];
    const line = visible.length > this.#columns - 1
      ? `${visible.slice(0, this.#columns - 2).join("")}…`
      : visible.join("");
    const finished = progress.state === "done" || progress.state === "skipped";
    return line.replace(`[${bar}]`, `[${this.#output.style(bar, finished ? "green" : "cyan")}]`);
  }
}
