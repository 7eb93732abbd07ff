/**
 * Download progress on stderr: live bars on a terminal, a plain line every few
 * seconds elsewhere, NDJSON events for programs, or nothing.
 *
 * @module
 */
import type { DownloadEvent } from "../download/download_events.ts";
import { formatBytes, formatDuration } from "./format.ts";
import type { Output } from "./output.ts";

/** How progress is shown. */
export type ProgressMode = "bar" | "plain" | "json" | "none";

/** Receives download events and renders them. */
export interface ProgressReporter {
  /** Handles one event. */
  handle(event: DownloadEvent): void;
  /** Draws the final state. */
  finish(): void;
}

interface FileProgress {
  file: string;
  total: number;
  bytes: number;
  startBytes: number;
  startedAt: number;
  done: boolean;
}

const REDRAW_MS = 100;
const PLAIN_EVERY_MS = 5000;

function shortName(file: string, width: number): string {
  const name = file.split("/").pop()!;
  return name.length <= width ? name.padEnd(width) : `…${name.slice(name.length - width + 1)}`;
}

function rateOf(progress: FileProgress, now: number): number {
  const seconds = (now - progress.startedAt) / 1000;
  return seconds > 0.2 ? (progress.bytes - progress.startBytes) / seconds : 0;
}

function describe(progress: FileProgress, now: number): string {
  const percent = progress.total > 0 ? Math.floor((progress.bytes / progress.total) * 100) : 100;
  const rate = rateOf(progress, now);
  const eta = rate > 0 ? formatDuration((progress.total - progress.bytes) / rate) : "--";
  return `${String(percent).padStart(3)}%  ${formatBytes(progress.bytes)}/${
    formatBytes(progress.total)
  }  ${formatBytes(Math.round(rate))}/s  ETA ${progress.done ? "0s" : eta}`;
}

/**
 * Creates the reporter for a mode.
 *
 * @example
 * ```ts ignore
 * const reporter = createProgressReporter("plain", output, 80);
 * reporter.handle({ event: "start", file: "a.rkllm", total: 10, resumedBytes: 0, connections: 1 });
 * ```
 */
export function createProgressReporter(
  mode: ProgressMode,
  output: Output,
  columns = 80,
): ProgressReporter {
  const files = new Map<string, FileProgress>();
  let drawnLines = 0;
  let lastDraw = 0;
  let lastPlain = 0;

  const note = (line: string) => {
    if (mode === "none") return;
    if (mode === "bar") clearBars();
    output.err(line);
    if (mode === "bar") draw(true);
  };

  const clearBars = () => {
    if (drawnLines > 0) output.errRaw(`\x1b[${drawnLines}F\x1b[J`);
    drawnLines = 0;
  };

  const draw = (force = false) => {
    const now = Date.now();
    if (!force && now - lastDraw < REDRAW_MS) return;
    lastDraw = now;
    clearBars();
    const nameWidth = Math.max(12, Math.min(40, columns - 62));
    const barWidth = Math.max(10, Math.min(30, columns - nameWidth - 50));
    const lines = [...files.values()].map((progress) => {
      const fraction = progress.total > 0 ? progress.bytes / progress.total : 1;
      const filled = Math.round(fraction * barWidth);
      const bar = `${"#".repeat(filled)}${"-".repeat(barWidth - filled)}`;
      return `${shortName(progress.file, nameWidth)} [${bar}] ${describe(progress, now)}`;
    });
    if (lines.length) output.errRaw(`${lines.join("\n")}\n`);
    drawnLines = lines.length;
  };

  return {
    handle(event) {
      if (mode === "none") return;
      if (mode === "json") {
        output.err(JSON.stringify(event));
        return;
      }
      const now = Date.now();
      switch (event.event) {
        case "start":
          files.set(event.file, {
            file: event.file,
            total: event.total,
            bytes: event.resumedBytes,
            startBytes: event.resumedBytes,
            startedAt: now,
            done: false,
          });
          if (event.resumedBytes > 0) {
            note(
              `resuming ${event.file} at ${formatBytes(event.resumedBytes)} of ${
                formatBytes(event.total)
              }`,
            );
          } else if (mode === "plain") {
            note(
              `downloading ${event.file} (${
                formatBytes(event.total)
              }, ${event.connections} connection${event.connections === 1 ? "" : "s"})`,
            );
          }
          break;
        case "progress": {
          const progress = files.get(event.file);
          if (progress) progress.bytes = event.bytes;
          if (mode === "bar") draw();
          else if (now - lastPlain >= PLAIN_EVERY_MS) {
            lastPlain = now;
            for (const item of files.values()) {
              if (!item.done) output.err(`${item.file}: ${describe(item, now)}`);
            }
          }
          break;
        }
        case "retry":
          note(
            `retrying ${event.file} in ${(event.delayMs / 1000).toFixed(1)} s (attempt ${
              event.attempt + 1
            }): ${event.message}`,
          );
          break;
        case "restart":
          note(`restarting ${event.file}: ${event.reason}`);
          break;
        case "verify":
          note(`verifying ${event.file}`);
          break;
        case "wait":
          note(
            `waiting for process ${event.holder.pid} on ${event.holder.host}, which has been downloading into this directory since ${event.holder.since}`,
          );
          break;
        case "done": {
          const progress = files.get(event.file);
          if (progress) {
            progress.bytes = event.total;
            progress.done = true;
          }
          if (mode === "bar") draw(true);
          else {
            note(
              event.skipped
                ? `${event.file}: already complete`
                : `${event.file}: done, ${formatBytes(event.total)} (${
                  formatBytes(event.transferred)
                } transferred)`,
            );
          }
          break;
        }
      }
    },
    finish() {
      if (mode === "bar") draw(true);
    },
  };
}
