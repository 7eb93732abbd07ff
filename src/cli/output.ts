/**
 * Where the CLI writes: results on stdout, everything else on stderr, in order,
 * with colour only where the terminal and `NO_COLOR` allow it and cursor
 * movement only on a terminal that is not dumb.
 *
 * @module
 */
import type { Runtime } from "../runtime/runtime.ts";

/** The ANSI styles the CLI uses. */
export type Style = "bold" | "dim" | "red" | "green" | "yellow" | "cyan";

const STYLE_CODES: Record<Style, number> = {
  bold: 1,
  dim: 2,
  red: 31,
  green: 32,
  yellow: 33,
  cyan: 36,
};

/**
 * The CLI's writer.
 */
export class Output {
  #runtime: Runtime;
  #queue: Promise<void> = Promise.resolve();
  /** Whether stderr is a terminal that understands cursor movement (not `TERM=dumb`). */
  readonly live: boolean;
  /** Whether stderr may carry ANSI colour: a live terminal and `NO_COLOR` unset or empty. */
  readonly color: boolean;
  /** `--quiet`: {@linkcode Output.note} writes nothing. */
  quiet = false;

  /** Creates the writer for a runtime. */
  constructor(runtime: Runtime) {
    this.#runtime = runtime;
    this.live = runtime.isTTY("stderr") && runtime.env("TERM") !== "dumb";
    // https://no-color.org: present and not empty disables colour (and only colour).
    this.color = this.live && !runtime.env("NO_COLOR");
  }

  #write(stream: "stdout" | "stderr", text: string): void {
    this.#queue = this.#queue.then(() => this.#runtime.print(stream, text)).catch(() => {});
  }

  /** Writes a line of results to stdout. */
  out(line: string): void {
    this.#write("stdout", `${line}\n`);
  }

  /** Writes a line to stderr (errors, prompts, progress). */
  err(line: string): void {
    this.#write("stderr", `${line}\n`);
  }

  /** Writes a line of information to stderr, unless `--quiet`. */
  note(line: string): void {
    if (!this.quiet) this.err(line);
  }

  /** Writes raw text to stderr (progress redraws, prompts). */
  errRaw(text: string): void {
    this.#write("stderr", text);
  }

  /** Wraps text in an ANSI style when colour is allowed. */
  style(text: string, style: Style): string {
    if (!this.color) return text;
    return `\x1b[${STYLE_CODES[style]}m${text}\x1b[0m`;
  }

  /** Resolves when everything written so far has reached the OS. */
  flush(): Promise<void> {
    return this.#queue;
  }
}
