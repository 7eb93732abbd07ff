/**
 * File downloads from the hub origin (`/{id}/resolve/{rev}/{path}` and `/raw/`): small files
 * in place, LFS files as a 302 to a signed CDN URL with `X-Linked-*` metadata, LFS pointers
 * through `raw`, and the gate of gated repositories; with `options.resolveCache`, small files
 * of public repos through a relative 307 to `/api/resolve-cache/...`, and with `options.xet`,
 * LFS files as a 302 with Xet headers to a bridge URL.
 *
 * @module
 */
import { memorySource } from "./byte_source.ts";
import { signedCdnUrl } from "./cdn.ts";
import type { Exchange } from "./exchange.ts";
import {
  findRevision,
  splitRevision,
  type StoredFile,
  type StoredRepo,
  type StoredRevision,
} from "./prepared_repo.ts";
import { accessibleRepo, isApproved, revisionNotFound } from "./repo_access.ts";
import { bytesPayload, headerSafe, respond, sendContent, sendError } from "./responses.ts";
import { signedBridgeUrl, xetResolveHeaders } from "./xet_bridge.ts";

/** A repository and the path parts after `resolve/` or `raw/`: the revision, then the file. */
export interface ResolveTarget {
  /** The repository. */
  repo: StoredRepo;
  /** Decoded path parts, e.g. `["main", "sub", "model.rkllm"]`. */
  parts: string[];
  /** `raw/`: an LFS file answers its pointer instead of a redirect. */
  raw: boolean;
}

const encoder = new TextEncoder();

/** A small (git) file of a revision. */
export interface GitFileTarget {
  /** The revision holding it. */
  revision: StoredRevision;
  /** The file. */
  file: StoredFile;
}

/** Answer a file download, or the gate, revision or entry error that stops it. */
export function resolveFile(ex: Exchange, target: ResolveTarget): Promise<void> {
  const { repo, parts, raw } = target;
  const id = repo.spec.id;
  if (repo.spec.gated && !isApproved(ex, id)) return refuseGated(ex, id);
  const split = splitRevision(repo, parts, { minPathParts: 1 });
  if (!split) return revisionNotFound(ex, parts[0]);
  const { revision, rest } = split;
  const file = revision.files.get(rest.join("/"));
  if (!file) {
    return sendError(ex, {
      status: 404,
      code: "EntryNotFound",
      message: "Entry not found",
      headers: { "X-Repo-Commit": revision.sha },
    });
  }
  const common = { "X-Repo-Commit": revision.sha, "ETag": `"${file.oid}"` };
  if (file.lfs && raw) {
    return sendContent(ex, {
      source: memorySource(file.pointer as Uint8Array),
      headers: { ...common, "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  if (!file.lfs) {
    if (!raw && ex.hub.options.resolveCache && !repo.spec.private && !repo.spec.gated) {
      return redirectToResolveCache(ex, { revision, file });
    }
    return sendGitFile(ex, { revision, file });
  }
  const xet = ex.hub.options.xet ? { repoId: id, commit: revision.sha, file } : null;
  const location = xet ? signedBridgeUrl(ex.hub, xet) : signedCdnUrl(ex.hub, file);
  const body = encoder.encode(`Found. Redirecting to ${location}`);
  return respond(ex, {
    status: 302,
    headers: {
      ...common,
      "X-Linked-Etag": `"${file.sha256}"`,
      "X-Linked-Size": String(file.size),
      ...(xet ? xetResolveHeaders(ex.hub, xet) : {}),
      "Location": location,
      "Content-Type": "text/plain; charset=utf-8",
    },
    payload: bytesPayload(body),
  });
}

/**
 * Answer `/api/resolve-cache/models/{owner}/{name}/{commit}/{path}` (`options.resolveCache`):
 * the small file of that commit, as `resolve` would answer it in place.
 */
export function resolveCachedFile(ex: Exchange): Promise<void> {
  const repo = accessibleRepo(ex, 3);
  if (repo instanceof Promise) return repo;
  if (repo.spec.gated && !isApproved(ex, repo.spec.id)) return refuseGated(ex, repo.spec.id);
  const revision = findRevision(repo, ex.segments[5] ?? "");
  if (!revision) return revisionNotFound(ex, ex.segments[5] ?? "");
  const file = revision.files.get(ex.segments.slice(6).join("/"));
  if (!file || file.lfs) {
    return sendError(ex, {
      status: 404,
      code: "EntryNotFound",
      message: "Entry not found",
      headers: { "X-Repo-Commit": revision.sha },
    });
  }
  return sendGitFile(ex, { revision, file });
}

/** A small file in place: 200/206 with its git-sha1 `ETag` and the commit. */
function sendGitFile(ex: Exchange, target: GitFileTarget): Promise<void> {
  const { revision, file } = target;
  const name = file.path.split("/").pop() ?? file.path;
  return sendContent(ex, {
    source: file.source,
    headers: {
      "X-Repo-Commit": revision.sha,
      "ETag": `"${file.oid}"`,
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Disposition": `inline; filename*=UTF-8''${encodeURIComponent(name)}; filename="${
        headerSafe(name).replace(/"/g, "")
      }";`,
    },
  });
}

/**
 * The relative 307 of the real Hub to its cache of small files, keeping the asked path in the
 * query as huggingface.co does; its `Content-Length` is the short text body's.
 */
function redirectToResolveCache(ex: Exchange, target: GitFileTarget): Promise<void> {
  const { revision, file } = target;
  const [owner, name] = ex.rawSegments;
  const path = file.path.split("/").map(encodeURIComponent).join("/");
  const asked = encodeURIComponent(decodeURIComponent(ex.url.pathname));
  const location = `/api/resolve-cache/models/${owner}/${name}/${revision.sha}/${path}?${asked}=` +
    `&etag=${encodeURIComponent(`"${file.oid}"`)}`;
  const body = encoder.encode(`Temporary Redirect. Redirecting to ${location}`);
  return respond(ex, {
    status: 307,
    headers: {
      "X-Repo-Commit": revision.sha,
      "Location": location,
      "Content-Type": "text/plain; charset=utf-8",
    },
    payload: bytesPayload(body),
  });
}

function refuseGated(ex: Exchange, id: string): Promise<void> {
  const anonymous = ex.token === null;
  return sendError(ex, {
    status: anonymous ? 401 : 403,
    code: "GatedRepo",
    message: anonymous
      ? `Access to model ${id} is restricted. You must have access to it and be authenticated to access it. Please log in.`
      : `Access to model ${id} is restricted and you are not in the authorized list. Visit ${ex.hub.endpoint}/${id} to ask for access.`,
  });
}
