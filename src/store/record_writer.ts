/**
 * The one writer of registry records: downloads, pull-through, import, export
 * and `verify` all record a file here, so the same file gets the same entry
 * (size, hashes, commit, time, modification time) and the same `models` entry
 * whichever way it came.
 *
 * @module
 */
import type { Runtime } from "../runtime/runtime.ts";
import {
  type FileRecord,
  type ModelRecord,
  readRepoRecord,
  RECORD_FORMAT_VERSION,
  type RepoRecord,
  type StoreReadOptions,
  writeRecordUnlessNewer,
} from "./registry.ts";
import { lstatInside, placeInRepo } from "./safe_path.ts";
import { storageFailure } from "./storage_error.ts";

/** One file now in place in the store, as it is to be recorded. */
export interface RecordedFile {
  /** Size in bytes. */
  size: number;
  /** SHA-256 of the content, when known. */
  sha256?: string;
  /** Git blob SHA-1, when known. */
  gitSha1?: string;
  /** The commit it is from. */
  revision: string;
  /** When it was downloaded (ISO 8601); now, when absent. */
  downloadedAt?: string;
}

/** Facts of the repository itself; each one given replaces the recorded one. */
export interface RepoFacts {
  /** The commit the repository is now recorded at. */
  revision?: string;
  /** Whether it is private. */
  private?: boolean;
  /** Whether it is gated. */
  gated?: false | "auto" | "manual";
  /** The hub it came from. */
  source?: "huggingface" | "modelscope";
}

/** What {@linkcode recordStoredFiles} adds to a record. */
export interface RecordChange {
  /** The repo directory in the store. */
  dir: string;
  /** `owner/name`. */
  repo: string;
  /** The files now in place, by repository path. */
  files: Record<string, RecordedFile>;
  /** The model files among them, with what came with each. */
  models?: Record<string, ModelRecord>;
  /** The repository's facts to record. */
  facts?: RepoFacts;
}

/**
 * Records files now in place in `repoDir`. Each entry's modification time is
 * read from the file itself, so a later change to it shows. `false` when a
 * newer rkllm-models wrote the record there (it is left alone).
 */
export async function recordStoredFiles(
  runtime: Runtime,
  change: RecordChange,
  options: StoreReadOptions = {},
): Promise<boolean> {
  const repoDir = change.dir;
  const existing = await readRepoRecord(runtime, repoDir, options);
  return await writeChange(runtime, repoDir, { existing, change });
}

/** The files {@linkcode recordCopiedFiles} takes from another store's record. */
export interface IncomingFiles {
  /** The repo directory in the store they were copied to. */
  dir: string;
  /** The record they come from. */
  record: RepoRecord;
  /** The paths, in that record, now in place. */
  accepted: string[];
}

/**
 * Records files copied from another store (import, export): each keeps its
 * commit and download time; the repository's facts are the newer download's.
 */
export async function recordCopiedFiles(
  runtime: Runtime,
  incoming: IncomingFiles,
  options: StoreReadOptions = {},
): Promise<boolean> {
  const { dir: repoDir, record, accepted } = incoming;
  const existing = await readRepoRecord(runtime, repoDir, options);
  const files: Record<string, RecordedFile> = {};
  for (const path of accepted) files[path] = record.files[path];
  const models: Record<string, ModelRecord> = {};
  for (const [file, model] of Object.entries(record.models ?? {})) {
    if (accepted.includes(file)) models[file] = model;
  }
  const facts = newestDownload(record) >= newestDownload(existing)
    ? {
      revision: record.revision,
      private: record.private,
      gated: record.gated,
      source: record.source,
    }
    : undefined;
  const change = { dir: repoDir, repo: record.repo, files, models, facts };
  return await writeChange(runtime, repoDir, { existing, change });
}

/** A file's verdict as {@linkcode recordVerification} records it. */
export interface VerifiedFile {
  /** The repository path. */
  file: string;
  /** It matched its record. */
  ok: boolean;
  /** It matched its recorded hash (not its size only). */
  hashed: boolean;
}

/**
 * Records what `verify` found: a failed file is marked (`failedVerifyAt`) so the
 * next download hashes and repairs it; a file that matched its hash loses the
 * mark and is known good as it is now. Unrecorded files are left out.
 */
export async function recordVerification(
  runtime: Runtime,
  verified: { dir: string; verdicts: VerifiedFile[] },
  options: StoreReadOptions = {},
): Promise<boolean> {
  const { dir: repoDir, verdicts } = verified;
  const record = await readRepoRecord(runtime, repoDir, options);
  if (!record) return false;
  const now = new Date().toISOString();
  let changed = false;
  for (const { file, ok, hashed } of verdicts) {
    const recorded = record.files[file];
    if (!recorded) continue;
    const before = JSON.stringify(recorded);
    if (!ok) recorded.failedVerifyAt ??= now;
    else delete recorded.failedVerifyAt;
    if (ok && hashed) recorded.mtimeMs = await mtimeOf(runtime, repoDir, file);
    changed ||= JSON.stringify(recorded) !== before;
  }
  return changed && await write(runtime, repoDir, record);
}

async function writeChange(
  runtime: Runtime,
  repoDir: string,
  what: { existing: RepoRecord | undefined; change: RecordChange },
): Promise<boolean> {
  const { change } = what;
  const first = Object.values(change.files)[0];
  const record: RepoRecord = what.existing ?? {
    version: RECORD_FORMAT_VERSION,
    repo: change.repo,
    revision: change.facts?.revision ?? first?.revision ?? "",
    files: {},
  };
  const now = new Date().toISOString();
  for (const [path, file] of Object.entries(change.files)) {
    record.files[path] = await entryOf(runtime, repoDir, { path, file, now });
  }
  if (change.models) record.models = { ...record.models, ...change.models };
  const facts = change.facts ?? {};
  if (facts.revision !== undefined) record.revision = facts.revision;
  if (facts.private !== undefined) record.private = facts.private;
  if (facts.gated !== undefined) record.gated = facts.gated;
  if (facts.source !== undefined) record.source = facts.source;
  record.version = RECORD_FORMAT_VERSION;
  record.repo = change.repo;
  return await write(runtime, repoDir, record);
}

/** The entry of a file in place: only the fields given, and its modification time now. */
async function entryOf(
  runtime: Runtime,
  repoDir: string,
  what: { path: string; file: RecordedFile; now: string },
): Promise<FileRecord> {
  const { file } = what;
  const mtimeMs = await mtimeOf(runtime, repoDir, what.path);
  return {
    size: file.size,
    ...(file.sha256 ? { sha256: file.sha256 } : {}),
    ...(file.gitSha1 ? { gitSha1: file.gitSha1 } : {}),
    revision: file.revision,
    downloadedAt: file.downloadedAt ?? what.now,
    ...(mtimeMs === undefined ? {} : { mtimeMs }),
  };
}

async function mtimeOf(runtime: Runtime, repoDir: string, path: string) {
  const { stat } = await lstatInside(runtime, placeInRepo(repoDir, path))
    .catch(() => ({ stat: undefined }));
  return stat?.isFile ? stat.mtime?.getTime() : undefined;
}

async function write(runtime: Runtime, repoDir: string, record: RepoRecord): Promise<boolean> {
  try {
    return await writeRecordUnlessNewer(runtime, { dir: repoDir, record });
  } catch (error) {
    throw storageFailure(`write the registry record in ${repoDir}`, error);
  }
}

function newestDownload(record: RepoRecord | undefined): string {
  return Object.values(record?.files ?? {}).reduce(
    (newest, file) => (file.downloadedAt > newest ? file.downloadedAt : newest),
    "",
  );
}
