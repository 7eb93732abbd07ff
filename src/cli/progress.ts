/**
 * Download progress on stderr, in one of four styles behind one interface:
 * live bars on a terminal ({@linkcode BarReporter}), a plain line every few
 * seconds elsewhere ({@linkcode PlainReporter}), NDJSON events for programs,
 * or nothing.
 *
 * @module
 */
import type { DownloadEvent } from "../download/download_events.ts";
import type { Output } from "./output.ts";
import { BarReporter } from "./progress_bar.ts";
import { PlainReporter } from "./progress_plain.ts";
import type { ProgressMode, ProgressOptions, ProgressReporter } from "./progress_reporter.ts";

export type { ProgressMode, ProgressOptions, ProgressReporter } from "./progress_reporter.ts";

/** The `json` style: each event as one line of JSON, as the engine said it. */
class JsonReporter implements ProgressReporter {
  readonly #output: Output;
  constructor(output: Output) {
    this.#output = output;
  }
  handle(event: DownloadEvent): void {
    this.#output.err(JSON.stringify(event));
  }
  finish(): void {}
}

/** The `none` style. */
const SILENT: ProgressReporter = { handle() {}, finish() {} };

const REPORTERS: Record<
  ProgressMode,
  (output: Output, options: ProgressOptions) => ProgressReporter
> = {
  bar: (output, options) => new BarReporter(output, options),
  plain: (output, options) => new PlainReporter(output, options),
  json: (output) => new JsonReporter(output),
  none: () => SILENT,
};

/**
 * Creates the reporter for a style.
 */
export function createProgressReporter(
  mode: ProgressMode,
  output: Output,
  options: ProgressOptions = {},
): ProgressReporter {
  return REPORTERS[mode](output, options);
}
