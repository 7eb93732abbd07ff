/**
 * The emulated storage origin a ModelScope download redirects to: file bodies by
 * SHA-256 (`/objects/<sha256>/<name>`), honouring `Range` (206 with `Content-Range`),
 * through the Hub emulator's `sendContent`, so the same body faults apply.
 *
 * @module
 */
import { bytesPayload, respond, sendContent } from "../hub/responses.ts";
import type { MsExchange } from "./exchange.ts";

const encoder = new TextEncoder();

/** Answers one storage request. */
export function handleStorage(ex: MsExchange): Promise<void> {
  const parts = ex.record.path.split("/");
  const file = parts[1] === "objects" ? ex.hub.blobs.get(parts[2]) : undefined;
  if (!file || (ex.method !== "GET" && ex.method !== "HEAD")) {
    return respond(ex, {
      status: 404,
      headers: { "Content-Type": "application/xml" },
      payload: bytesPayload(encoder.encode("<Error><Code>NoSuchKey</Code></Error>")),
    });
  }
  return sendContent(ex, {
    source: file.source,
    headers: { "Content-Type": "application/octet-stream" },
  });
}
