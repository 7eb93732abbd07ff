/**
 * One request to the ModelScope emulator as its handlers and the shared fault machinery
 * see it, and the emulator state they share.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultExchange, FaultHost } from "../fault_exchange.ts";
import type { MsRepo } from "./api.ts";
import type { MsRequestRecord, MsStoredFile } from "./types.ts";

/** The state of one running emulator. */
export interface MsState extends FaultHost {
  /** Repositories by id. */
  readonly repos: Map<string, MsRepo>;
  /** The storage's files, by SHA-256. */
  readonly blobs: Map<string, MsStoredFile>;
  /** Every request, in arrival order. */
  readonly requests: MsRequestRecord[];
  /** The one token accepted. */
  readonly token?: string;
  /** The storage origin; "" until listening. */
  storageOrigin: string;
  /** Statuses the next API requests answer instead, first one first (`failApi`). */
  readonly failures: number[];
}

/** One request being answered. */
export interface MsExchange extends FaultExchange {
  /** The emulator. */
  hub: MsState;
  /** Which listener received it. */
  origin: "api" | "storage";
  /** The request URL (on a placeholder origin). */
  url: URL;
  /** What tests see of it. */
  record: MsRequestRecord;
}

/** Records the request and wraps it for the handlers. */
export function openMsExchange(
  state: MsState,
  incoming: { origin: "api" | "storage"; req: IncomingMessage; res: ServerResponse },
): MsExchange {
  const { origin, req, res } = incoming;
  const url = new URL(req.url ?? "/", "http://emulator");
  let path = url.pathname;
  try {
    path = decodeURIComponent(path);
  } catch {
    // kept raw: the handlers answer 404
  }
  const record: MsRequestRecord = {
    origin,
    method: req.method ?? "GET",
    path,
    url: req.url ?? "/",
    authorization: req.headers.authorization,
    cookie: req.headers.cookie,
    range: req.headers.range,
    status: 0,
    bodyBytes: 0,
  };
  state.requests.push(record);
  const ex: MsExchange = {
    hub: state,
    origin,
    req,
    res,
    method: record.method.toUpperCase(),
    url,
    record,
    isClosed: false,
  };
  res.on("close", () => ex.isClosed = true);
  return ex;
}
