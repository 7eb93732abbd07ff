/**
 * File downloads from the hub origin (`/{id}/resolve/{rev}/{path}` and `/raw/`): small files
 * in place, LFS files as a 302 to a signed CDN URL with `X-Linked-*` metadata, LFS pointers
 * through `raw`, and the gate of gated repositories.
 *
 * @module
 */
import { memorySource } from "./byte_source.ts";
import { signedCdnUrl } from "./cdn.ts";
import type { Exchange } from "./exchange.ts";
import { findRevision, splitRevision, type StoredFile, type StoredRepo } from "./prepared_repo.ts";
import { isApproved, revisionNotFound } from "./repo_access.ts";
import { bytesPayload, headerSafe, respond, sendContent, sendError } from "./responses.ts";

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

/** Answer a file download, or the gate, revision or entry error that stops it. */
export function resolveFile(ex: Exchange, target: ResolveTarget): Promise<void> {
  const { repo, parts, raw } = target;
  const id = repo.spec.id;
  if (repo.spec.gated && !isApproved(ex, id)) {
    const anonymous = ex.token === null;
    return sendError(ex, {
      status: anonymous ? 401 : 403,
      code: "GatedRepo",
      message: anonymous
        ? `Access to model ${id} is restricted. You must have access to it and be authenticated to access it. Please log in.`
        : `Access to model ${id} is restricted and you are not in the authorized list. Visit ${ex.hub.endpoint}/${id} to ask for access.`,
    });
  }
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
  if (!file.lfs && !raw && ex.hub.options.resolveCache && !repo.spec.private) {
    return redirectToResolveCache(ex, { repo, sha: revision.sha, file });
  }
  if (!file.lfs) {
    const name = file.path.split("/").pop() ?? file.path;
    return sendContent(ex, {
      source: file.source,
      headers: {
        ...common,
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Disposition": `inline; filename*=UTF-8''${encodeURIComponent(name)}; filename="${
          headerSafe(name).replace(/"/g, "")
        }";`,
      },
    });
  }
  const location = signedCdnUrl(ex.hub, file);
  const body = encoder.encode(`Found. Redirecting to ${location}`);
  return respond(ex, {
    status: 302,
    headers: {
      ...common,
      "X-Linked-Etag": `"${file.sha256}"`,
      "X-Linked-Size": String(file.size),
      "Location": location,
      "Content-Type": "text/plain; charset=utf-8",
    },
    payload: bytesPayload(body),
  });
}

/** A file of a repository at a commit. */
interface CachedFile {
  /** The repository. */
  repo: StoredRepo;
  /** The 40-hex commit. */
  sha: string;
  /** The file. */
  file: StoredFile;
}

/** The relative 307 huggingface.co answers for a public non-LFS file (option `resolveCache`). */
function redirectToResolveCache(ex: Exchange, target: CachedFile): Promise<void> {
  const { repo, sha, file } = target;
  const id = repo.spec.id.split("/").map(encodeURIComponent).join("/");
  const path = file.path.split("/").map(encodeURIComponent).join("/");
  const original = encodeURIComponent(ex.url.pathname);
  const location = `/api/resolve-cache/models/${id}/${sha}/${path}?${original}=&etag=${
    encodeURIComponent(`"${file.oid}"`)
  }`;
  const body = encoder.encode(`Temporary Redirect. Redirecting to ${location}`);
  return respond(ex, {
    status: 307,
    headers: { "Location": location, "Content-Type": "text/plain; charset=utf-8" },
    payload: bytesPayload(body),
  });
}

/**
 * `/api/resolve-cache/models/{owner}/{name}/{commit}/{path}`: the file itself, with
 * `X-Repo-Commit`, the quoted git-sha1 `ETag` and its `Content-Length`.
 */
export function sendResolveCache(ex: Exchange, repo: StoredRepo, parts: string[]): Promise<void> {
  const revision = findRevision(repo, parts[0] ?? "");
  const file = revision?.files.get(parts.slice(1).join("/"));
  if (!revision || !file || file.lfs) {
    return sendError(ex, { status: 404, code: "EntryNotFound", message: "Entry not found" });
  }
  return sendContent(ex, {
    source: file.source,
    headers: {
      "X-Repo-Commit": revision.sha,
      "ETag": `"${file.oid}"`,
      "Content-Type": "text/plain; charset=utf-8",
    },
  });
}
