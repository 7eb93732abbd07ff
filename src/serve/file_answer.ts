/**
 * Answering `resolve`: the headers official clients read (`X-Repo-Commit`,
 * `ETag`, `X-Linked-Etag`, `X-Linked-Size`, exact `Content-Length`), Range
 * (206, 416) and a body streamed in bounded chunks that waits for the client
 * to drain before reading more.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
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
 * The bytes of one body chunk, in the one buffer each client holds: large enough
 * that the work per read and write is small beside the bytes (128 KiB in two
 * buffers cost up to twice the CPU per GiB), small enough that 50 clients hold 12.5 MiB.
 */
const CHUNK_BYTES = 256 * 1024;

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
  },
): Promise<void> {
  const { source } = range;
  let position = range.start;
  let head = range.head;
  // One buffer per client, reused once the OS took its bytes: memory stays fixed
  // however long the file. A second one, to read the next chunk while this one is
  // sent, bought no throughput (the kernel's socket buffer already overlaps them).
  const buffer = new Uint8Array(Math.min(CHUNK_BYTES, range.end - range.start + 1));
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
      await handedOver(response, {
        bytes: chunk.subarray(0, count),
        timeoutMs: range.sendTimeoutMs,
      });
    }
    response.end();
  } catch (error) {
    if (head && !response.headersSent) return answerBadGateway(response);
    response.destroy(error instanceof Error ? error : new Error(String(error)));
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
 * Writes `bytes` and resolves once the OS has them (so their buffer may be
 * reused) or the response is gone; a client that takes none of them for
 * `timeoutMs` (it stopped reading) has its transfer broken off. A client that
 * went away while a read waited for bytes still arriving has closed the
 * response already: its 'close' does not come again, and waiting for it would
 * keep the source open.
 */
function handedOver(
  response: ServerResponse,
  write: { bytes: Uint8Array; timeoutMs?: number },
): Promise<void> {
  if (response.destroyed || response.closed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = write.timeoutMs === undefined ? undefined : setTimeout(() => {
      response.destroy(new Error("the client stopped reading"));
    }, write.timeoutMs);
    const done = () => {
      clearTimeout(timer);
      response.off("close", done);
      resolve();
    };
    response.on("close", done);
    response.write(write.bytes, done);
  });
}
