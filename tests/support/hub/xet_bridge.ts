/**
 * Xet shapes of the real Hub (`options.xet`): the `xetHash` of a file, the headers the 302 of
 * `resolve` carries for it, and the signed bridge URLs (CloudFront-style `Policy`, `Signature`,
 * `Key-Pair-Id`) on the CDN listener that serve its plain bytes.
 *
 * @module
 */
import { createHash, createHmac } from "node:crypto";
import type { Exchange } from "./exchange.ts";
import type { StoredFile } from "./prepared_repo.ts";
import type { HubState } from "./state.ts";

/** The first segment of a bridge URL's path. */
export const BRIDGE_PREFIX = "xet-bridge-us";

/** A file of a repository at a commit. */
export interface XetTarget {
  /** `"owner/name"`. */
  repoId: string;
  /** 40-hex commit the file was resolved at. */
  commit: string;
  /** The file (LFS). */
  file: StoredFile;
}

/** What a signed URL names: a blob by SHA-256, or why the URL is refused. */
export type SignedUrlCheck = { sha256: string } | { denied: string };

const KEY_PAIR_ID = "K2L8F4GPSG1IFC";

/** The 64-hex Xet hash of a file (derived from its SHA-256: the emulator builds no Xet chunks). */
export function xetHashOf(file: StoredFile): string {
  return createHash("sha256").update(`xet\0${file.sha256}`).digest("hex");
}

/** The 24-hex object id of a repository, as `_id` in its info. */
export function repoObjectId(repoId: string): string {
  return createHash("sha1").update(`repo:${repoId}`).digest("hex").slice(0, 24);
}

/** `X-Xet-Hash` and the xet `Link`s of the 302 that `resolve` answers for a Xet-backed file. */
export function xetResolveHeaders(hub: HubState, target: XetTarget): Record<string, string> {
  const hash = xetHashOf(target.file);
  const auth = `${hub.endpoint}/api/models/${target.repoId}/xet-read-token/${target.commit}`;
  const reconstruction = `${hub.cdnOrigin}/v1/reconstructions/${hash}`;
  return {
    "X-Xet-Hash": hash,
    "Link": `<${auth}>; rel="xet-auth", <${reconstruction}>; rel="xet-reconstruction-info"`,
  };
}

/** A bridge URL of the file on the CDN listener, signed with the current key, expiring. */
export function signedBridgeUrl(hub: HubState, target: XetTarget): string {
  const pathname = `/${BRIDGE_PREFIX}/${repoObjectId(target.repoId)}/${target.file.sha256}`;
  const ttl = hub.options.signedUrlTtlSeconds ?? 3600;
  const policy = encodePolicy(pathname, Math.floor(Date.now() / 1000) + ttl);
  const query = new URLSearchParams({
    "X-Amz-Expires": String(ttl),
    "Policy": policy,
    "Signature": sign(hub.signingKey, policy),
    "Key-Pair-Id": KEY_PAIR_ID,
  });
  return `${hub.cdnOrigin}${pathname}?${query}`;
}

/** Which blob a bridge URL names, if its policy covers the path, is signed and has not expired. */
export function checkBridgeUrl(ex: Exchange): SignedUrlCheck {
  const policy = ex.url.searchParams.get("Policy") ?? "";
  const signature = ex.url.searchParams.get("Signature") ?? "";
  const statement = decodePolicy(policy);
  const pathname = ex.record.url.split("?")[0];
  if (
    !statement || statement.resource !== pathname || signature !== sign(ex.hub.signingKey, policy)
  ) {
    return { denied: "Invalid signature" };
  }
  if (statement.expires * 1000 < Date.now()) return { denied: "Request has expired" };
  return { sha256: ex.segments[2] ?? "" };
}

function encodePolicy(resource: string, expires: number): string {
  const policy = {
    Statement: [{ Resource: resource, Condition: { DateLessThan: { "AWS:EpochTime": expires } } }],
  };
  return btoa(JSON.stringify(policy)).replace(/\+/g, "-").replace(/=/g, "_").replace(/\//g, "~");
}

function decodePolicy(policy: string): { resource: string; expires: number } | null {
  try {
    const json = atob(policy.replace(/-/g, "+").replace(/_/g, "=").replace(/~/g, "/"));
    const statement = JSON.parse(json).Statement[0];
    return {
      resource: statement.Resource,
      expires: statement.Condition.DateLessThan["AWS:EpochTime"],
    };
  } catch {
    return null;
  }
}

function sign(key: Uint8Array, policy: string): string {
  return createHmac("sha256", key).update(`bridge\n${policy}`).digest("hex");
}
