/**
 * The JSON API of the hub origin: repository info (`/api/models/{id}[/revision/{rev}]`),
 * the file tree (`/api/models/{id}/tree/{rev}/{path}`), the branches and tags
 * (`/api/models/{id}/refs`) and search (`/api/models`), with
 * cursor pagination through `Link` headers.
 *
 * @module
 */
import type { OutgoingHttpHeaders } from "node:http";
import type { Exchange } from "./exchange.ts";
import { compareUtf8 } from "./git_objects.ts";
import {
  findRevision,
  splitRevision,
  type StoredRepo,
  type StoredRevision,
} from "./prepared_repo.ts";
import { canSee, isApproved, revisionNotFound } from "./repo_access.ts";
import { responseFault } from "./faults.ts";
import { sendError, sendJson } from "./responses.ts";
import { repoObjectId, xetHashOf } from "./xet_bridge.ts";

/** A repository and the revision named in the path. */
export interface InfoTarget {
  /** The repository. */
  repo: StoredRepo;
  /** Branch, tag or commit, e.g. `"main"`. */
  revision: string;
}

/** A repository and the path parts after `tree/`: the revision, then the folder. */
export interface TreeTarget {
  /** The repository. */
  repo: StoredRepo;
  /** Decoded path parts, e.g. `["main", "sub"]`. */
  parts: string[];
}

const DEFAULT_DATE = "2025-01-01T00:00:00.000Z";

/** Answer the info of a repository at a revision; `?blobs=true` adds sizes, blob ids and LFS. */
export function sendRepoInfo(ex: Exchange, target: InfoTarget): Promise<void> {
  const { repo, revision: revisionName } = target;
  const revision = findRevision(repo, revisionName);
  if (!revision) return revisionNotFound(ex, revisionName);
  const blobs = isTrue(ex.url.searchParams.get("blobs"));
  const siblings = [...revision.files.values()].map((file) =>
    blobs
      ? {
        rfilename: file.path,
        blobId: file.oid,
        size: file.size,
        ...(file.lfs
          ? { lfs: { sha256: file.sha256, size: file.size, pointerSize: file.pointer?.length } }
          : {}),
      }
      : { rfilename: file.path }
  );
  return sendJson(ex, { ...summary(repo, revision), siblings });
}

/** Answer one page of the entries of a folder; `?recursive=true` descends, `?expand=true` adds commits. */
export function sendTree(ex: Exchange, target: TreeTarget): Promise<void> {
  const { repo, parts } = target;
  const split = splitRevision(repo, parts);
  if (!split) return revisionNotFound(ex, parts[0]);
  const { revision, rest } = split;
  const path = rest.filter((part) => part !== "").join("/");
  if (path !== "" && !revision.directories.has(path)) {
    return sendError(ex, {
      status: 404,
      code: "EntryNotFound",
      message: `Entry not found`,
      headers: { "X-Repo-Commit": revision.sha },
    });
  }
  const recursive = isTrue(ex.url.searchParams.get("recursive"));
  const expand = isTrue(ex.url.searchParams.get("expand"));
  const prefix = path === "" ? "" : `${path}/`;
  const inScope = (entryPath: string) =>
    entryPath !== path && entryPath.startsWith(prefix) &&
    (recursive || !entryPath.slice(prefix.length).includes("/"));
  const lastCommit = {
    id: revision.sha,
    title: "Upload folder using huggingface_hub",
    date: repo.spec.lastModified ?? DEFAULT_DATE,
  };
  const entries: Record<string, unknown>[] = [];
  for (const [dir, oid] of revision.directories) {
    if (dir !== "" && inScope(dir)) entries.push({ type: "directory", oid, size: 0, path: dir });
  }
  const masked = ex.hub.options.maskGatedHashes === true && repo.spec.gated &&
    !isApproved(ex, repo.spec.id);
  const hashOf = (hash: string) => masked ? "*" : hash;
  for (const file of revision.files.values()) {
    if (!inScope(file.path)) continue;
    entries.push({
      type: "file",
      oid: hashOf(file.oid),
      size: file.size,
      path: file.path,
      ...(file.lfs && ex.hub.options.xet ? { xetHash: hashOf(xetHashOf(file)) } : {}),
      ...(file.lfs
        ? { lfs: { oid: hashOf(file.sha256), size: file.size, pointerSize: file.pointer?.length } }
        : {}),
      ...(expand ? { lastCommit } : {}),
    });
  }
  entries.sort((a, b) => compareUtf8(String(a.path), String(b.path)));
  const altered = responseFault(ex, ex.method === "GET")?.listingHashes;
  return sendPage(ex, altered ? entries.map((entry) => withHashes(entry, altered)) : entries);
}

/**
 * Answer the branches and tags, shaped as the Hub answers `list_repo_refs`:
 * `{branches, converts, tags}`, each ref `{name, ref, targetCommit}`.
 */
export function sendRefs(ex: Exchange, repo: StoredRepo): Promise<void> {
  const refOf = (name: string, kind: "heads" | "tags", sha: string) => ({
    name,
    ref: `refs/${kind}/${name}`,
    targetCommit: sha,
  });
  const branches = [refOf("main", "heads", repo.main.sha)];
  const tags: ReturnType<typeof refOf>[] = [];
  for (const [name, revision] of Object.entries(repo.spec.revisions ?? {})) {
    if (name.startsWith("refs/")) continue;
    const sha = findRevision(repo, name)?.sha ?? revision.sha;
    if (revision.tag) tags.push(refOf(name, "tags", sha));
    else branches.push(refOf(name, "heads", sha));
  }
  return sendJson(ex, { branches, converts: [], tags });
}

/** Answer one page of the repositories matching `search`, `author` and `filter`, sorted by `sort`. */
export function sendSearch(ex: Exchange): Promise<void> {
  const params = ex.url.searchParams;
  const text = (params.get("search") ?? "").toLowerCase();
  const author = params.get("author")?.toLowerCase();
  const filters = params.getAll("filter").flatMap((value) => value.split(",")).map((tag) =>
    tag.toLowerCase()
  );
  const full = isTrue(params.get("full")) || params.getAll("expand").includes("siblings");
  const found = [...ex.hub.repos.values()].filter((repo) => {
    const spec = repo.spec;
    const tags = (spec.tags ?? []).map((tag) => tag.toLowerCase());
    return canSee(ex, repo) && spec.id.toLowerCase().includes(text) &&
      (author === undefined || spec.id.split("/")[0].toLowerCase() === author) &&
      filters.every((tag) => tags.includes(tag));
  });
  const sort = params.get("sort");
  if (sort) {
    const descending = params.get("direction") !== "1";
    const key = (repo: StoredRepo): number | string => {
      const spec = repo.spec;
      if (sort === "likes") return spec.likes ?? 0;
      if (sort === "lastModified" || sort === "createdAt") {
        return spec.lastModified ?? DEFAULT_DATE;
      }
      if (sort === "id") return spec.id;
      return spec.downloads ?? 0;
    };
    found.sort((a, b) => {
      const x = key(a);
      const y = key(b);
      const order = x < y ? -1 : x > y ? 1 : 0;
      return descending ? -order : order;
    });
  }
  const items = found.map((repo) => ({
    ...summary(repo, repo.main),
    ...(full ? { siblings: [...repo.main.files.keys()].map((path) => ({ rfilename: path })) } : {}),
  }));
  const limit = Number(params.get("limit") ?? "") || Infinity;
  return sendPage(ex, items, limit);
}

/** A file entry with its hashes dropped or masked; directories stay as they are. */
function withHashes(entry: Record<string, unknown>, how: "omit" | "mask"): Record<string, unknown> {
  if (entry.type !== "file") return entry;
  const { oid: _oid, lfs, ...rest } = entry;
  const { oid: _lfsOid, ...lfsRest } = (lfs ?? {}) as Record<string, unknown>;
  if (how === "omit") return { ...rest, ...(lfs ? { lfs: lfsRest } : {}) };
  return { ...rest, oid: "*", ...(lfs ? { lfs: { ...lfsRest, oid: "*" } } : {}) };
}

function summary(repo: StoredRepo, revision: StoredRevision): Record<string, unknown> {
  const spec = repo.spec;
  const lastModified = spec.lastModified ?? DEFAULT_DATE;
  return {
    _id: repoObjectId(spec.id),
    id: spec.id,
    modelId: spec.id,
    author: spec.id.split("/")[0],
    sha: revision.sha,
    lastModified,
    createdAt: lastModified,
    private: spec.private ?? false,
    gated: spec.gated ?? false,
    disabled: spec.disabled ?? false,
    downloads: spec.downloads ?? 0,
    likes: spec.likes ?? 0,
    tags: spec.tags ?? [],
  };
}

function sendPage(ex: Exchange, items: unknown[], limit = Infinity): Promise<void> {
  const offset = decodeCursor(ex.url.searchParams.get("cursor"));
  if (!Number.isInteger(offset) || offset < 0) {
    return sendError(ex, { status: 400, message: "Invalid cursor" });
  }
  const size = Math.min(limit, ex.hub.options.pageSize ?? 1000);
  const page = items.slice(offset, offset + size);
  const headers: OutgoingHttpHeaders = {};
  if (offset + size < items.length) {
    const next = new URL(ex.url.pathname + ex.url.search, ex.hub.endpoint);
    next.searchParams.set("cursor", btoa(`offset:${offset + size}`));
    headers["Link"] = `<${next.href}>; rel="next"`;
  }
  return sendJson(ex, page, { headers });
}

/** Cursors are opaque to clients; here they carry the offset of the next page. */
function decodeCursor(cursor: string | null): number {
  if (cursor === null) return 0;
  try {
    const match = /^offset:(\d+)$/.exec(atob(cursor));
    return match ? Number(match[1]) : -1;
  } catch {
    return -1;
  }
}

function isTrue(value: string | null): boolean {
  return value !== null && ["true", "1"].includes(value.toLowerCase());
}
