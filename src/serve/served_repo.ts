/**
 * What `serve` knows about a repository: read from its registry record in the
 * store (record format 1 or 2), never from guesses. A file is served only when
 * the record lists it and the file on disk has the recorded size, so a partial
 * download is never served as complete.
 *
 * @module
 */
import { join } from "node:path";
import { isGitSha1Hex, isSha256Hex } from "../store/partial_state.ts";
import { parseRepoId, type RepoId } from "../hub/repo_id.ts";
import { isNotFound, type Runtime } from "../runtime/runtime.ts";
import { type FileRecord, readRepoRecord, type RepoRecord } from "../store/registry.ts";
import { placeInRepo, type SafePlace } from "../store/safe_path.ts";
import { repoDirOf, storePathOf } from "../store/store_layout.ts";

/** One file a served repository holds. */
export interface ServedFile {
  /** The path inside the repository. */
  path: string;
  /** Content size in bytes. */
  size: number;
  /** SHA-256 of the content, when recorded (served as an LFS file). */
  sha256?: string;
  /** Git blob SHA-1, when recorded. */
  gitSha1?: string;
  /** The commit it was recorded at. */
  revision: string;
  /** Where it is on disk. */
  storePath: string;
  /** The same place below the store's root, reached only through `safe_path.ts`. */
  place: SafePlace;
  /** Its record entry, as read. */
  recorded: FileRecord;
}

/** A repository in the store, as `serve` answers for it. */
export interface ServedRepo {
  /** `owner/name` as recorded. */
  id: string;
  /** The directory holding it. */
  dir: string;
  /** The most recent recorded commit (what a branch or `HEAD` means). */
  latest: string;
  /** Every commit a file is recorded at, the latest included. */
  commits: Set<string>;
  /** The recorded files, by path. */
  files: Map<string, ServedFile>;
  /** Whether it was private (false when not recorded). */
  private: boolean;
  /** Whether it was gated (false when not recorded). */
  gated: false | "auto" | "manual";
  /** The newest download time (ISO 8601). */
  lastModified: string;
}

/**
 * Reads a repository of the store from its registry record; `undefined` when
 * the store has no record of it. The owner and name match case-insensitively,
 * as on the Hub.
 */
export async function readServedRepo(
  runtime: Runtime,
  asked: { modelsDir: string; repo: string },
): Promise<ServedRepo | undefined> {
  const { modelsDir } = asked;
  const repoText = asked.repo;
  let id: RepoId;
  try {
    id = parseRepoId(repoText);
  } catch {
    return undefined;
  }
  const dir = await findRepoDir(runtime, modelsDir, id);
  if (!dir) return undefined;
  const record = await readRepoRecord(runtime, dir);
  return record ? servedRepoOf(record, dir) : undefined;
}

/**
 * The repository directories of a store that hold a registry record, as `owner/name`.
 */
export async function listServedRepoIds(runtime: Runtime, modelsDir: string): Promise<string[]> {
  const ids: string[] = [];
  for (const owner of await directoriesIn(runtime, modelsDir)) {
    for (const name of await directoriesIn(runtime, join(modelsDir, owner))) {
      const record = await readRepoRecord(runtime, join(modelsDir, owner, name));
      if (record) ids.push(`${owner}/${name}`);
    }
  }
  return ids.sort();
}

async function directoriesIn(runtime: Runtime, dir: string): Promise<string[]> {
  try {
    return (await runtime.readDir(dir)).filter((entry) => entry.isDirectory).map((entry) =>
      entry.name
    );
  } catch {
    return [];
  }
}

async function findRepoDir(
  runtime: Runtime,
  modelsDir: string,
  id: RepoId,
): Promise<string | undefined> {
  const exact = repoDirOf(modelsDir, id);
  if (await isDirectory(runtime, exact)) return exact;
  const owner = (await directoriesIn(runtime, modelsDir)).find((name) =>
    name.toLowerCase() === id.owner.toLowerCase()
  );
  if (!owner) return undefined;
  const name = (await directoriesIn(runtime, join(modelsDir, owner))).find((entry) =>
    entry.toLowerCase() === id.name.toLowerCase()
  );
  return name ? join(modelsDir, owner, name) : undefined;
}

async function isDirectory(runtime: Runtime, path: string): Promise<boolean> {
  try {
    return (await runtime.lstat(path)).isDirectory;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

function servedRepoOf(record: RepoRecord, dir: string): ServedRepo {
  const files = new Map<string, ServedFile>();
  const commits = new Set<string>();
  let lastModified = "";
  const latest = record.revision.toLowerCase();
  for (const [path, file] of Object.entries(record.files)) {
    const revision = typeof file.revision === "string" ? file.revision.toLowerCase() : latest;
    commits.add(revision);
    if ((file.downloadedAt ?? "") > lastModified) lastModified = file.downloadedAt;
    files.set(path, {
      path,
      size: file.size,
      sha256: isSha256Hex(file.sha256) ? file.sha256.toLowerCase() : undefined,
      gitSha1: isGitSha1Hex(file.gitSha1) ? file.gitSha1.toLowerCase() : undefined,
      revision,
      storePath: storePathOf(dir, path),
      place: placeInRepo(dir, path),
      recorded: file,
    });
  }
  commits.add(latest);
  return {
    id: record.repo,
    dir,
    latest,
    commits,
    files,
    private: record.private === true,
    gated: record.gated === "auto" || record.gated === "manual" ? record.gated : false,
    lastModified: lastModified || "1970-01-01T00:00:00.000Z",
  };
}

/**
 * The files of a served repository at a commit: every recorded file at the
 * latest commit (a file kept from an older commit was unchanged when the latest
 * was downloaded), only the files recorded at it at an older one.
 */
export function filesAtCommit(repo: ServedRepo, commit: string): ServedFile[] {
  const all = [...repo.files.values()];
  const chosen = commit === repo.latest ? all : all.filter((file) => file.revision === commit);
  return chosen.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The commit a revision means in a served repository: a known 40-hex commit,
 * or for anything else (a branch, `HEAD`) the latest; `undefined` for an
 * unknown commit.
 */
export function commitOf(repo: ServedRepo, revision: string): string | undefined {
  if (!isCommitId(revision)) return repo.latest;
  const commit = revision.toLowerCase();
  return repo.commits.has(commit) ? commit : undefined;
}

/**
 * Whether a revision is a full 40-hex commit id (an immutable address).
 */
export function isCommitId(revision: string): boolean {
  return /^[0-9a-f]{40}$/i.test(revision);
}
