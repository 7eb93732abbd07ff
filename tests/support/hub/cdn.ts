/**
 * The CDN origin: LFS bodies by SHA-256 behind signed, expiring URLs, answering errors in
 * the XML of an object store, as the storage behind huggingface.co does.
 *
 * @module
 */
import { createHmac } from "node:crypto";
import type { Exchange } from "./exchange.ts";
import type { StoredFile } from "./prepared_repo.ts";
import { bytesPayload, respond, sendContent } from "./responses.ts";
import type { HubState } from "./state.ts";

const encoder = new TextEncoder();

/** A URL of the file on the CDN, signed with the current key, valid for `signedUrlTtlSeconds`. */
export function signedCdnUrl(hub: HubState, file: StoredFile): string {
  const pathname = `/lfs/${file.sha256}/${file.path.split("/").map(encodeURIComponent).join("/")}`;
  const ttl = hub.options.signedUrlTtlSeconds ?? 3600;
  const expires = String(Math.floor(Date.now() / 1000) + ttl);
  return `${hub.cdnOrigin}${pathname}?expires=${expires}&sig=${
    signature(hub.signingKey, pathname, expires)
  }`;
}

/** Answer a CDN request: the blob (by Range) if the signature is valid and not expired. */
export function handleCdn(ex: Exchange): Promise<void> {
  if (ex.method !== "GET" && ex.method !== "HEAD") {
    return cdnError(ex, 405, "MethodNotAllowed", "Method not allowed");
  }
  const expires = ex.url.searchParams.get("expires") ?? "";
  const sig = ex.url.searchParams.get("sig") ?? "";
  const pathname = ex.record.url.split("?")[0];
  if (ex.segments[0] !== "lfs" || sig !== signature(ex.hub.signingKey, pathname, expires)) {
    return cdnError(ex, 403, "AccessDenied", "Invalid signature");
  }
  if (Number(expires) * 1000 < Date.now()) {
    return cdnError(ex, 403, "AccessDenied", "Request has expired");
  }
  const file = ex.hub.blobs.get(ex.segments[1]);
  if (!file) return cdnError(ex, 404, "NoSuchKey", "The specified key does not exist.");
  return sendContent(ex, {
    source: file.source,
    headers: {
      "ETag": `"${file.sha256}"`,
      "Content-Type": "application/octet-stream",
      "Cache-Control": "public, max-age=604800, immutable",
    },
  });
}

function signature(key: Uint8Array, pathname: string, expires: string): string {
  return createHmac("sha256", key).update(`${pathname}\n${expires}`).digest("hex");
}

function cdnError(ex: Exchange, status: number, code: string, message: string): Promise<void> {
  const body = encoder.encode(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`,
  );
  return respond(ex, {
    status,
    headers: { "Content-Type": "application/xml" },
    payload: bytesPayload(body),
  });
}
