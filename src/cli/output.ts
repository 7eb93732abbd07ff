/**
 * Where the CLI writes: results on stdout, everything else on stderr, in order,
 * with colour only where the terminal and `NO_COLOR` allow it.
 *
 * @module
 */
import type { Runtime } from "../runtime/runtime.ts";

/** The CLI's writer. */
export class Output {
  #runtime: Runtime;
  #queue: Promise<void> = Promise.resolve();
  /** Whether stderr may carry ANSI colour and cursor movement. */
  readonly fancy: boolean;

  /** Creates the writer for a runtime. */
  constructor(runtime: Runtime) {
    this.#runtime = runtime;
    const term = runtime.env("TERM");
    this.fancy = runtime.isTTY("stderr") && term !== "dumb" &&
      runtime.env("NO_COLOR") === undefined;
  }

  #write(stream: "stdout" | "stderr", text: string): void {
    this.#queue = this.#queue.then(() => this.#runtime.print(stream, text)).catch(() => {});
  }

  /** Writes a line of results to stdout. */
  out(line: string): void {
    this.#write("stdout", `${line}\n`);
  }

  /** Writes a line of information to stderr. */
  err(line: string): void {
    this.#write("stderr", `${line}\n`);
  }

  /** Writes raw text to stderr (progress redraws). */
  errRaw(text: string): void {
    this.#write("stderr", text);
  }

  /** Wraps text in an ANSI style when colour is allowed. */
  style(text: string, code: "bold" | "dim" | "red" | "green" | "yellow"): string {
    if (!this.fancy) return text;
    const codes = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33 };
    return `\x1b[${codes[code]}m${text}\x1b[0m`;
  }

  /** Resolves when everything written so far has reached the OS. */
  flush(): Promise<void> {
    return this.#queue;
  }
}
