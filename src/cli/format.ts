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
 *
 * @example
 * ```ts
 * import { formatRetry } from "./format.ts";
 * formatRetry({ delayMs: 2000, attempt: 1, nextAttempt: 2, attempts: 5, reason: "connection reset" });
 * // "retrying in 2 s (2/5): connection reset"
 * ```
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
 *
 * @example
 * ```ts
 * import { formatDuration } from "./format.ts";
 * formatDuration(75); // "1m15s"
 * ```
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
 *
 * @example
 * ```ts
 * import { terminalSafe } from "./format.ts";
 * terminalSafe("evil\x1b]0;pwned\x07/model\x1b[31m"); // "evil/model"
 * ```
 */
export function terminalSafe(text: string): string {
  return String(text).replace(ESCAPE_SEQUENCE, "").replace(CONTROL_CHARACTER, "");
}

/**
 * Lays rows out in aligned columns under a header; every cell passes through
 * {@linkcode terminalSafe}.
 *
 * @example
 * ```ts
 * import { formatTable } from "./format.ts";
 * formatTable(["NAME", "SIZE"], [["a", "1 B"]]);
 * ```
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
 *
 * @example
 * ```ts
 * import { formatDate } from "./format.ts";
 * formatDate("2025-01-31T12:00:00Z"); // "2025-01-31"
 * formatDate(undefined); // "-"
 * ```
 */
export function formatDate(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : "-";
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
 * import { fitName } from "./format.ts";
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

/** What {@linkcode tableWidth} asks of the runtime. */
export interface TerminalSize {
  /** Whether a stream is a terminal. */
  isTTY(stream: "stdout"): boolean;
  /** The terminal's width in columns, when known. */
  columns(): number | undefined;
}

/**
 * The width tables fit in: the terminal's when stdout is one at least 80
 * columns wide, else 80.
 *
 * @example
 * ```ts
 * import { tableWidth } from "./format.ts";
 * tableWidth({ isTTY: () => false, columns: () => undefined }); // 80
 * ```
 */
export function tableWidth(terminal: TerminalSize): number {
  const columns = terminal.isTTY("stdout") ? terminal.columns() : undefined;
  return columns !== undefined && columns >= 80 ? columns : 80;
}

/**
 * Words (split at spaces) laid out in lines of at most `width` columns; a word
 * longer than the width stays whole on its own line.
 *
 * @example
 * ```ts
 * import { wrapWords } from "./format.ts";
 * wrapWords("a bb ccc", 4); // ["a bb", "ccc"]
 * ```
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
 *
 * @example
 * ```ts
 * import { wrapList } from "./format.ts";
 * wrapList("technical files", ["config.json", "tokenizer.json"], { width: 80 });
 * // "technical files: config.json, tokenizer.json"
 * ```
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

/** Gives each shrinkable column at most an equal share of `room`, the narrowest first. */
function shareRoom(naturals: Map<number, number>, room: number): Map<number, number> {
  const shares = new Map<number, number>();
  let left = room;
  const order = [...naturals].sort((a, b) => a[1] - b[1]);
  order.forEach(([column, natural], index) => {
    const share = Math.max(12, Math.min(natural, Math.floor(left / (order.length - index))));
    shares.set(column, share);
    left -= share;
  });
  return shares;
}

/**
 * {@linkcode formatTable} fitted to `options.width` columns: the `shrink`
 * columns (names) share what the others leave, each cell shortened in the
 * middle by {@linkcode fitName} so that its variant stays visible.
 *
 * @example
 * ```ts
 * import { formatFittedTable } from "./format.ts";
 * formatFittedTable(["NAME", "SIZE"], [["a", "1 B"]], { width: 80, shrink: [0] });
 * ```
 */
export function formatFittedTable(
  header: string[],
  rawRows: string[][],
  options: { width: number; shrink: number[] },
): string {
  const rows = rawRows.map((row) => row.map(terminalSafe));
  const natural = (column: number) =>
    rows.reduce(
      (widest, row) => Math.max(widest, [...(row[column] ?? "")].length),
      header[column].length,
    );
  const fixed = header.reduce(
    (sum, _title, column) => sum + (options.shrink.includes(column) ? 0 : natural(column)),
    2 * (header.length - 1),
  );
  const shares = shareRoom(
    new Map(options.shrink.map((column) => [column, natural(column)])),
    options.width - 1 - fixed,
  );
  return formatTable(
    header,
    rows.map((row) =>
      row.map((cell, column) => {
        const share = shares.get(column);
        return share === undefined ? cell : fitName(cell, share);
      })
    ),
  );
}
