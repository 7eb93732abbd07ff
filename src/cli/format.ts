/**
 * Human-readable sizes, durations and tables for the CLI.
 *
 * @module
 */

export { formatBytes } from "../units.ts";

/**
 * A count with its noun, singular for one: `1 file`, `2 files`.
 *
 * @example
 * ```ts
 * import { countOf } from "./format.ts";
 * countOf(1, "file"); // "1 file"
 * ```
 */
export function countOf(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}

/** Formats a duration in seconds as `1h02m`, `3m05s` or `12s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--";
  const whole = Math.round(seconds);
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, "0")}m`;
  if (minutes > 0) return `${minutes}m${String(rest).padStart(2, "0")}s`;
  return `${rest}s`;
}

/**
 * Lays rows out in aligned columns under a header.
 *
 * @example
 * ```ts
 * import { formatTable } from "./format.ts";
 * formatTable(["NAME", "SIZE"], [["a", "1 B"]]);
 * ```
 */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length))
  );
  const line = (cells: string[]) =>
    cells.map((cell, column) => column === cells.length - 1 ? cell : cell.padEnd(widths[column]))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** The date part of an ISO 8601 time stamp, or `-`. */
export function formatDate(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : "-";
}
