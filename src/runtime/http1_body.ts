/**
 * The framing of an HTTP/1.1 response body (RFC 9112 §6): a `Content-Length`,
 * `chunked` transfer coding, or the bytes up to the connection's close; the
 * decoder hands out views of the bytes it is given, never copies.
 *
 * @module
 */
import type { ResponseHead } from "./http1_head.ts";

/** How a body is delimited. */
export type BodyFraming =
  | { kind: "none" }
  | { kind: "length"; length: number }
  | { kind: "chunked" }
  | { kind: "close" };

/** The longest chunk-size or trailer line accepted. */
const MAX_LINE_BYTES = 8 * 1024;
const LF = 0x0a;

/**
 * How the body of `head`, answering `method`, is delimited; throws on
 * conflicting `Content-Length` values.
 */
export function framingOf(head: ResponseHead, method: string): BodyFraming {
  const { status, headers } = head;
  if (method === "HEAD" || status === 204 || status === 304) return { kind: "none" };
  const coding = headers.get("transfer-encoding");
  if (coding !== null) {
    const last = coding.split(",").pop()!.trim().toLowerCase();
    return last === "chunked" ? { kind: "chunked" } : { kind: "close" };
  }
  const lengths = headers.get("content-length");
  if (lengths === null) return { kind: "close" };
  const values = new Set(lengths.split(",").map((value) => value.trim()));
  const [value] = values;
  if (values.size !== 1 || !/^\d{1,15}$/.test(value)) {
    throw new Error(`conflicting or malformed Content-Length: ${JSON.stringify(lengths)}`);
  }
  return { kind: "length", length: Number(value) };
}

/** What one decoding step took from its input. */
export interface DecodeStep {
  /** Body bytes found (a view of the input), possibly empty. */
  body: Uint8Array;
  /** How many input bytes the step consumed. */
  used: number;
}

type ChunkState = "size" | "data" | "data-end" | "trailers";

/**
 * Decodes a body step by step from the bytes of the connection, in the order
 * they arrive; {@linkcode done} once the framing says the body is complete.
 */
export class BodyDecoder {
  #framing: BodyFraming;
  #remaining: number;
  #state: ChunkState = "size";
  #line = "";
  #done: boolean;

  /** A decoder for a body framed as `framing`. */
  constructor(framing: BodyFraming) {
    this.#framing = framing;
    this.#remaining = framing.kind === "length" ? framing.length : 0;
    this.#done = framing.kind === "none" || (framing.kind === "length" && framing.length === 0);
  }

  /** Whether the body is complete. */
  get done(): boolean {
    return this.#done;
  }

  /** Whether the answer has no body at all (HEAD, 204, 304), as opposed to an empty one. */
  get bodiless(): boolean {
    return this.#framing.kind === "none";
  }

  /** Whether the body ends only when the connection closes. */
  get endsAtClose(): boolean {
    return this.#framing.kind === "close";
  }

  /** Takes what it can from `input`: body bytes, or framing (chunk sizes, trailers). */
  step(input: Uint8Array): DecodeStep {
    if (this.#done) return { body: input.subarray(0, 0), used: 0 };
    if (this.#framing.kind === "close") return { body: input, used: input.length };
    if (this.#framing.kind === "length") return this.#counted(input);
    return this.#chunked(input);
  }

  #counted(input: Uint8Array): DecodeStep {
    const count = Math.min(this.#remaining, input.length);
    this.#remaining -= count;
    if (this.#remaining === 0 && this.#framing.kind === "length") this.#done = true;
    return { body: input.subarray(0, count), used: count };
  }

  #chunked(input: Uint8Array): DecodeStep {
    if (this.#state === "data") {
      const step = this.#counted(input);
      if (this.#remaining === 0) this.#state = "data-end";
      return step;
    }
    const end = input.indexOf(LF);
    const taken = end === -1 ? input.length : end + 1;
    this.#line += new TextDecoder("latin1").decode(input.subarray(0, taken));
    if (this.#line.length > MAX_LINE_BYTES) {
      throw new Error("a chunk-size or trailer line is too long");
    }
    if (end !== -1) this.#lineEnded(this.#line.replace(/\r?\n$/, ""));
    return { body: input.subarray(0, 0), used: taken };
  }

  #lineEnded(line: string): void {
    this.#line = "";
    if (this.#state === "data-end") {
      if (line !== "") throw new Error("a chunk did not end where its size said");
      this.#state = "size";
    } else if (this.#state === "size") {
      const size = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(line);
      if (!size) throw new Error(`malformed chunk size: ${JSON.stringify(line.slice(0, 40))}`);
      this.#remaining = parseInt(size[1], 16);
      this.#state = this.#remaining === 0 ? "trailers" : "data";
    } else if (line === "") {
      this.#done = true;
    }
  }
}
