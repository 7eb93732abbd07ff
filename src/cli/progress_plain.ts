/**
 * Plain progress for logs and pipes: a line when a file starts, is verified
 * and is done, and every few seconds a line per file still downloading; the
 * small files, together, in one line at the end.
 *
 * @module
 */
import type { DownloadEvent } from "../download/download_events.ts";
import { formatBytes, terminalSafe } from "./format.ts";
import type { Output } from "./output.ts";
import {
  type FileProgress,
  FileProgressTable,
  isSmallFile,
  sharedNotes,
  smallFilesLine,
  statsOf,
  terminalSafeEvent,
} from "./progress_files.ts";
import type { ProgressOptions, ProgressReporter } from "./progress_reporter.ts";

/**
 * Milliseconds between two plain progress lines.
 */
export const PLAIN_INTERVAL_MS = 5000;

/** The stats as one compact phrase. */
function plainLine(progress: FileProgress, at: number): string {
  return `${progress.file}: ${statsOf(progress, at).filter(Boolean).join("  ")}`;
}

/**
 * The `plain` style: lines on stderr, no cursor movement.
 */
export class PlainReporter implements ProgressReporter {
  readonly #output: Output;
  readonly #now: () => number;
  #table = new FileProgressTable();
  #lastLine: number;

  /** Prints on `output`'s stderr; `options.columns` does not matter to plain lines. */
  constructor(output: Output, options: ProgressOptions = {}) {
    this.#output = output;
    this.#now = options.now ?? Date.now;
    this.#lastLine = this.#now();
  }

  /** Records the event and prints what it says. */
  handle(said: DownloadEvent): void {
    const event = terminalSafeEvent(said);
    const at = this.#now();
    const progress = this.#table.record(event, at);
    for (const note of sharedNotes(event)) this.#note(note);
    // A small file is told of in the summary line at the end.
    if (progress && isSmallFile(progress)) return;
    switch (event.event) {
      case "start":
        if (event.resumedBytes > 0) break;
        this.#note(
          `downloading ${event.file} (${formatBytes(event.total)}${
            event.connections > 1 ? `, ${event.connections} connections` : ""
          })`,
        );
        break;
      case "progress":
        this.#tick(at);
        break;
      case "verify":
        this.#note(`verifying ${event.file}`);
        break;
      case "done":
        this.#note(event.skipped ? `${event.file}: already complete` : plainLine(progress!, at));
        break;
    }
  }

  /** Prints the line of the small files, once. */
  finish(): void {
    const small = [...this.#table.files.values()].filter((item) =>
      isSmallFile(item) && (item.state === "done" || item.state === "skipped")
    );
    const line = smallFilesLine(small, { names: true });
    if (line !== undefined) this.#note(line);
    this.#table = new FileProgressTable();
  }

  /** Every few seconds, a line per file still downloading. */
  #tick(at: number): void {
    if (at - this.#lastLine < PLAIN_INTERVAL_MS) return;
    this.#lastLine = at;
    for (const item of this.#table.files.values()) {
      if (item.state === "downloading" && !isSmallFile(item)) {
        this.#output.err(plainLine(item, at));
      }
    }
  }

  // Notes quote file names and messages from the Hub: nothing it says reaches the terminal raw.
  #note(text: string): void {
    this.#output.err(terminalSafe(text));
  }
}
