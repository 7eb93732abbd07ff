/**
 * One request for the missing bytes of one segment (or, when the server ignores
 * Range, of every segment at once): the body is written at its offsets into the
 * partial file, reading past bytes already on disk, watched by the stall
 * watchdog, and checked for wrong ranges and bodies that end early.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import type { HubConnection } from "../http/hub_connection.ts";
import { refuseContentEncoding } from "../http/content_encoding.ts";
import { errorForResponse } from "../http/hub_errors.ts";
import { requestContext } from "../http/request_context.ts";
import { sendRequest } from "../http/hub_request.ts";
import { requestUrlRefresh, retryableError } from "../http/retry.ts";
import type { FileHandle } from "../runtime/runtime.ts";
import { BodyWriter, type ChunkReader, chunkReaderOf } from "./body_writer.ts";
import type { PieceBook, PieceView } from "./piece_book.ts";
import { StallWatchdog } from "./stall_watchdog.ts";

/**
 * Raised when the server answers a ranged request with the whole file.
 */
export class RangeIgnoredError extends Error {
  /** Creates the error; it carries no details. */
  constructor() {
    super("the server ignored the Range header");
    this.name = "RangeIgnoredError";
  }
}

/**
 * Raised when the remote file no longer matches the partial download (416, other total).
 */
export class RemoteChangedError extends Error {
  /** Creates the error with what changed. */
  constructor(reason: string) {
    super(reason);
    this.name = "RemoteChangedError";
  }
}

/** What a segment fetch needs. */
export interface SegmentFetch {
  /** The connection settings (token, fetch, user signal). */
  connection: HubConnection;
  /** The URL serving the bytes. */
  contentUrl: URL;
  /**
   * The status of the file server that made the engine resolve `contentUrl`
   * afresh: the same status again means a refusal, not an expired link.
   */
  urlRefreshedAfter?: number;
  /** The partial file. */
  handle: FileHandle;
  /** The piece state, told what landed. */
  book: PieceBook;
  /** The file's full size. */
  total: number;
  /** Abort an attempt after this long without a byte, or too slow over it. */
  idleTimeoutMs: number;
  /** The repository path, for messages. */
  file: string;
  /** The repository, for messages. */
  repo: string;
  /** Told about every batch of bytes written. */
  onBytes: (count: number) => void;
  /** Told about the bytes that landed inside their segment, once the book counts them. */
  onWritten?: (position: number, bytes: Uint8Array) => Promise<void> | void;
  /** Called when a whole body arrives for a ranged request and `bytes` on disk are read past. */
  onReadPast?: (bytes: number) => void;
}

/** Bytes gathered before one write; small, because bytes still in memory are lost on a kill. */
const WRITE_BATCH = 256 * 1024;
/** How much of a refusal's body is read, and how much of it is quoted. */
const REFUSAL_READ_BYTES = 4096;
const REFUSAL_QUOTE_CHARS = 200;

/**
 * The parts of a `Content-Range` header (`bytes 0-99/1000`, `bytes 0-99/*`), or
 * `undefined` when it is missing or malformed.
 */
export function parseContentRange(
  value: string | null,
): { start: number; end: number; total?: number } | undefined {
  const match = value?.match(/^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i);
  if (!match) return undefined;
  return {
    start: Number(match[1]),
    end: Number(match[2]),
    total: match[3] === "*" ? undefined : Number(match[3]),
  };
}

/** Options for {@linkcode fetchSegment}. */
export interface FetchSegmentOptions {
  /** The segment is the whole file: a server that ignores Range is accepted. */
  wholeFile?: boolean;
}

/**
 * Fetches what is missing of `segment` in one request, telling `job.book` as
 * bytes reach the file. Throws a retryable error when the attempt can be
 * repeated from where it stopped. With `options.wholeFile` (the only segment), a
 * server that ignores Range is read past the bytes already on disk.
 */
export async function fetchSegment(
  job: SegmentFetch,
  segment: PieceView,
  options: FetchSegmentOptions = {},
): Promise<void> {
  const wholeFile = options.wholeFile ?? false;
  if (segment.next > segment.end) return;
  const range = wholeFile && segment.next === 0
    ? undefined
    : `bytes=${segment.next}-${segment.end}`;
  await fetchInto(job, [segment], { range, acceptWholeBody: wholeFile });
}

/**
 * Fetches every missing byte of `segments` in one request without Range (for a
 * server that ignores it), reading past the bytes already on disk.
 */
export async function fetchWholeBody(
  job: SegmentFetch,
  segments: readonly PieceView[],
): Promise<void> {
  const missing = segments.filter((segment) => segment.next <= segment.end)
    .sort((a, b) => a.start - b.start);
  if (missing.length === 0) return;
  await fetchInto(job, missing, { acceptWholeBody: true });
}

async function fetchInto(
  job: SegmentFetch,
  targets: readonly PieceView[],
  request: { range?: string; acceptWholeBody: boolean },
): Promise<void> {
  const watchdog = new StallWatchdog(job.idleTimeoutMs, { clock: job.connection.clock });
  const headers: Record<string, string> = { "Accept-Encoding": "identity" };
  if (request.range) headers.Range = request.range;
  const label = `${job.file} in ${job.repo}`;
  try {
    const { response, url } = await sendRequest(job.connection, job.contentUrl, {
      headers,
      signal: watchdog.signal,
    });
    if (response.ok) await refuseContentEncoding(response, `download ${label}`);
    const bodyStart = await bodyStartOf(job, { response, url }, targets[0], request);
    if (!response.body) throw retryableError(`download ${label}: the answer has no body`);
    if (bodyStart < targets[0].next && response.status === 200) {
      job.onReadPast?.(targets[0].next - bodyStart);
    }
    const reader = chunkReaderOf(response.body);
    const stopCancelling = cancelOnAbort(reader, [watchdog.signal, job.connection.signal]);
    try {
      await copyBody(job, reader, { start: bodyStart, targets, watchdog });
    } finally {
      stopCancelling();
    }
    const short = targets.find((segment) => segment.next <= segment.end);
    if (short) {
      throw retryableError(
        `download ${label}: the connection closed after ${short.next} of ${short.end + 1} bytes`,
      );
    }
  } catch (error) {
    if (job.connection.signal?.aborted) throw job.connection.signal.reason ?? error;
    // Whatever ended a request the watchdog stopped (an abort, a cancelled body), the stall is why.
    if (watchdog.signal.aborted) throw retryableError(`download ${label}: ${watchdog.stallReason}`);
    if (
      error instanceof ModelManagerError || error instanceof RangeIgnoredError ||
      error instanceof RemoteChangedError
    ) {
      throw error;
    }
    throw retryableError(
      `download ${label}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  } finally {
    watchdog.stop();
  }
}

/**
 * Cancels `reader` when one of `signals` aborts, until the answered function is
 * called. The fetch was given these signals combined, but Deno may collect a
 * combined signal once the answer's headers arrived, and its abort then never
 * reaches the body: a stalled body would be read forever.
 */
function cancelOnAbort(reader: ChunkReader, signals: (AbortSignal | undefined)[]): () => void {
  const cancel = () => void reader.cancel().catch(() => {});
  const watched = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  for (const signal of watched) signal.addEventListener("abort", cancel, { once: true });
  if (watched.some((signal) => signal.aborted)) cancel();
  return () => {
    for (const signal of watched) signal.removeEventListener("abort", cancel);
  };
}

/**
 * Checks the answer and says at which byte of the file its body starts: a 206
 * may start before the first byte asked for (RFC 9110), never after it.
 */
async function bodyStartOf(
  job: SegmentFetch,
  sent: { response: Response; url: URL },
  first: PieceView,
  request: { range?: string; acceptWholeBody: boolean },
): Promise<number> {
  const { response } = sent;
  const label = `${job.file} in ${job.repo}`;
  if (response.status === 206) {
    const range = parseContentRange(response.headers.get("content-range"));
    if (range?.total !== undefined && range.total !== job.total) {
      await response.body?.cancel().catch(() => {});
      throw new RemoteChangedError(
        `the server now says ${job.file} has ${range.total} bytes, not ${job.total}`,
      );
    }
    if (!range || range.start > first.next || range.end < first.next) {
      await response.body?.cancel().catch(() => {});
      throw retryableError(
        `download ${label}: the server sent the wrong range (${
          response.headers.get("content-range")
        } for ${request.range ?? "the whole file"})`,
      );
    }
    return range.start;
  }
  if (response.status === 200) {
    if (request.range && !request.acceptWholeBody) {
      await response.body?.cancel().catch(() => {});
      throw new RangeIgnoredError();
    }
    return 0;
  }
  if (response.status === 416) {
    await response.body?.cancel().catch(() => {});
    throw new RemoteChangedError(
      `the server cannot serve bytes ${first.next}- of ${job.file} (416): the partial file is stale`,
    );
  }
  const leftEndpoint = sent.url.origin !== new URL(job.connection.endpoint).origin;
  if (leftEndpoint && [401, 403, 404, 410].includes(response.status)) {
    throw await fileServerRefusal(job, response);
  }
  throw await errorForResponse(
    response,
    requestContext(job.connection, { repo: job.repo, file: job.file, action: "download the file" }),
  );
}

/**
 * A file server's 401/403/404/410: the first time, most likely an expired signed
 * URL (resolve again and retry); on a freshly resolved URL, a refusal to report.
 */
async function fileServerRefusal(
  job: SegmentFetch,
  response: Response,
): Promise<ModelManagerError> {
  const label = `${job.file} in ${job.repo}`;
  const status = response.status;
  if (job.urlRefreshedAfter !== status) {
    await response.body?.cancel().catch(() => {});
    const error = retryableError(`download ${label}: the file server answered ${status}`, {
      status,
    });
    // A signed CDN URL that stopped working has usually expired: resolve again and retry.
    return requestUrlRefresh(error);
  }
  const said = await bodyExcerpt(response);
  const cache = printable(response.headers.get("x-cache") ?? "");
  return new ModelManagerError(
    "network",
    `download ${label}: the file server answered ${status} again with a freshly resolved URL${
      cache ? ` (X-Cache: ${cache})` : ""
    }${said ? `: ${said}` : ""}`,
    {
      hint:
        "the file server refuses this file (not an expired link); try again later, and if it persists check a proxy or --endpoint, or tell the repository's owner",
      status,
    },
  );
}

/** The start of a body as printable text, without control characters. */
async function bodyExcerpt(response: Response): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    while (length < REFUSAL_READ_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      length += value.length;
    }
  } catch {
    // what arrived is enough
  } finally {
    reader.cancel().catch(() => {});
  }
  const text = new TextDecoder().decode(concat(chunks, length).subarray(0, REFUSAL_READ_BYTES));
  return printable(text).slice(0, REFUSAL_QUOTE_CHARS);
}

function printable(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").replace(/\s+/g, " ").trim();
}

/**
 * Writes the body, which starts at file byte `start`, into the missing part of
 * each target in turn (sorted, not overlapping), reading past the bytes before
 * each target's `next`. Stops reading once every target is complete, or cut
 * short at the end another request took over.
 */
async function copyBody(
  job: SegmentFetch,
  reader: ChunkReader,
  body: { start: number; targets: readonly PieceView[]; watchdog: StallWatchdog },
): Promise<void> {
  const { targets, watchdog } = body;
  const writer = new BodyWriter(job, WRITE_BATCH);
  let index = 0;
  // The file byte of the next byte the body delivers.
  let offset = body.start;
  try {
    while (index < targets.length) {
      const { done, value } = await reader.read();
      if (done || !value) break;
      watchdog.received(value.length);
      const chunkStart = offset;
      offset += value.length;
      while (index < targets.length) {
        const target = targets[index];
        const from = Math.max(chunkStart, writer.front(target));
        const to = Math.min(offset, target.end + 1);
        if (from < to) {
          await writer.put(target, value.subarray(from - chunkStart, to - chunkStart), from);
        }
        if (writer.front(target) <= target.end) break;
        await writer.flush();
        index++;
      }
    }
  } finally {
    await writer.flush().finally(() => {
      // Every write has settled: the next request's writer may take the buffer.
      writer.release();
      reader.cancel().catch(() => {});
    });
  }
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
