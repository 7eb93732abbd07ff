/**
 * The registry: one record per repo directory saying what was downloaded,
 * from which commit, when, with which sizes and hashes. Written atomically;
 * a missing or corrupt record degrades to what the file system shows.
 *
 * @module
 */
import { join } from "node:path";
import { writeJsonAtomic } from "./atomic_write.ts";
import { isNotFound, type Runtime } from "../runtime/runtime.ts";
import { RECORD_FILE } from "./store_layout.ts";
import { recordProblem } from "./record_check.ts";

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
}

/** The record of one repo directory. */
export interface RepoRecord {
  /** Format version. */
  version: 1;
  /** `owner/name`. */
  repo: string;
  /** The commit of the most recent download. */
  revision: string;
  /** Per file path inside the repository. */
  files: Record<string, FileRecord>;
}

/**
 * Reads a repo directory's record. A missing record answers `undefined`; a
 * corrupt one also does, after telling `warn`.
 *
 * @example
 * ```ts
 * import { readRepoRecord } from "./registry.ts";
 * import { RuntimeDetector } from "../runtime/detect_runtime.ts";
 * const record = await readRepoRecord(RuntimeDetector.current(), "/tmp/models/o/n", console.warn);
 * ```
 */
export async function readRepoRecord(
  runtime: Runtime,
  repoDir: string,
  warn: (message: string) => void,
): Promise<RepoRecord | undefined> {
  const path = join(repoDir, RECORD_FILE);
  let text: string;
  try {
    text = new TextDecoder().decode(await runtime.readFile(path));
  } catch (error) {
    if (isNotFound(error)) return undefined;
    warn(
      `could not read ${path} (${
        error instanceof Error ? error.message : error
      }); using what is on disk`,
    );
    return undefined;
  }
  try {
    const parsed = JSON.parse(text);
    if (parsed?.version === 1 && typeof parsed.files === "object" && parsed.files !== null) {
      const problem = recordProblem(parsed);
      if (problem === undefined) return parsed as RepoRecord;
      warn(
        `ignored the registry record ${path}: ${problem}; using what is on disk (download again to rewrite it)`,
      );
      return undefined;
    }
  } catch {
    // reported below
  }
  warn(
    `ignored the corrupt registry record ${path}; using what is on disk (download again to rewrite it)`,
  );
  return undefined;
}

/** Writes a repo directory's record atomically. */
export function writeRepoRecord(
  runtime: Runtime,
  repoDir: string,
  record: RepoRecord,
): Promise<void> {
  return writeJsonAtomic(runtime, join(repoDir, RECORD_FILE), record);
}
