/**
 * What the text styles of progress (bars and plain lines) share: each file's
 * progress as the events tell it, the columns shown for it, and the notes
 * both styles print the same way.
 *
 * @module
 */
import type { DownloadEvent } from "../download/download_events.ts";
import { isModelFileName, LOCK_FILE } from "../store/store_layout.ts";
import { formatBytes, formatDuration, formatRetry, terminalSafe } from "./format.ts";

const RATE_WINDOW_MS = 5000;

/**
 * Files under this size (companion files, most of them) take no time worth a bar or
 * a line of their own: both text styles show them together, in one summary line.
 * The model file is shown on its own whatever its size: it is what was asked for.
 */
export const SMALL_FILE_BYTES = 1 << 20;

/**
 * Whether a file is shown in the summary of small files rather than on its own.
 */
export function isSmallFile(progress: Pick<FileProgress, "total" | "file">): boolean {
  return progress.total < SMALL_FILE_BYTES && !isModelFileName(progress.file);
}

/**
 * The one line for the small files: how many are done and their size, with their
 * names when `names` is set; `undefined` when there are none.
 */
export function smallFilesLine(
  files: FileProgress[],
  options: { names?: boolean } = {},
): string | undefined {
  if (files.length === 0) return undefined;
  const finished = files.filter((file) => file.state === "done" || file.state === "skipped");
  const present = files.filter((file) => file.state === "skipped").length;
  const size = formatBytes(files.reduce((sum, file) => sum + file.total, 0));
  const count = `${files.length} ${files.length === 1 ? "file" : "files"}`;
  const already = present === files.length
    ? "already complete"
    : present > 0
    ? `${present} already complete`
    : "";
  if (options.names) {
    return `small files: ${files.map((file) => file.file).join(", ")} (${
      [count, size, already].filter(Boolean).join(", ")
    })`;
  }
  const progress = present === files.length
    ? already
    : finished.length === files.length
    ? `done${already && ` (${already})`}`
    : `${finished.length} done`;
  return `small files: ${count}, ${size}, ${progress}`;
}

/** One file's progress, as its events tell it. */
export interface FileProgress {
  /** The repository path (terminal-safe). */
  file: string;
  /** Its size. */
  total: number;
  /** Bytes on disk. */
  bytes: number;
  /** When its first event arrived. */
  startedAt: number;
  /** Bytes it had when it started (resumed). */
  startBytes: number;
  /** When it was done. */
  finishedAt?: number;
  /** Where it is. */
  state: "downloading" | "verifying" | "done" | "skipped";
  /** Recent `[time, bytes]` samples, for a rate that follows the network. */
  samples: [number, number][];
}

/**
 * The files of a download and how far each got.
 */
export class FileProgressTable {
  /** Each file's progress, by repository path. */
  readonly files: Map<string, FileProgress> = new Map();

  /** Records what `event` says about its file at time `at`; answers that file's progress. */
  record(event: DownloadEvent, at: number): FileProgress | undefined {
    const progress = this.files.get(event.file);
    switch (event.event) {
      case "start":
        return this.#started(event.file, { total: event.total, bytes: event.resumedBytes, at });
      case "progress":
        if (progress) addSample(progress, { bytes: event.bytes, at });
        return progress;
      case "verify":
        if (progress) progress.state = "verifying";
        return progress;
      case "done": {
        const finished = progress ?? this.#started(event.file, { total: event.total, at });
        finished.bytes = event.total;
        finished.finishedAt = at;
        finished.state = event.skipped ? "skipped" : "done";
        return finished;
      }
    }
    return progress;
  }

  #started(file: string, from: { total: number; bytes?: number; at: number }): FileProgress {
    const bytes = from.bytes ?? 0;
    const progress: FileProgress = {
      file,
      total: from.total,
      bytes,
      startedAt: from.at,
      startBytes: bytes,
      state: "downloading",
      // A file first seen done has no samples: its rate comes from its duration.
      samples: from.bytes === undefined ? [] : [[from.at, bytes]],
    };
    this.files.set(file, progress);
    return progress;
  }
}

function addSample(progress: FileProgress, sample: { bytes: number; at: number }): void {
  const { bytes, at } = sample;
  progress.bytes = bytes;
  progress.samples.push([at, bytes]);
  while (progress.samples.length > 2 && at - progress.samples[1][0] >= RATE_WINDOW_MS) {
    progress.samples.shift();
  }
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

/**
 * `1.2/3.0 MiB`: the bytes so far in the unit of the whole, so the text keeps its
 * width as the bytes grow (`0.0/3.0 MiB`, not `512 B/3.0 MiB`).
 */
export function sizesOf(bytes: number, total: number): string {
  const [all, unit] = formatBytes(total).split(" ");
  const power = ["B", "KiB", "MiB", "GiB"].indexOf(unit);
  const digits = all.split(".")[1]?.length ?? 0;
  return `${(bytes / 1024 ** power).toFixed(digits)}/${all} ${unit}`;
}

/**
 * The columns after a bar, `[percent, sizes, rate, state]`, e.g.
 * `["45%", "1.2/3.0 MiB", "1.5 MiB/s", "ETA 2s"]`.
 */
export function statsOf(progress: FileProgress, now: number): [string, string, string, string] {
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

/**
 * The event with its file name made safe for a terminal: the text styles show
 * file names from the Hub's listing.
 */
export function terminalSafeEvent(event: DownloadEvent): DownloadEvent {
  return { ...event, file: terminalSafe(event.file) } as DownloadEvent;
}

/**
 * The notes both text styles print for an event, the same way: resuming,
 * retries, restarts and waiting for another process's lock.
 */
export function sharedNotes(event: DownloadEvent): string[] {
  switch (event.event) {
    case "start":
      if (event.resumedBytes === 0) return [];
      return [
        `resuming ${event.file} at ${formatBytes(event.resumedBytes)} of ${
          formatBytes(event.total)
        }`,
      ];
    case "retry":
      return [
        formatRetry({ ...event, reason: event.reason ?? event.message, subject: event.file }),
      ];
    case "restart":
      return [`restarting ${event.file}: ${event.reason}`];
    case "wait":
      return [
        `waiting for process ${event.holder.pid} on ${event.holder.host}, which has been downloading into this directory since ${event.holder.since}`,
        `if that process is gone, delete ${
          event.lock ?? `the ${LOCK_FILE} file in the model's directory`
        } and run the command again`,
      ];
  }
  return [];
}
