/**
 * The one interface every progress style implements, and its options.
 *
 * @module
 */
import type { DownloadEvent } from "../download/download_events.ts";

/** How progress is shown. */
export type ProgressMode = "bar" | "plain" | "json" | "none";

/** Receives download events and renders them. */
export interface ProgressReporter {
  handle(event: DownloadEvent): void;
  /** Draws the final state and stops any pending redraw. */
  finish(): void;
}

/** Options of a progress reporter. */
export interface ProgressOptions {
  /** The terminal's width in columns; values under 20 count as unknown. */
  columns?: number;
  /** The clock in milliseconds; tests pass their own. */
  now?: () => number;
}
