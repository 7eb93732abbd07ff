/**
 * Human-readable sizes, durations and tables for the CLI.
 *
 * @module
 */

export { formatBytes } from "../units.ts";

/**
 * A count with its noun, singular for one: `1 file`, `2 files`.
 */
export function countOf(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}

/** One retry, as {@linkcode formatRetry} shows it. */
export interface RetryNote {
  /** The wait before the next attempt, in milliseconds. */
  delayMs: number;
  /** The attempt that failed, from 1: the count shown when `nextAttempt` is not known. */
  attempt: number;
  /** The next attempt's number in the current run of failures, from 2. */
  nextAttempt?: number;
  /** Attempts allowed in a run of failures. */
  attempts?: number;
  /** Why: the failure, or why the wait is that long ("rate limited by the Hub"). */
  reason: string;
  /** What is retried, such as a file name; left out for a request of the command itself. */
  subject?: string;
}

/**
 * The one wording of a retry, for Hub requests and file transfers alike:
 * `retrying in 2 s (2/5): connection reset`, `retrying model.rkllm in 0.5 s (3/5): …`.
 */
export function formatRetry(retry: RetryNote): string {
  const count = retry.nextAttempt !== undefined && retry.attempts !== undefined
    ? `${retry.nextAttempt}/${retry.attempts}`
    : String(retry.attempt + 1);
  const seconds = Number((Math.max(0, retry.delayMs) / 1000).toFixed(1));
  return `retrying${
    retry.subject ? ` ${retry.subject}` : ""
  } in ${seconds} s (${count}): ${retry.reason}`;
}

/**
 * Formats a duration in seconds as `1h02m`, `3m05s` or `12s`.
 */
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

/** ESC sequences: CSI (`ESC [ … final`), OSC/DCS/APC/PM/SOS strings (to BEL or ST), and two-byte escapes. */
const ESCAPE_SEQUENCE =
  // deno-lint-ignore no-control-regex
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][\s\S]*?(?:\x07|\x1b\\|$)|\x9b[0-?]*[ -/]*[@-~]|[\x90\x98\x9d-\x9f][\s\S]*?(?:\x07|\x1b\\|\x9c|$)|\x1b[\s\S]?/g;
/** The control characters left after the sequences: C0, DEL and C1. */
// deno-lint-ignore no-control-regex
const CONTROL_CHARACTER = /[\x00-\x1f\x7f-\x9f]/g;

/**
 * Text from the Hub made safe to print on a terminal: escape sequences (colours,
 * cursor moves, OSC titles and links) are removed, and every other control
 * character (C0 including newlines and tabs, DEL, C1) is dropped. The one
 * sanitiser for anything the Hub says (ids, tags, file names, error messages).
 */
export function terminalSafe(text: string): string {
  return String(text).replace(ESCAPE_SEQUENCE, "").replace(CONTROL_CHARACTER, "");
}

/**
 * Lays rows out in aligned columns under a header; every cell passes through
 * {@linkcode terminalSafe}.
 */
export function formatTable(header: string[], rawRows: string[][]): string {
  const rows = rawRows.map((row) => row.map(terminalSafe));
  const widths = header.map((title, column) =>
    rows.reduce((widest, row) => Math.max(widest, (row[column] ?? "").length), title.length)
  );
  const line = (cells: string[]) =>
    cells.map((cell, column) => column === cells.length - 1 ? cell : cell.padEnd(widths[column]))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/**
 * The date part of an ISO 8601 time stamp, or `-`.
 */
export function formatDate(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : "-";
}

/** What {@linkcode tableWidth} asks of the runtime. */
export interface TerminalSize {
  /** Whether a stream is a terminal. */
  isTTY(stream: "stdout"): boolean;
  /** The terminal's width in columns, when known. */
  columns(): number | undefined;
}

/**
 * The width output is laid out for: the terminal's when stdout is one, else
 * unlimited, so that piped output keeps one row of a table per line.
 */
export function tableWidth(terminal: TerminalSize): number {
  if (!terminal.isTTY("stdout")) return Infinity;
  const columns = terminal.columns();
  return columns !== undefined && columns >= 20 ? columns : 80;
}

/**
 * Words (split at spaces) laid out in lines of at most `width` columns; a word
 * longer than the width stays whole on its own line.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(" ").filter(Boolean)) {
    const last = lines.at(-1);
    if (last !== undefined && [...last].length + 1 + [...word].length <= width) {
      lines[lines.length - 1] = `${last} ${word}`;
    } else lines.push(word);
  }
  return lines.length > 0 ? lines : [""];
}

/**
 * A labelled, comma-separated list wrapped to `width` columns, continuation
 * lines indented by two spaces more than `options.indent`; items sanitised with
 * {@linkcode terminalSafe}.
 */
export function wrapList(
  label: string,
  items: string[],
  options: { width: number; indent?: number },
): string {
  const indent = " ".repeat(options.indent ?? 0);
  const text = `${label}: ${items.map((item) => `${terminalSafe(item)},`).join(" ")}`
    .replace(/,$/, "");
  const [first, ...rest] = wrapWords(text, options.width - indent.length);
  const more = rest.length > 0 ? wrapWords(rest.join(" "), options.width - indent.length - 2) : [];
  return [`${indent}${first}`, ...more.map((line) => `${indent}  ${line}`)].join("\n");
}

/**
 * The width of a text in columns (code points; the CLI prints no wide characters of its own).
 */
export function widthOf(text: string): number {
  return [...text].length;
}

/** The details of a stacked row: an aligned table when it fits, else one `header: value` line each. */
function detailLines(header: string[], rows: string[][], width: number): string[][] {
  const table = formatTable(header, rows).split("\n");
  const indent = "    ";
  if (table.every((line) => widthOf(indent + line) <= width)) {
    const [head, ...body] = table;
    return [[indent + head], ...body.map((line) => [indent + line])];
  }
  return [
    [],
    ...rows.map((row) =>
      row.map((cell, column) => `${indent}${header[column].toLowerCase()}: ${cell}`)
    ),
  ];
}

/**
 * {@linkcode formatTable} laid out for `options.width` columns without ever
 * shortening a cell: the first column holds what people copy and type (a file
 * or model name). When the rows do not fit on one line each, every name takes a
 * line of its own, its other cells below it, indented, as a table when they fit
 * and else one `header: value` line each.
 */
export function formatFittedTable(
  header: string[],
  rawRows: string[][],
  options: { width: number },
): string {
  const table = formatTable(header, rawRows);
  if (table.split("\n").every((line) => widthOf(line) < options.width)) return table;
  const rows = rawRows.map((row) => row.map(terminalSafe));
  const [head, ...details] = detailLines(
    header.slice(1),
    rows.map((row) => row.slice(1)),
    options.width - 1,
  );
  return [
    header[0],
    ...head,
    ...rows.flatMap((row, index) => [row[0], ...details[index]]),
  ].join("\n");
}

/**
 * A word as a POSIX shell reads it back: as it is when it holds no special
 * character, else in single quotes. For the commands the CLI prints to copy.
 */
export function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
