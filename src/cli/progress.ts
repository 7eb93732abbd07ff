/**
 * Download progress on stderr: live bars on a terminal (one per file, the
 * segments of a parallel download folded into one), a plain line every few
 * seconds elsewhere, NDJSON events for programs, or nothing.
 *
 * @module
 */
import type { DownloadEvent } from "../download/download_events.ts";
import { LOCK_FILE } from "../store/store_layout.ts";
import { formatBytes, formatDuration, formatRetry, terminalSafe } from "./format.ts";
import type { Output } from "./output.ts";

/** How progress is shown. */
export type ProgressMode = "bar" | "plain" | "json" | "none";

/** Receives download events and renders them. */
export interface ProgressReporter {
  /** Handles one event. */
  handle(event: DownloadEvent): void;
  /** Draws the final state and stops any pending redraw. */
  finish(): void;
}

/** Options of {@linkcode createProgressReporter}. */
export interface ProgressOptions {
  /** The terminal's width in columns (default 80; values under 20 count as unknown). */
  columns?: number;
  /** The clock in milliseconds (default `Date.now`); tests pass their own. */
  now?: () => number;
}

/**
 * The fewest milliseconds between two redraws of the bars: at most 10 a second.
 *
 * @example
 * ```ts
 * import { REDRAW_INTERVAL_MS } from "./progress.ts";
 * REDRAW_INTERVAL_MS; // 100
 * ```
 */
export const REDRAW_INTERVAL_MS = 100;
/**
 * Milliseconds between two plain progress lines.
 *
 * @example
 * ```ts
 * import { PLAIN_INTERVAL_MS } from "./progress.ts";
 * PLAIN_INTERVAL_MS; // 5000
 * ```
 */
export const PLAIN_INTERVAL_MS = 5000;
const RATE_WINDOW_MS = 5000;

interface FileProgress {
  file: string;
  total: number;
  bytes: number;
  startedAt: number;
  startBytes: number;
  finishedAt?: number;
  state: "downloading" | "verifying" | "done" | "skipped";
  /** Recent `[time, bytes]` samples, for a rate that follows the network. */
  samples: [number, number][];
}

function rateOf(progress: FileProgress, now: number): number {
  if (progress.finishedAt !== undefined) {
    const seconds = (progress.finishedAt - progress.startedAt) / 1000;
    return seconds > 0 ? (progress.bytes - progress.startBytes) / seconds : 0;
  }
  const [first] = progress.samples;
  const last = progress.samples[progress.samples.length - 1];
  if (!first || !last) return 0;
  const seconds = (Math.max(now, last[0]) - first[0]) / 1000;
  return seconds >= 0.5 ? (last[1] - first[1]) / seconds : 0;
}

function percentOf(progress: FileProgress): number {
  return progress.total > 0 ? Math.floor((progress.bytes / progress.total) * 100) : 100;
}

/** `1.2/3.0 MiB` when both share a unit, else `512.0 KiB/3.0 MiB`. */
function sizesOf(bytes: number, total: number): string {
  const [done, doneUnit] = formatBytes(bytes).split(" ");
  const [all, allUnit] = formatBytes(total).split(" ");
  return doneUnit === allUnit
    ? `${done}/${all} ${allUnit}`
    : `${done} ${doneUnit}/${all} ${allUnit}`;
}

/**
 * The columns after a bar, `[percent, sizes, rate, state]`, e.g.
 * `["45%", "1.2/3.0 MiB", "1.5 MiB/s", "ETA 2s"]`.
 */
function statsOf(progress: FileProgress, now: number): [string, string, string, string] {
  const percent = `${percentOf(progress)}%`;
  const rate = rateOf(progress, now);
  const speed = rate > 0 ? `${formatBytes(Math.round(rate))}/s` : "";
  if (progress.state === "skipped") return [percent, formatBytes(progress.total), "", "present"];
  if (progress.state === "done") {
    const seconds = ((progress.finishedAt ?? now) - progress.startedAt) / 1000;
    return [percent, formatBytes(progress.total), speed, `done in ${formatDuration(seconds)}`];
  }
  const sizes = sizesOf(progress.bytes, progress.total);
  if (progress.state === "verifying") return [percent, sizes, speed, "verifying…"];
  const eta = rate > 0 ? formatDuration((progress.total - progress.bytes) / rate) : "--";
  return [percent, sizes, speed, `ETA ${eta}`];
}

/** The stats as fixed-width columns, so the bars do not jump as numbers change. */
function barStats(progress: FileProgress, now: number): string {
  const [percent, sizes, speed, state] = statsOf(progress, now);
  return `${percent.padStart(4)} ${sizes.padStart(17)} ${speed.padStart(12)}  ${state}`;
}

/** The stats as one compact phrase, for plain lines. */
function plainStats(progress: FileProgress, now: number): string {
  return statsOf(progress, now).filter(Boolean).join("  ");
}

/** The chip and quantisation part of a file name: what tells its variants apart. */
const VARIANT =
  /(?:rk3588|rk3576|rk3562|rv1126b|w8a8|w4a16|w4a8)(?:_g\d+)?(?:[-_.](?:w8a8|w4a16|w4a8)(?:_g\d+)?)?/i;

function middleCut(chars: string[], width: number): string {
  const tail = Math.ceil((width - 1) / 2);
  const head = width - 1 - tail;
  return `${chars.slice(0, head).join("")}…${chars.slice(chars.length - tail).join("")}`;
}

/**
 * Shortens a name to `width` columns in the middle, never losing its variant (chip and
 * quantisation): the start of the name, then the variant, then as much of the end as fits.
 *
 * @example
 * ```ts
 * import { fitName } from "./progress.ts";
 * fitName("TinyLlama-1.1B-Chat-v1.0-rk3588-w8a8-opt-0-hybrid-ratio-0.5.rkllm", 30);
 * // "TinyLlama-1.1…rk3588-w8a8….rkllm"
 * ```
 */
export function fitName(name: string, width: number): string {
  const chars = [...name];
  if (chars.length <= width) return name;
  if (width <= 1) return "…";
  const match = VARIANT.exec(name);
  if (!match) return middleCut(chars, width);
  const start = [...name.slice(0, match.index)].length;
  const variant = [...match[0]];
  const after = chars.slice(start + variant.length);
  // The variant and what follows it fit after a shortened start.
  if (variant.length + after.length + 2 <= width) {
    const head = width - 1 - variant.length - after.length;
    return `${chars.slice(0, head).join("")}…${[...variant, ...after].join("")}`;
  }
  const room = width - variant.length - 2;
  if (room < 2) return middleCut(chars, width);
  // The end keeps the extension (".rkllm") when there is room for it and the start as well.
  const tail = Math.min(6, Math.floor(room / 2));
  const head = Math.min(start, room - tail);
  return `${chars.slice(0, head).join("")}…${variant.join("")}…${
    chars.slice(chars.length - (room - head)).join("")
  }`;
}

/**
 * Creates the reporter for a mode.
 *
 * @example
 * ```ts
 * import { createProgressReporter } from "./progress.ts";
 * import { Output } from "./output.ts";
 * import { RuntimeDetector } from "../runtime/detect_runtime.ts";
 * const output = new Output(RuntimeDetector.current());
 * const reporter = createProgressReporter("plain", output, { columns: 80 });
 * reporter.handle({ event: "start", file: "a.rkllm", total: 10, resumedBytes: 0, connections: 1 });
 * reporter.finish();
 * ```
 */
export function createProgressReporter(
  mode: ProgressMode,
  output: Output,
  options: ProgressOptions = {},
): ProgressReporter {
  const now = options.now ?? Date.now;
  const columns = options.columns !== undefined && options.columns >= 20 ? options.columns : 80;
  const files = new Map<string, FileProgress>();
  let drawnLines = 0;
  let lastDraw = -Infinity;
  let pending: ReturnType<typeof setTimeout> | undefined;
  let lastPlain = now();

  const barWidth = columns >= 140 ? 24 : columns >= 110 ? 16 : 10;

  const barLine = (progress: FileProgress, stats: string, nameWidth: number): string => {
    const name = fitName(progress.file.split("/").pop()!, nameWidth).padEnd(nameWidth);
    const fraction = progress.total > 0 ? Math.min(1, progress.bytes / progress.total) : 1;
    const filled = Math.round(fraction * barWidth);
    const bar = "=".repeat(filled) + " ".repeat(barWidth - filled);
    const visible = [...`${name} [${bar}] ${stats}`];
    const line = visible.length > columns - 1
      ? `${visible.slice(0, columns - 2).join("")}…`
      : visible.join("");
    const finished = progress.state === "done" || progress.state === "skipped";
    return line.replace(`[${bar}]`, `[${output.style(bar, finished ? "green" : "cyan")}]`);
  };

  const draw = () => {
    if (pending !== undefined) clearTimeout(pending);
    pending = undefined;
    const at = now();
    lastDraw = at;
    // The largest file (the model) on top; the technical files below it.
    const ordered = [...files.values()].sort((a, b) => b.total - a.total);
    const stats = ordered.map((progress) => barStats(progress, at));
    const longestName = Math.max(
      ...ordered.map((progress) => progress.file.split("/").pop()!.length),
    );
    // Room for the longest state ("done in 59m59s"), so names keep their width as numbers change.
    const longestStats = Math.max(50, ...stats.map((text) => text.length));
    const nameWidth = Math.max(8, Math.min(longestName, columns - 1 - longestStats - barWidth - 4));
    const lines = ordered.map((progress, index) => barLine(progress, stats[index], nameWidth));
    const clear = drawnLines > 0 ? `\x1b[${drawnLines}F\x1b[J` : "";
    output.errRaw(`${clear}${lines.map((line) => `${line}\n`).join("")}`);
    drawnLines = lines.length;
  };

  /** Redraws now if the last redraw is old enough, else once when it is. */
  const redraw = () => {
    const wait = lastDraw + REDRAW_INTERVAL_MS - now();
    if (wait <= 0) draw();
    else pending ??= setTimeout(draw, wait);
  };

  // Notes quote file names and messages from the Hub: nothing it says reaches the terminal raw.
  const note = (text: string) => {
    const line = terminalSafe(text);
    if (mode === "bar" && drawnLines > 0) {
      output.errRaw(`\x1b[${drawnLines}F\x1b[J`);
      drawnLines = 0;
      output.err(line);
      draw();
    } else {
      output.err(line);
    }
  };

  const plainLine = (progress: FileProgress, at: number) =>
    `${progress.file}: ${plainStats(progress, at)}`;

  return {
    handle(said) {
      if (mode === "none") return;
      if (mode === "json") {
        output.err(JSON.stringify(said));
        return;
      }
      // The bar shows file names from the Hub's listing.
      const event = { ...said, file: terminalSafe(said.file) } as DownloadEvent;
      const at = now();
      const progress = files.get(event.file);
      switch (event.event) {
        case "start":
          files.set(event.file, {
            file: event.file,
            total: event.total,
            bytes: event.resumedBytes,
            startedAt: at,
            startBytes: event.resumedBytes,
            state: "downloading",
            samples: [[at, event.resumedBytes]],
          });
          if (event.resumedBytes > 0) {
            note(
              `resuming ${event.file} at ${formatBytes(event.resumedBytes)} of ${
                formatBytes(event.total)
              }`,
            );
          } else if (mode === "plain") {
            const connections = event.connections > 1 ? `, ${event.connections} connections` : "";
            note(`downloading ${event.file} (${formatBytes(event.total)}${connections})`);
          }
          if (mode === "bar") redraw();
          break;
        case "progress":
          if (progress) {
            progress.bytes = event.bytes;
            progress.samples.push([at, event.bytes]);
            while (progress.samples.length > 2 && at - progress.samples[1][0] >= RATE_WINDOW_MS) {
              progress.samples.shift();
            }
          }
          if (mode === "bar") redraw();
          else if (at - lastPlain >= PLAIN_INTERVAL_MS) {
            lastPlain = at;
            for (const item of files.values()) {
              if (item.state === "downloading") output.err(plainLine(item, at));
            }
          }
          break;
        case "verify":
          if (progress) progress.state = "verifying";
          if (mode === "bar") redraw();
          else note(`verifying ${event.file}`);
          break;
        case "done": {
          const finished: FileProgress = progress ?? {
            file: event.file,
            total: event.total,
            bytes: 0,
            startedAt: at,
            startBytes: 0,
            state: "downloading",
            samples: [],
          };
          files.set(event.file, finished);
          finished.bytes = event.total;
          finished.finishedAt = at;
          finished.state = event.skipped ? "skipped" : "done";
          if (mode === "bar") redraw();
          else if (event.skipped) note(`${event.file}: already complete`);
          else note(plainLine(finished, at));
          break;
        }
        case "retry":
          note(retryLine(event));
          break;
        case "restart":
          note(`restarting ${event.file}: ${event.reason}`);
          break;
        case "wait":
          note(
            `waiting for process ${event.holder.pid} on ${event.holder.host}, which has been downloading into this directory since ${event.holder.since}`,
          );
          note(
            `if that process is gone, delete ${
              event.lock ?? `the ${LOCK_FILE} file in the model's directory`
            } and run the command again`,
          );
          break;
      }
    },
    finish() {
      if (pending !== undefined) clearTimeout(pending);
      pending = undefined;
      if (mode === "bar" && files.size > 0) draw();
    },
  };
}

/**
 * `retrying config.json in 5 s (2/5): rate limited by the Hub`: the wait, the next
 * attempt and why the wait is that long (the server's reason, or the failure).
 */
function retryLine(event: Extract<DownloadEvent, { event: "retry" }>): string {
  return formatRetry({ ...event, reason: event.reason ?? event.message, subject: event.file });
}
