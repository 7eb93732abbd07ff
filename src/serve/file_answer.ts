/**
 * Answering `resolve`: the headers official clients read (`X-Repo-Commit`,
 * `ETag`, `X-Linked-Etag`, `X-Linked-Size`, exact `Content-Length`), Range
 * (206, 416) and a body streamed in bounded chunks that waits for the client
 * to drain before reading more.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { BodyBuffers } from "./body_buffers.ts";
import type { FileFacts } from "./hub_answers.ts";

/** Where a body's bytes come from: a finished file, or one still arriving. */
export interface BodySource {
  /**
   * Reads bytes at `position` into `buffer`, waiting for them if they are still
   * arriving; answers how many were read (0: there are no more).
   */
  read(buffer: Uint8Array, position: number): Promise<number>;
  /** Releases the source. */
  close(): Promise<void>;
}

/** The byte range a request asks for, as far as it can be served. */
export type RangeAsk =
  | { kind: "whole" }
  | { kind: "slice"; start: number; end: number }
  | { kind: "unsatisfiable" };

/**
 * The `Cache-Control` of commit-addressed answers, which never change.
 */
export const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * Reads a `Range` header against a size: one range (`a-b`, `a-`, `-n`) is
 * served as a slice; anything else (several ranges, another unit, garbage) as
 * the whole file, as RFC 9110 allows.
 */
export function rangeAskOf(header: string | undefined, size: number): RangeAsk {
  const match = header?.trim().match(/^bytes=(\d*)-(\d*)$/);
  // An empty file has no byte to range over: the whole (empty) body answers, so caches
  // that always ask in ranges (nginx slice) still get it.
  if (size === 0) return { kind: "whole" };
  if (!match || (match[1] === "" && match[2] === "")) return { kind: "whole" };
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "slice", start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return { kind: "unsatisfiable" };
  if (end < start) return { kind: "whole" };
  return { kind: "slice", start, end };
}

/**
 * The quoted entity tag of a file: its SHA-256 (LFS) or git blob SHA-1.
 */
export function etagOf(file: FileFacts): string {
  return `"${file.sha256 ?? file.gitSha1 ?? ""}"`;
}

/**
 * The metadata headers of a file at a commit, shared by the 200 and a branch's 307.
 */
export function fileMetadataHeaders(file: FileFacts, commit: string): Record<string, string> {
  return {
    "X-Repo-Commit": commit,
    "ETag": etagOf(file),
    "X-Linked-Etag": etagOf(file),
    "X-Linked-Size": String(file.size),
  };
}

/**
 * Answers `HEAD`/`GET` of a file at a commit: 200 with the whole body, 206
 * with a slice, or 416; `openBody` is called only when bytes are sent.
 */
export async function answerFile(
  exchange: { request: IncomingMessage; response: ServerResponse },
  what: {
    file: FileFacts;
    commit: string;
    openBody: () => Promise<BodySource>;
    /** Told how many body bytes were sent. */
    onBodyBytes?: (count: number) => void;
    /** Break the transfer off when the client takes no bytes for this long. */
    sendTimeoutMs?: number;
    /** Where the body's buffer comes from; without them, a full-size one. */
    buffers?: BodyBuffers;
  },
): Promise<void> {
  const { request, response } = exchange;
  const { file } = what;
  const headers: Record<string, string> = {
    ...fileMetadataHeaders(file, what.commit),
    "Accept-Ranges": "bytes",
    "Content-Type": "application/octet-stream",
    "Cache-Control": IMMUTABLE,
  };
  const ask = rangeAskOf(headerText(request.headers.range), file.size);
  if (ask.kind === "unsatisfiable") {
    response.writeHead(416, { ...headers, "Content-Range": `bytes */${file.size}` });
    response.end();
    return;
  }
  const start = ask.kind === "slice" ? ask.start : 0;
  const end = ask.kind === "slice" ? ask.end : file.size - 1;
  if (ask.kind === "slice") headers["Content-Range"] = `bytes ${start}-${end}/${file.size}`;
  headers["Content-Length"] = String(end - start + 1);
  const status = ask.kind === "slice" ? 206 : 200;
  if (request.method === "HEAD" || end < start) {
    response.writeHead(status, headers);
    response.end();
    return;
  }
  const body = await what.openBody();
  try {
    await streamBody(response, {
      source: body,
      start,
      end,
      onBodyBytes: what.onBodyBytes,
      sendTimeoutMs: what.sendTimeoutMs,
      buffers: what.buffers,
      head: () => response.writeHead(status, headers),
    });
  } finally {
    await body.close().catch(() => {});
  }
}

/**
 * The first value of a request header.
 */
export function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Writes bytes `start`..`end` (inclusive) of a source to a response, one
 * bounded chunk at a time, waiting for the client to drain; a source that ends
 * early or fails destroys the response, so the client sees a broken transfer,
 * never a short or wrong complete one. With `head`, the status line waits for
 * the first bytes: a source that fails before them is answered `502`, never a
 * success some runtimes would send without its length (Bun).
 */
export async function streamBody(
  response: ServerResponse,
  range: {
    source: BodySource;
    start: number;
    end: number;
    onBodyBytes?: (count: number) => void;
    /** Writes the status line and headers, called just before the first bytes. */
    head?: () => void;
    /** Break the transfer off when the client takes no bytes for this long. */
    sendTimeoutMs?: number;
    /** Where the body's buffer comes from; without them, a full-size one. */
    buffers?: BodyBuffers;
  },
): Promise<void> {
  const { source } = range;
  let position = range.start;
  let head = range.head;
  // One buffer per client, reused once the OS took its bytes: memory stays fixed
  // however long the file. A second one, to read the next chunk while this one is
  // sent, bought no throughput (the kernel's socket buffer already overlaps them).
  const buffers = range.buffers ?? new BodyBuffers();
  const buffer = buffers.take(range.end - range.start + 1);
  const sender = new ChunkSender(response, range.sendTimeoutMs);
  try {
    while (position <= range.end) {
      if (response.destroyed) return;
      const chunk = buffer.subarray(0, Math.min(buffer.length, range.end - position + 1));
      const count = await source.read(chunk, position);
      if (count === 0) throw new Error("the file ended before its recorded size");
      position += count;
      head?.();
      head = undefined;
      range.onBodyBytes?.(count);
      await sender.send(chunk.subarray(0, count));
    }
    response.end();
  } catch (error) {
    if (head && !response.headersSent) return answerBadGateway(response);
    response.destroy(error instanceof Error ? error : new Error(String(error)));
  } finally {
    buffers.release();
    sender.finish();
  }
}

/** The answer for a body that failed before its first byte went out. */
function answerBadGateway(response: ServerResponse): void {
  const body = JSON.stringify({ error: "the file could not be read or pulled; retry later" });
  response.writeHead(502, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(body.length),
    "Cache-Control": "no-cache",
    "X-Error-Message": "the file could not be read or pulled",
  });
  response.end(body);
}

/**
 * Hands one response its chunks: each send resolves once the OS has the bytes
 * (so their buffer may be reused) or the response is gone; a client that takes
 * none of them for `timeoutMs` (it stopped reading) has its transfer broken
 * off, while time spent reading the source counts for nothing. One close
 * listener, one write callback and at most one timer per `timeoutMs` serve the
 * whole body: per-chunk timers and closures grew Deno's memory with 50 clients
 * from under 90 MB to 111-141 MB. A client that went away while a read waited
 * for bytes still arriving has closed the response already: its 'close' does
 * not come again, and waiting for it would keep the source open.
 */
class ChunkSender {
  #response: ServerResponse;
  #timeoutMs: number | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** When the write waiting for the OS began. */
  #sentAt = 0;
  #settle: (() => void) | undefined;
  #written = (): void => this.#release();
  #expired = (): void => {
    this.#timer = undefined;
    // No write waiting: the client is not behind; the next send starts a timer again.
    if (!this.#settle || this.#timeoutMs === undefined) return;
    const left = this.#sentAt + this.#timeoutMs - performance.now();
    if (left <= 0) this.#response.destroy(new Error("the client stopped reading"));
    else this.#timer = setTimeout(this.#expired, left);
  };

  constructor(response: ServerResponse, timeoutMs: number | undefined) {
    this.#response = response;
    this.#timeoutMs = timeoutMs;
    response.on("close", this.#written);
  }

  /** Writes `bytes`; resolves once they are handed over or the response is gone. */
  send(bytes: Uint8Array): Promise<void> {
    const response = this.#response;
    if (response.destroyed || response.closed) return Promise.resolve();
    this.#sentAt = performance.now();
    if (this.#timeoutMs !== undefined && !this.#timer) {
      this.#timer = setTimeout(this.#expired, this.#timeoutMs);
    }
    return new Promise((resolve) => {
      this.#settle = resolve;
      response.write(bytes, this.#written);
    });
  }

  /** Stops the timer and the listener. */
  finish(): void {
    clearTimeout(this.#timer);
    this.#response.off("close", this.#written);
    this.#release();
  }

  #release(): void {
    const settle = this.#settle;
    this.#settle = undefined;
    settle?.();
  }
}
