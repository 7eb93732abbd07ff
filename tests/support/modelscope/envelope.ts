/**
 * ModelScope's legacy API answers: the `Code/Data/Message/RequestId/Success`
 * envelope for successes and errors alike, sent through the shared `respond`
 * (so response faults apply to them).
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { bytesPayload, respond } from "../hub/responses.ts";
import type { MsExchange } from "./exchange.ts";

const encoder = new TextEncoder();

/** Sends `data` in a success envelope. */
export function sendData(ex: MsExchange, data: unknown): Promise<void> {
  return sendJson(ex, {
    Code: 200,
    Data: data,
    Message: "success",
    RequestId: randomUUID(),
    Success: true,
  });
}

/** Sends an error envelope with an HTTP status and ModelScope's `Code`. */
export function sendError(
  ex: MsExchange,
  error: { status: number; code: number; message: string; headers?: Record<string, string> },
): Promise<void> {
  return sendJson(ex, {
    Code: error.code,
    Data: null,
    Message: error.message,
    RequestId: randomUUID(),
    Success: false,
  }, { status: error.status, headers: error.headers });
}

/** Sends `body` as JSON (HTTP 200 unless said otherwise). */
export function sendJson(
  ex: MsExchange,
  body: unknown,
  options: { status?: number; headers?: Record<string, string> } = {},
): Promise<void> {
  return respond(ex, {
    status: options.status ?? 200,
    headers: { "Content-Type": "application/json", ...options.headers },
    payload: bytesPayload(encoder.encode(JSON.stringify(body))),
  });
}
