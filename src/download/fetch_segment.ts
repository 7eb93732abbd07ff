/**
 * One attempt at one segment: a ranged GET whose body is written at its offset
 * into the partial file, watched by an idle timeout, checked for the server
 * ignoring Range and for bodies that end early.
 *
 * @module
 */
import { isAbortError, ModelManagerError } from "../errors.ts";
import type { HubConnection } from "../http/hub_connection.ts";
import { refuseContentEncoding } from "../http/content_encoding.ts";
import { errorForResponse } from "../http/hub_errors.ts";
import { sendRequest } from "../http/hub_request.ts";
import { retryableError } from "../http/retry.ts";
import type { FileHandle } from "../runtime/runtime.ts";
import { storageFailure } from "../store/storage_error.ts";
import type { ContentHasher } from "./file_hash.ts";
import type { Segment } from "./segment_plan.ts";

/** Raised when the server answers a ranged request with the whole file. */
export class RangeIgnoredError extends Error {
  /** Creates the error; it carries no details. */
  constructor() {
    super("the server ignored the Range header");
    this.name = "RangeIgnoredError";
  }
}

/** Raised when the remote file no longer matches the partial download (416, other total). */
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
  /** The partial file. */
  handle: FileHandle;
  /** The file's full size. */
  total: number;
  /** Abort an attempt after this long without a byte. */
  idleTimeoutMs: number;
  /** The repository path, for messages. */
  file: string;
  /** The repository, for messages. */
  repo: string;
  /** Told about every batch of bytes written. */
  onBytes: (count: number) => void;
  /** Hashes the content when it is written in order from byte 0. */
  hasher?: ContentHasher;
  /** Called when a single-stream download must start again at byte 0 (Range ignored). */
  onRestartFromZero?: () => void;
}

/** Bytes gathered before one write; small, because bytes still in memory are lost on a kill. */
const WRITE_BATCH = 256 * 1024;

function parseContentRange(
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

/**
 * Fetches what is missing of `segment` in one request, advancing `segment.next`
 * as bytes reach the file. Throws a retryable error when the attempt can be
 * repeated from where it stopped.
 *
 * @example
 * ```ts ignore
 * await fetchSegment(fetchContext, { start: 0, end: 99, next: 0 }, true);
 * ```
 */
export async function fetchSegment(
  job: SegmentFetch,
  segment: Segment,
  wholeFile: boolean,
): Promise<void> {
  if (segment.next > segment.end) return;
  const idle = new AbortController();
  let lastByteAt = Date.now();
  const watchdog = setInterval(() => {
    if (Date.now() - lastByteAt > job.idleTimeoutMs) {
      idle.abort(new DOMException("idle timeout", "TimeoutError"));
    }
  }, Math.max(10, Math.min(1000, job.idleTimeoutMs / 4)));
  const headers: Record<string, string> = { "Accept-Encoding": "identity" };
  if (!(wholeFile && segment.next === 0)) headers.Range = `bytes=${segment.next}-${segment.end}`;
  const label = `${job.file} in ${job.repo}`;
  try {
    const { response, url } = await sendRequest(job.connection, job.contentUrl, {
      headers,
      signal: idle.signal,
    });
    if (response.ok) await refuseContentEncoding(response, `download ${label}`);
    let position: number;
    if (response.status === 206) {
      const range = parseContentRange(response.headers.get("content-range"));
      if (range?.total !== undefined && range.total !== job.total) {
        await response.body?.cancel().catch(() => {});
        throw new RemoteChangedError(
          `the server now says ${job.file} has ${range.total} bytes, not ${job.total}`,
        );
      }
      if (!range || range.start !== segment.next) {
        await response.body?.cancel().catch(() => {});
        throw retryableError(
          `download ${label}: the server sent the wrong range (${
            response.headers.get("content-range")
          })`,
        );
      }
      position = segment.next;
    } else if (response.status === 200) {
      if (!wholeFile) {
        await response.body?.cancel().catch(() => {});
        throw new RangeIgnoredError();
      }
      if (segment.next !== 0) {
        segment.next = 0;
        job.onRestartFromZero?.();
      }
      position = 0;
    } else if (response.status === 416) {
      await response.body?.cancel().catch(() => {});
      throw new RemoteChangedError(
        `the server cannot serve bytes ${segment.next}- of ${job.file} (416): the partial file is stale`,
      );
    } else {
      const leftEndpoint = url.origin !== new URL(job.connection.endpoint).origin;
      if (leftEndpoint && [401, 403, 404, 410].includes(response.status)) {
        await response.body?.cancel().catch(() => {});
        // A signed CDN URL that stopped working has usually expired: resolve again and retry.
        const error = retryableError(
          `download ${label}: the file server answered ${response.status}`,
        );
        error.details.refreshUrl = true;
        throw error;
      }
      throw await errorForResponse(response, {
        repo: job.repo,
        file: job.file,
        endpoint: job.connection.endpoint,
        hasToken: Boolean(job.connection.token),
        action: "download the file",
      });
    }
    if (!response.body) throw retryableError(`download ${label}: the answer has no body`);
    const reader = response.body.getReader();
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = async () => {
      if (pendingBytes === 0) return;
      const batch = pending.length === 1 ? pending[0] : concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      try {
        await job.handle.write(batch, position);
      } catch (error) {
        throw storageFailure(`write ${job.file}`, error, true);
      }
      job.hasher?.update(batch);
      position += batch.length;
      segment.next = position;
      job.onBytes(batch.length);
    };
    const limit = segment.end + 1;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        lastByteAt = Date.now();
        const room = limit - position - pendingBytes;
        const chunk = value.length > room ? value.subarray(0, Math.max(0, room)) : value;
        if (chunk.length > 0) {
          pending.push(chunk);
          pendingBytes += chunk.length;
        }
        if (pendingBytes >= WRITE_BATCH) await flush();
        if (position + pendingBytes >= limit) break;
      }
    } finally {
      await flush().finally(() => reader.cancel().catch(() => {}));
    }
    if (position < limit) {
      throw retryableError(
        `download ${label}: the connection closed after ${position} of ${limit} bytes`,
      );
    }
  } catch (error) {
    if (job.connection.signal?.aborted) throw job.connection.signal.reason ?? error;
    if (idle.signal.aborted && (isAbortError(error) || error === idle.signal.reason)) {
      throw retryableError(
        `download ${label}: no data for ${Number((job.idleTimeoutMs / 1000).toFixed(1))} s`,
      );
    }
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
    clearInterval(watchdog);
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
