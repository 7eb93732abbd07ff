/**
 * ModelScope's legacy API answers: the `Code/Data/Message/RequestId/Success`
 * envelope for successes and errors alike.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";

/** Sends `data` in a success envelope. */
export function sendData(res: ServerResponse, data: unknown): number {
  return sendEnvelope(res, 200, {
    Code: 200,
    Data: data,
    Message: "success",
    RequestId: randomUUID(),
    Success: true,
  });
}

/** Sends an error envelope with an HTTP status and ModelScope's `Code`. */
export function sendError(
  res: ServerResponse,
  error: { status: number; code: number; message: string },
): number {
  return sendEnvelope(res, error.status, {
    Code: error.code,
    Data: null,
    Message: error.message,
    RequestId: randomUUID(),
    Success: false,
  });
}

function sendEnvelope(res: ServerResponse, status: number, body: unknown): number {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": String(Buffer.byteLength(text)),
  });
  res.end(text);
  return status;
}
