/**
 * The registry: one record per repo directory saying what was downloaded,
 * from which commit, when, with which sizes and hashes. Written atomically;
 * a missing or corrupt record degrades to what the file system shows.
 *
 * Format 2 adds, per model, the companion files and vision encoders that came
 * with it; format 1 records (files only) still read. The whole part of
 * `version` is the major version: a record of a newer major version is
 * reported and left alone, never rewritten.
 *
 * @module
 */
import { join } from "node:path";
import { isSafeRepoPath } from "../hub/repo_id.ts";
import { writeJsonAtomic } from "./atomic_write.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { type JsonFileRead, readJsonFile } from "./json_file.ts";
import { RECORD_FILE } from "./store_layout.ts";
import { recordProblem } from "./record_check.ts";
import { lstatInside, placeInRepo } from "./safe_path.ts";
import { storageFailure } from "./storage_error.ts";

/** What is known about one downloaded file. */
export interface FileRecord {
  /** Size in bytes. */
  size: number;
  /** SHA-256 of the content, when the Hub stated it (LFS files). */
  sha256?: string;
  /** Git blob SHA-1, when the Hub stated it (small files). */
  gitSha1?: string;
  /** The commit it was downloaded from. */
  revision: string;
  /** When it was downloaded (ISO 8601). */
  downloadedAt: string;
  /**
   * Its modification time (ms since the epoch) when last known good: a file whose time or
   * size differs is hashed again before a download trusts it.
   */
  mtimeMs?: number;
  /** When `verify` found it corrupt (ISO 8601): the next download hashes it and repairs it. */
  failedVerifyAt?: string;
}

/**
 * The record format this version writes (its whole part is the major version).
 */
export const RECORD_FORMAT_VERSION = 2;

/**
 * The largest record read: far above any real one (hundreds of bytes per file), low
 * enough that a record on a stranger's USB stick cannot fill the memory.
 */
export const MAX_RECORD_BYTES = 16 * 1024 * 1024;

/** What came with one model file (record format 2). */
export interface ModelRecord {
  /** The companion files (technical files, tokenizer companions) downloaded with it. */
  companions: string[];
  /** The `.rknn` vision encoders it is paired with. */
  encoders: string[];
}

/** Options for reading what the store holds. */
export interface StoreReadOptions {
  /** Told, in one line, about each file that is there but unusable; by default nobody is. */
  warn?: (message: string) => void;
}

/** What {@linkcode writeRecordUnlessNewer} writes, and where. */
export interface RepoRecordWrite {
  /** The repo directory in the store. */
  dir: string;
  /** The record to save there. */
  record: RepoRecord;
}

/** The record of one repo directory. */
export interface RepoRecord {
  /** Format version: 1 (files only) or 2 (adds `models`). */
  version: number;
  /** `owner/name`. */
  repo: string;
  /** The commit of the most recent download. */
  revision: string;
  /** Per file path inside the repository. */
  files: Record<string, FileRecord>;
  /** Per model file path (format 2): its companions and encoders; absent in format 1. */
  models?: Record<string, ModelRecord>;
  /** Whether the repository was private on the Hub when last downloaded (absent: not recorded). */
  private?: boolean;
  /** Whether it was gated (`"auto"`, `"manual"`) when last downloaded (absent: not recorded). */
  gated?: false | "auto" | "manual";
  /** The hub it was last downloaded from (absent: Hugging Face, or not recorded). */
  source?: "huggingface" | "modelscope";
}

/**
 * Reads a repo directory's record. A missing record answers `undefined`; a
 * corrupt one also does, after telling `warn`.
 */
export async function readRepoRecord(
  runtime: Runtime,
  repoDir: string,
  options: StoreReadOptions = {},
): Promise<RepoRecord | undefined> {
  const warn = options.warn ?? (() => {});
  const read = await readRecordFile(runtime, repoDir);
  if (read.status === "ok") return read.value;
  if (read.status !== "missing") warn(unusableRecordWarning(join(repoDir, RECORD_FILE), read));
  return undefined;
}

/**
 * Reads a repo directory's record and says what happened, as data: through no
 * symbolic link (the owner and name levels included), at most
 * {@linkcode MAX_RECORD_BYTES}, checked for the shape this version reads.
 */
export async function readRecordFile(
  runtime: Runtime,
  repoDir: string,
): Promise<JsonFileRead<RepoRecord>> {
  const read = await readJsonFile<RepoRecord>(runtime, placeInRepo(repoDir, RECORD_FILE), {
    check: readableRecordProblem,
    maxBytes: MAX_RECORD_BYTES,
  });
  return read.status === "ok" ? { status: "ok", value: withKnownModels(read.value) } : read;
}

/** What is wrong with a parsed record for this version, or `undefined` when it can be used. */
function readableRecordProblem(parsed: unknown): string | undefined {
  const newer = newerMajorOf(parsed);
  if (newer !== undefined) return `a newer rkllm-models wrote it (record format ${newer})`;
  if (!hasVersionAndFiles(parsed)) return "it has no readable version and files";
  return recordProblem(parsed);
}

function hasVersionAndFiles(parsed: unknown): boolean {
  const record = parsed as { version?: unknown; files?: unknown } | null;
  return isReadableVersion(record?.version) && typeof record?.files === "object" &&
    record.files !== null;
}

/** The warning for a record that exists but cannot be used. */
function unusableRecordWarning(path: string, read: JsonFileRead<RepoRecord>): string {
  if (read.status === "unreadable") {
    const error = read.error;
    return `could not read ${path} (${
      error instanceof Error ? error.message : error
    }); using what is on disk`;
  }
  const corrupt =
    `ignored the corrupt registry record ${path}; using what is on disk (download again to rewrite it)`;
  if (read.status !== "invalid") return corrupt;
  const newer = newerMajorOf(read.value);
  if (newer !== undefined) {
    return `left ${path} alone: a newer rkllm-models wrote it (record format ${newer}); upgrade rkllm-models to use or update it`;
  }
  if (!hasVersionAndFiles(read.value)) return corrupt;
  return `ignored the registry record ${path}: ${read.problem}; using what is on disk (download again to rewrite it)`;
}

function isReadableVersion(version: unknown): boolean {
  return typeof version === "number" && version >= 1 &&
    Math.floor(version) <= RECORD_FORMAT_VERSION;
}

/** The version of a parsed record when its major version is newer than this one reads. */
function newerMajorOf(parsed: unknown): number | undefined {
  const version = (parsed as { version?: unknown } | null)?.version;
  return typeof version === "number" && Math.floor(version) > RECORD_FORMAT_VERSION
    ? version
    : undefined;
}

function isPathList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(isSafeRepoPath);
}

/** Keeps the `models` entries that have the expected shape; unknown fields are ignored. */
function withKnownModels(record: RepoRecord): RepoRecord {
  const models: Record<string, ModelRecord> = {};
  const given = typeof record.models === "object" && record.models !== null ? record.models : {};
  for (const [file, entry] of Object.entries(given)) {
    if (isPathList(entry?.companions) && isPathList(entry?.encoders) && isSafeRepoPath(file)) {
      models[file] = { companions: entry.companions, encoders: entry.encoders };
    }
  }
  return { ...record, models: record.models === undefined ? undefined : models };
}

/**
 * The version of the record in `repoDir` when a newer rkllm-models wrote it
 * (a higher major version), else `undefined`.
 */
export async function newerRecordVersion(
  runtime: Runtime,
  repoDir: string,
): Promise<number | undefined> {
  const read = await readJsonFile(runtime, placeInRepo(repoDir, RECORD_FILE), {
    maxBytes: MAX_RECORD_BYTES,
  });
  return read.status === "ok" ? newerMajorOf(read.value) : undefined;
}

/**
 * Writes a repo directory's record atomically, unless a record of a newer major
 * version is there: that one is left as it is (reading it warned about it), and
 * the answer is `false`. A repo directory reached through a symbolic link is
 * refused with a `storage` error. Only `record_writer.ts` and removals call it.
 */
export async function writeRecordUnlessNewer(
  runtime: Runtime,
  write: RepoRecordWrite,
): Promise<boolean> {
  const { dir: repoDir, record } = write;
  const { stat } = await lstatInside(runtime, placeInRepo(repoDir));
  if (!stat?.isDirectory) {
    throw storageFailure(`write the record in ${repoDir}`, new Error("it is not a directory"));
  }
  if (await newerRecordVersion(runtime, repoDir) !== undefined) return false;
  await writeJsonAtomic(runtime, { path: join(repoDir, RECORD_FILE), value: record });
  return true;
}
