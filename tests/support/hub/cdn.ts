/**
 * The CDN origin: LFS bodies by SHA-256 behind signed, expiring URLs (the LFS ones, and the
 * Xet bridge ones of `options.xet`), answering errors in the XML of an object store, as the
 * storage behind huggingface.co does; and the CDN modes: HEAD refused, paths that stay 403,
 * 206s starting at a block boundary.
 *
 * @module
 */
import { createHmac } from "node:crypto";
import type { Exchange } from "./exchange.ts";
import type { StoredFile } from "./prepared_repo.ts";
import { bytesPayload, respond, sendContent } from "./responses.ts";
import type { HubState } from "./state.ts";
import { BRIDGE_PREFIX, checkBridgeUrl, type SignedUrlCheck } from "./xet_bridge.ts";

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

/**
 * Answer a CDN request: the blob (by Range) if the signed URL (LFS or Xet bridge) is valid and
 * not expired, unless a mode refuses it (HEAD refused, a path that stays 403).
 */
export function handleCdn(ex: Exchange): Promise<void> {
  if (ex.method !== "GET" && ex.method !== "HEAD") {
    return cdnError(ex, 405, "MethodNotAllowed", "Method not allowed");
  }
  const headStatus = ex.hub.options.cdnHeadStatus;
  if (headStatus !== undefined && ex.method === "HEAD") return refuseHead(ex, headStatus);
  const checked = ex.segments[0] === BRIDGE_PREFIX ? checkBridgeUrl(ex) : checkLfsUrl(ex);
  if ("denied" in checked) return cdnError(ex, 403, "AccessDenied", checked.denied);
  const file = ex.hub.blobs.get(checked.sha256);
  if (!file) return cdnError(ex, 404, "NoSuchKey", "The specified key does not exist.");
  if (isForbidden(ex.hub, file.sha256)) return forbiddenAtEdge(ex);
  return sendContent(ex, {
    source: file.source,
    headers: {
      "ETag": `"${file.sha256}"`,
      "Content-Type": "application/octet-stream",
      "Cache-Control": "public, max-age=604800, immutable",
    },
    rangeBlockBytes: ex.hub.options.cdnRangeBlockBytes,
  });
}

function checkLfsUrl(ex: Exchange): SignedUrlCheck {
  const expires = ex.url.searchParams.get("expires") ?? "";
  const sig = ex.url.searchParams.get("sig") ?? "";
  const pathname = ex.record.url.split("?")[0];
  if (ex.segments[0] !== "lfs" || sig !== signature(ex.hub.signingKey, pathname, expires)) {
    return { denied: "Invalid signature" };
  }
  if (Number(expires) * 1000 < Date.now()) return { denied: "Request has expired" };
  return { sha256: ex.segments[1] };
}

/** Whether a file at one of `cdnForbiddenPaths`, in any repo or revision, has these bytes. */
function isForbidden(hub: HubState, sha256: string): boolean {
  const paths = hub.options.cdnForbiddenPaths ?? [];
  for (const repo of hub.repos.values()) {
    for (const revision of repo.named.values()) {
      if (paths.some((path) => revision.files.get(path)?.sha256 === sha256)) return true;
    }
  }
  return false;
}

/** Signed URLs are method-specific: HEAD with a GET signature fails (403), or HEAD is not allowed (405). */
function refuseHead(ex: Exchange, status: 403 | 405): Promise<void> {
  if (status === 403) {
    return cdnError(ex, 403, "SignatureDoesNotMatch", "The request signature does not match");
  }
  return respond(ex, {
    status: 405,
    headers: { "Allow": "GET", "X-Cache": "Error from cloudfront" },
  });
}

/** A refusal that no fresh URL cures (a bad key pair, a blocked object), as CloudFront answers it. */
function forbiddenAtEdge(ex: Exchange): Promise<void> {
  const body = encoder.encode(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access denied</Message></Error>`,
  );
  return respond(ex, {
    status: 403,
    headers: { "Content-Type": "application/xml", "X-Cache": "Error from cloudfront" },
    payload: bytesPayload(body),
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
