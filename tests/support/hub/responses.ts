/**
 * The one way the emulator answers: status and headers (with the response fault's headers
 * merged in), then the body through {@link streamBody}; plus the JSON, error, fault-status
 * and ranged-file answers built on it.
 *
 * @module
 */
import type { OutgoingHttpHeaders } from "node:http";
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { type Payload, streamBody } from "./body_stream.ts";
import { type ByteSource, memorySource } from "./byte_source.ts";
import type { Exchange } from "./exchange.ts";
import { responseFault } from "./faults.ts";
import { rateLimitHeaders } from "./rate_limit.ts";
import type { FaultExchange, FaultRule } from "../fault_exchange.ts";

/** A complete answer. */
export interface Reply {
  /** HTTP status. */
  status: number;
  /** Response headers; `Content-Length` and `X-Request-Id` are added. */
  headers: OutgoingHttpHeaders;
  /** The body, if any (never sent to HEAD). */
  payload?: Payload;
}

/** An error answered as the hub does: a JSON body and `X-Error-*` headers. */
export interface ErrorReply {
  /** HTTP status. */
  status: number;
  /** Human-readable message, in the body and `X-Error-Message`. */
  message: string;
  /** `X-Error-Code`, e.g. `"RepoNotFound"`. */
  code?: string;
  /** Extra headers. */
  headers?: Record<string, string>;
}

/** A file body, served whole or by Range. */
export interface ContentReply {
  /** The file. */
  source: ByteSource;
  /** Headers of the file (type, ETag, ...); `Accept-Ranges` and `Content-Range` are added. */
  headers: OutgoingHttpHeaders;
  /** Start a 206 at the asked start rounded down to a multiple of this, as block caches do. */
  rangeBlockBytes?: number;
}

const encoder = new TextEncoder();

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  408: "Request Timeout",
  416: "Range Not Satisfiable",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

type RangeAnswer = { start: number; end: number } | "unsatisfiable" | null;

/** The whole of `body` as a payload. */
export function bytesPayload(body: Uint8Array): Payload {
  return { source: memorySource(body), start: 0, end: body.length };
}

/**
 * Write the status and headers, then the body unless the method is HEAD. Picks the response
 * fault here: its headers are merged in, and its body effects apply to 2xx bodies only.
 */
export function respond(ex: FaultExchange, reply: Reply): Promise<void> {
  const { status, headers, payload } = reply;
  const withBody = payload !== undefined && ex.method !== "HEAD";
  const fault = responseFault(ex, withBody && status >= 200 && status < 300) ?? undefined;
  const length = payload ? payload.end - payload.start : 0;
  const all = mergeHeaders(
    { "X-Request-Id": `Root=1-${randomBytes(12).toString("hex")}` },
    rateLimitHeaders(ex.rateLimit),
    headers,
    status === 204 || status === 304 ? {} : { "Content-Length": String(length) },
    fault?.headers,
  );
  ex.record.status = status;
  if (fault?.gzip && withBody && payload && status >= 200 && status < 300) {
    return sendGzipped(ex, { status, headers: all, payload });
  }
  ex.res.writeHead(status, all);
  if (!withBody || !payload) {
    ex.res.end();
    return Promise.resolve();
  }
  return streamBody(ex, payload);
}

/** The fault `gzip`: the body compressed whole, with `Content-Encoding: gzip` and its own length. */
function sendGzipped(ex: FaultExchange, reply: Reply & { payload: Payload }): Promise<void> {
  const { payload } = reply;
  const body = gzipSync(payload.source.read(payload.start, payload.end));
  ex.record.bodyBytes += body.length;
  ex.res.writeHead(
    reply.status,
    mergeHeaders(reply.headers, {
      "Content-Encoding": "gzip",
      "Content-Length": String(body.length),
    }),
  );
  return new Promise((resolve) => ex.res.end(body, () => resolve()));
}

/** Answer a hub error: JSON `{"error": message}` with `X-Error-Code` and `X-Error-Message`. */
export function sendError(ex: Exchange, error: ErrorReply): Promise<void> {
  const body = encoder.encode(JSON.stringify({ error: error.message }));
  return respond(ex, {
    status: error.status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      ...(error.code ? { "X-Error-Code": error.code } : {}),
      "X-Error-Message": headerSafe(error.message),
      ...error.headers,
    },
    payload: bytesPayload(body),
  });
}

/** Options of {@link sendJson}. */
export interface SendJsonOptions {
  /** Extra headers, e.g. the `Link` of the next page. */
  headers?: OutgoingHttpHeaders;
}

/** Answer 200 with `value` as JSON. */
export function sendJson(
  ex: Exchange,
  value: unknown,
  options: SendJsonOptions = {},
): Promise<void> {
  const body = encoder.encode(JSON.stringify(value));
  return respond(ex, {
    status: 200,
    headers: { "Content-Type": "application/json; charset=utf-8", ...options.headers },
    payload: bytesPayload(body),
  });
}

/**
 * A file body honouring Range (206/416) unless the fault says to ignore it, capped at the
 * emulator's `bytesPerSecond`.
 */
export function sendContent(ex: FaultExchange, content: ContentReply): Promise<void> {
  const { source, headers } = content;
  const fault = responseFault(ex, ex.method === "GET");
  const asked = fault?.ignoreRange ? null : parseRange(ex.req.headers.range, source.size);
  const range = content.rangeBlockBytes ? alignedStart(asked, content.rangeBlockBytes) : asked;
  const rate = ex.hub.options.bytesPerSecond;
  const base = { ...headers, "Accept-Ranges": "bytes" };
  if (range === "unsatisfiable") {
    return respond(ex, {
      status: 416,
      headers: { ...base, "Content-Range": `bytes */${source.size}` },
    });
  }
  if (range && fault?.rangeBlockBytes) {
    range.start -= range.start % fault.rangeBlockBytes;
  }
  if (range) {
    const contentRange = `bytes ${range.start}-${range.end - 1}/${source.size}`;
    return respond(ex, {
      status: 206,
      headers: { ...base, "Content-Range": contentRange },
      payload: { source, ...range, bytesPerSecond: rate },
    });
  }
  return respond(ex, {
    status: 200,
    headers: base,
    payload: { source, start: 0, end: source.size, bytesPerSecond: rate },
  });
}

/** Answer a fault's `status` instead of the normal response, with a small JSON error body. */
export function sendFaultStatus(ex: FaultExchange, fault: FaultRule): Promise<void> {
  const status = fault.status ?? 500;
  const headers = fault.headers ?? {};
  const message = Object.entries(headers).find(([name]) =>
    name.toLowerCase() === "x-error-message"
  );
  const text = message?.[1] ?? statusText(status);
  const body = encoder.encode(JSON.stringify({ error: text }));
  ex.fault = null;
  return respond(ex, {
    status,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      // The hub puts its message in a header too; a CDN error has no such header.
      ...(ex.origin === "hub" && !message ? { "X-Error-Message": text } : {}),
      ...headers,
    },
    payload: bytesPayload(body),
  });
}

/** The text with every character a header value cannot carry replaced by `?`. */
export function headerSafe(text: string): string {
  return text.replace(/[^\t\x20-\x7e]/g, "?");
}

function statusText(status: number): string {
  return STATUS_TEXT[status] ?? `Status ${status}`;
}

function parseRange(header: string | undefined, size: number): RangeAnswer {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? "");
  if (!match || (match[1] === "" && match[2] === "")) return null;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return "unsatisfiable";
    return { start: Math.max(0, size - suffix), end: size };
  }
  const start = Number(match[1]);
  if (start >= size) return "unsatisfiable";
  const last = match[2] === "" ? size - 1 : Number(match[2]);
  if (last < start) return null;
  return { start, end: Math.min(last + 1, size) };
}

function alignedStart(range: RangeAnswer, blockBytes: number): RangeAnswer {
  if (range === null || range === "unsatisfiable") return range;
  return { start: range.start - (range.start % blockBytes), end: range.end };
}

/** Later sets win; names compare case-insensitively, as HTTP does. */
function mergeHeaders(...sets: (OutgoingHttpHeaders | undefined)[]): OutgoingHttpHeaders {
  const merged = new Map<string, [string, OutgoingHttpHeaders[string]]>();
  for (const set of sets) {
    for (const [name, value] of Object.entries(set ?? {})) {
      merged.set(name.toLowerCase(), [name, value]);
    }
  }
  return Object.fromEntries(merged.values());
}
