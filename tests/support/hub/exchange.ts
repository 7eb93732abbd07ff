/**
 * One request and its response, as every handler of the emulator sees them: the parsed
 * target, the bearer token, the record kept for tests and the state of the emulator.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { HubState } from "./state.ts";
import type { FaultSpec, RequestRecord } from "./types.ts";

/** One request being answered. */
export interface Exchange {
  /** The emulator answering it. */
  hub: HubState;
  /** Which listener received it. */
  origin: "hub" | "cdn" | "alias";
  /** The request. */
  req: IncomingMessage;
  /** The response. */
  res: ServerResponse;
  /** Upper-case HTTP method. */
  method: string;
  /** Absolute URL of the request on its listener's origin. */
  url: URL;
  /** Pathname split on "/" (leading empty part dropped), raw and decoded. */
  rawSegments: string[];
  /** Pathname split on "/" (leading empty part dropped), each part URL-decoded. */
  segments: string[];
  /** What tests see of this request. */
  record: RequestRecord;
  /** Set as soon as the response closes (finished or connection gone). */
  isClosed: boolean;
  /** Bearer token of the `Authorization` header, or null. */
  token: string | null;
  /** Fault picked for the response; undefined until picked. */
  fault?: FaultSpec | null;
  /** Where the rate limit stood when the request arrived (`options.rateLimit` only). */
  rateLimit?: RateLimitReading;
}

/** The rate limit as one answer reports it. */
export interface RateLimitReading {
  /** Requests left in the window (`r`). */
  remaining: number;
  /** Seconds until the window resets (`t`). */
  resetSeconds: number;
  /** Requests allowed per window (`q`). */
  limit: number;
  /** Length of the window in seconds (`w`). */
  windowSeconds: number;
}

/** A request as a listener received it. */
export interface IncomingExchange {
  /** Which listener received it. */
  origin: "hub" | "cdn" | "alias";
  /** The request. */
  req: IncomingMessage;
  /** The response. */
  res: ServerResponse;
}

/**
 * Record the request and parse it into an exchange; null when its path cannot be decoded,
 * in which case it has already been answered 400.
 */
export function openExchange(hub: HubState, incoming: IncomingExchange): Exchange | null {
  const { origin, req, res } = incoming;
  const target = req.url ?? "/";
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
    }
  }
  const record: RequestRecord = {
    origin,
    method: req.method ?? "GET",
    path: target.split("?")[0],
    url: target,
    headers,
    status: 0,
    bodyBytes: 0,
  };
  hub.requests.push(record);
  const rawSegments = target.split("?")[0].split("/").slice(1);
  let segments: string[];
  try {
    segments = rawSegments.map((part) => decodeURIComponent(part));
    record.path = "/" + segments.join("/");
  } catch {
    record.status = 400;
    res.writeHead(400, { "Content-Length": "0" });
    res.end();
    return null;
  }
  const authorization = headers["authorization"];
  const base = origin === "hub" ? hub.endpoint : origin === "cdn" ? hub.cdnOrigin : hub.aliasOrigin;
  const ex: Exchange = {
    hub,
    origin,
    req,
    res,
    method: record.method.toUpperCase(),
    url: new URL(base + (target.startsWith("/") ? target : `/${target}`)),
    rawSegments,
    segments,
    record,
    isClosed: false,
    token: authorization ? authorization.replace(/^Bearer\s+/i, "") : null,
  };
  res.on("close", () => ex.isClosed = true);
  return ex;
}
