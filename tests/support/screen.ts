/**
 * What a terminal shows after it received some output: a small emulator of the
 * few things the CLI sends (text with auto-wrap, `\r`, `\n`, cursor to a previous
 * line `ESC [ n F`, erase below `ESC [ J`, erase in line `ESC [ K`; colours and other
 * sequences are ignored). No scrolling limit: every line stays, as in a scrollback.
 *
 * @module
 */

/** One screen row and whether the terminal wrapped it into the next (a soft wrap). */
interface Row {
  cells: string[];
  wrapped: boolean;
}

/** The rows the terminal shows after `raw`, on a terminal `columns` wide. */
function render(raw: string, columns: number): Row[] {
  const rows: Row[] = [{ cells: [], wrapped: false }];
  let row = 0;
  let column = 0;
  const at = (index: number) => rows[index] ??= { cells: [], wrapped: false };
  // deno-lint-ignore no-control-regex
  const tokens = raw.match(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07]*(?:\x07|\x1b\\)|\x1b.|[\s\S]/gu);
  for (const token of tokens ?? []) {
    if (token === "\r") column = 0;
    else if (token === "\n") at(++row);
    else if (token.startsWith("\x1b[")) {
      const final = token.at(-1);
      const count = Number(token.slice(2, -1)) || 1;
      if (final === "F") [row, column] = [Math.max(0, row - count), 0];
      else if (final === "J") {
        rows.length = row + 1;
        at(row).cells.length = Math.min(at(row).cells.length, column);
        at(row).wrapped = false;
      } else if (final === "K") at(row).cells.length = Math.min(at(row).cells.length, column);
    } else if (!token.startsWith("\x1b") && token >= " ") {
      if (column >= columns) {
        at(row).wrapped = true;
        [row, column] = [row + 1, 0];
      }
      const cells = at(row).cells;
      while (cells.length < column) cells.push(" ");
      cells[column++] = token;
    }
  }
  return rows;
}

/**
 * The lines a terminal `columns` wide shows after `raw`, each line a screen row
 * with trailing blanks removed, and rows the terminal wrapped joined back into
 * the line they came from (as `tmux capture-pane -J` does).
 *
 * @example
 * ```ts ignore
 * screenLines("abc\x1b[1F\x1b[Jxy\r\n", 80); // ["xy", ""]
 * ```
 */
export function screenLines(raw: string, columns: number): string[] {
  const lines: string[] = [];
  let joining = false;
  for (const row of render(raw, columns)) {
    const text = row.cells.join("");
    if (joining) lines[lines.length - 1] += text;
    else lines.push(text);
    joining = row.wrapped;
  }
  return lines.map((line) => line.trimEnd());
}

/**
 * The screen rows as the terminal shows them, without joining wrapped rows.
 *
 * @example
 * ```ts ignore
 * screenRows("abcdef", 4); // ["abcd", "ef"]
 * ```
 */
export function screenRows(raw: string, columns: number): string[] {
  return render(raw, columns).map((row) => row.cells.join("").trimEnd());
}
