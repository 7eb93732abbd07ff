/**
 * Repositories as the emulator serves them: each {@link HubRepoSpec} turned once into
 * revisions of files with their sizes, git ids, LFS hashes and pointers, and directory ids.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { type ByteSource, lazySource, memorySource } from "./byte_source.ts";
import { compareUtf8, directoryOids, gitBlobSha1, hashSource, lfsPointer } from "./git_objects.ts";
import type { HubFileSpec, HubRepoSpec } from "./types.ts";

/** One file of a prepared revision. */
export interface StoredFile {
  /** Path inside the repository, `/`-separated. */
  path: string;
  /** Size of the content in bytes. */
  size: number;
  /** Stored with Git LFS (served from the CDN). */
  lfs: boolean;
  /** Git blob id of what git stores: the content, or the LFS pointer. */
  oid: string;
  /** SHA-256 of the content (LFS files only, else ""). */
  sha256: string;
  /** The LFS pointer git stores (LFS files only, else null). */
  pointer: Uint8Array | null;
  /** The content. */
  source: ByteSource;
}

/** One prepared revision (branch, tag or commit). */
export interface StoredRevision {
  /** 40-hex commit id. */
  sha: string;
  /** Files by path, in UTF-8 byte order of their paths. */
  files: Map<string, StoredFile>;
  /** Tree id of each directory, "" being the root. */
  directories: Map<string, string>;
}

/** One prepared repository. */
export interface StoredRepo {
  /** What the test asked for. */
  spec: HubRepoSpec;
  /** The default branch. */
  main: StoredRevision;
  /** Revisions by name: `main`, `HEAD` and the spec's extra revisions. */
  named: Map<string, StoredRevision>;
}

const MIB = 1024 * 1024;
const encoder = new TextEncoder();
/** Hashing a large lazy file takes long, and tests serve the same ones again and again. */
const lazyHashes = new Map<string, string>();

/** Check the spec and compute everything the endpoints report about its revisions. */
export function prepareRepo(spec: HubRepoSpec): StoredRepo {
  if (!/^[^/]+\/[^/]+$/.test(spec.id)) throw new Error(`use "owner/name" as repo id: ${spec.id}`);
  const main = prepareRevision(spec.id, spec.files, spec.sha);
  const named = new Map<string, StoredRevision>([["main", main], ["HEAD", main]]);
  for (const [name, revision] of Object.entries(spec.revisions ?? {})) {
    named.set(name, prepareRevision(spec.id, revision.files, revision.sha));
  }
  return { spec, main, named };
}

/** The revision called `name`, looked up by branch or tag name, then by commit id. */
export function findRevision(repo: StoredRepo, name: string): StoredRevision | undefined {
  const byName = repo.named.get(name);
  if (byName) return byName;
  for (const revision of repo.named.values()) if (revision.sha === name) return revision;
  return undefined;
}

/** Options of {@link splitRevision}. */
export interface SplitRevisionOptions {
  /** How many parts must be left after the revision (1 when a file path must follow); default 0. */
  minPathParts?: number;
}

/**
 * Split "rev/path..." into the revision and the remaining path parts, where an unencoded
 * rev may itself hold slashes (refs/pr/1); null when no prefix names a revision.
 */
export function splitRevision(
  repo: StoredRepo,
  parts: string[],
  options: SplitRevisionOptions = {},
): { revision: StoredRevision; rest: string[] } | null {
  const minPathParts = options.minPathParts ?? 0;
  for (let take = 1; take <= parts.length - minPathParts; take++) {
    const revision = findRevision(repo, parts.slice(0, take).join("/"));
    if (revision) return { revision, rest: parts.slice(take) };
  }
  return null;
}

function prepareRevision(id: string, specs: HubFileSpec[], sha?: string): StoredRevision {
  const files = new Map<string, StoredFile>();
  for (const spec of specs) files.set(spec.path, prepareFile(spec));
  const paths = [...files.keys()].sort(compareUtf8);
  const commit = sha ?? createHash("sha1")
    .update(`commit\0${id}\0${paths.map((p) => `${p}\0${files.get(p)?.oid}`).join("\n")}`)
    .digest("hex");
  const sorted = new Map(paths.map((path) => [path, files.get(path) as StoredFile]));
  return { sha: commit, files: sorted, directories: directoryOids(sorted.values()) };
}

function prepareFile(spec: HubFileSpec): StoredFile {
  if ((spec.content === undefined) === (spec.source === undefined)) {
    throw new Error(`give exactly one of content or source for ${spec.path}`);
  }
  const lazy = spec.source;
  const source = lazy ? lazySource(lazy) : memorySource(
    typeof spec.content === "string" ? encoder.encode(spec.content) : spec.content as Uint8Array,
  );
  const lfs = spec.lfs ?? (spec.path.endsWith(".rkllm") || source.size >= MIB);
  const cached = (algorithm: string, prefix?: Uint8Array): string => {
    if (!lazy) return hashSource(source, algorithm, prefix);
    const key = `${algorithm}:${lazy.seed}:${lazy.size}`;
    const known = lazyHashes.get(key) ?? hashSource(source, algorithm, prefix);
    lazyHashes.set(key, known);
    return known;
  };
  if (!lfs) {
    const oid = cached("sha1", encoder.encode(`blob ${source.size}\0`));
    return { path: spec.path, size: source.size, lfs, oid, sha256: "", pointer: null, source };
  }
  const sha256 = cached("sha256");
  const pointer = lfsPointer(sha256, source.size);
  const oid = gitBlobSha1(pointer);
  return { path: spec.path, size: source.size, lfs, oid, sha256, pointer, source };
}
