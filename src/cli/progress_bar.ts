/**
 * Live progress bars on a terminal: one per file (the segments of a parallel
 * download folded into one), redrawn in place at most ten times a second,
 * with notes printed above them. A file's name is shown whole: when the names
 * leave no room for the bars, each name takes a line of its own.
 *
 * @module
 */
import type { DownloadEvent } from "../download/download_events.ts";
import { terminalSafe, widthOf, wrapWords } from "./format.ts";
import type { Output } from "./output.ts";
import {
  type FileProgress,
  FileProgressTable,
  isSmallFile,
  sharedNotes,
  sizesOf,
  smallFilesLine,
  statsOf,
  terminalSafeEvent,
} from "./progress_files.ts";
import type { ProgressOptions, ProgressReporter } from "./progress_reporter.ts";

/**
 * The fewest milliseconds between two redraws of the bars: at most 10 a second.
 */
export const REDRAW_INTERVAL_MS = 100;

/** The events that change what the bars show. */
const REDRAWN = new Set<DownloadEvent["event"]>(["start", "progress", "verify", "done"]);

/** The longest state a file shows ("done in 59m59s"), kept free so names do not move. */
const STATE_WIDTH = 14;

/** The rows a line takes on a terminal `columns` wide (a longer line wraps). */
function rowsOf(line: string, columns: number): number {
  return Math.max(1, Math.ceil(widthOf(line) / columns));
}

/**
 * The `bar` style: live bars on stderr.
 */
export class BarReporter implements ProgressReporter {
  readonly #output: Output;
  readonly #now: () => number;
  readonly #columns: number;
  readonly #barWidth: number;
  #table = new FileProgressTable();
  /** The terminal rows the last drawing took: a redraw goes back over them. */
  #drawnRows = 0;
  #lastDraw = -Infinity;
  #pending: ReturnType<typeof setTimeout> | undefined;
  /** The widest sizes and rate seen: columns only grow, so nothing jumps as numbers change. */
  #sizesWidth = 0;
  #speedWidth = 0;
  /** Names on lines of their own: once chosen, kept for the rest of the download. */
  #stacked = false;

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

  /**
   * Draws the bars a last time and leaves them as they are: what is printed next
   * (a message, or the bars of the next download) starts below them.
   */
  finish(): void {
    this.#cancelPending();
    if (this.#table.files.size > 0) this.#draw();
    this.#table = new FileProgressTable();
    this.#drawnRows = 0;
    this.#stacked = false;
  }

  // Notes quote file names and messages from the Hub: nothing it says reaches the terminal raw.
  #note(text: string): void {
    // Wrapped at spaces: a name stays whole, and the bars below know the rows above them.
    const lines = wrapWords(terminalSafe(text), this.#columns - 1);
    if (this.#drawnRows > 0) this.#output.errRaw(`\x1b[${this.#drawnRows}F\x1b[J`);
    for (const line of lines) this.#output.err(line);
    if (this.#drawnRows === 0) return;
    this.#drawnRows = 0;
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
    // The largest file (the model) on top; the small files in one line below the bars.
    const files = [...this.#table.files.values()];
    const ordered = files.filter((progress) => !isSmallFile(progress))
      .sort((a, b) => b.total - a.total);
    const small = smallFilesLine(files.filter(isSmallFile));
    const stats = ordered.map((progress) => this.#stats(progress, at));
    const statsWidth = Math.max(0, ...stats.map(widthOf)) + STATE_WIDTH;
    const nameWidth = Math.max(0, ...ordered.map((progress) => widthOf(progress.file)));
    const room = this.#columns - 1 - statsWidth - 4;
    // A bar may shrink to 10 beside the names; narrower, the names go on lines of their own.
    this.#stacked ||= nameWidth + 1 + Math.min(10, this.#barWidth) > room;
    const barWidth = Math.min(this.#barWidth, this.#stacked ? room - 2 : room - nameWidth - 1);
    const lines = ordered.flatMap((progress, index) => {
      const bar = this.#bar(progress, barWidth);
      if (this.#stacked) return [progress.file, `  ${bar}${stats[index]}${stateOf(progress, at)}`];
      return [`${progress.file.padEnd(nameWidth)} ${bar}${stats[index]}${stateOf(progress, at)}`];
    });
    if (small !== undefined) lines.push(small);
    const clear = this.#drawnRows > 0 ? `\x1b[${this.#drawnRows}F\x1b[J` : "";
    this.#output.errRaw(`${clear}${lines.map((line) => `${line}\n`).join("")}`);
    this.#drawnRows = lines.reduce((sum, line) => sum + rowsOf(line, this.#columns), 0);
  }

  /** `[====      ] `, coloured; nothing when the terminal leaves no room for a bar. */
  #bar(progress: FileProgress, width: number): string {
    if (width < 4) return "";
    const fraction = progress.total > 0 ? Math.min(1, progress.bytes / progress.total) : 1;
    const filled = Math.round(fraction * width);
    const bar = "=".repeat(filled) + " ".repeat(width - filled);
    const finished = progress.state === "done" || progress.state === "skipped";
    return `[${this.#output.style(bar, finished ? "green" : "cyan")}] `;
  }

  /** Percent, sizes and rate in columns that only grow, then two spaces before the state. */
  #stats(progress: FileProgress, now: number): string {
    const [percent, shown, speed] = statsOf(progress, now);
    // A finished file shows `64.0/64.0 MiB`, as wide as while it downloaded: no gap opens.
    const sizes = progress.state === "done" ? sizesOf(progress.total, progress.total) : shown;
    this.#sizesWidth = Math.max(this.#sizesWidth, widthOf(sizes));
    this.#speedWidth = Math.max(this.#speedWidth, widthOf(speed));
    return `${percent.padStart(4)} ${sizes.padStart(this.#sizesWidth)} ${
      speed.padStart(this.#speedWidth)
    }  `;
  }
}

/** The last column: ETA, `verifying…`, `done in …` or `present`. */
function stateOf(progress: FileProgress, now: number): string {
  return statsOf(progress, now)[3];
}
