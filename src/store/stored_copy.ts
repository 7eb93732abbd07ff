/**
 * The one answer to "is the file stored here the file a record, a listing or
 * another store's record names?", for downloads, pulls, `serve` and `import`.
 *
 * @module
 */
import type { Runtime } from "../runtime/runtime.ts";
import type { FileIdentity } from "./partial_state.ts";
import type { FileRecord } from "./registry.ts";
import { lstatInside, type SafePlace } from "./safe_path.ts";

/**
 * `same`: the record vouches for the file there, and it is the one wanted.
 * `stale`: it has the right size and recorded hash, but the record no longer
 * vouches for its bytes (changed since it was recorded, or `verify` failed it):
 * only hashing it can tell. `other`: it is not the file wanted, or not there.
 */
export type StoredCopy = "same" | "stale" | "other";

/** What {@linkcode storedCopyOf} compares. */
export interface StoredCopyQuestion {
  /** Where the file is, inside its store. */
  place: SafePlace;
  /** What the store's record says of the file there. */
  recorded: FileRecord | undefined;
  /** What it must be (a listing's or another record's size and hash); the record itself if absent. */
  wanted?: FileIdentity;
}

/**
 * Compares a stored file with what is wanted: the record names the wanted size
 * and content hash (SHA-256 when the wanted file has one, else the git blob
 * SHA-1; a wanted file without either is never taken as the same); on disk a
 * regular file, reached through no symbolic link, of that size; and its
 * modification time is the recorded one and `verify` has not failed it.
 */
export async function storedCopyOf(
  runtime: Runtime,
  question: StoredCopyQuestion,
): Promise<StoredCopy> {
  const { recorded, wanted } = question;
  if (!recorded || (wanted && !namesSameContent(recorded, wanted))) return "other";
  const { stat } = await lstatInside(runtime, question.place).catch(() => ({ stat: undefined }));
  if (!stat?.isFile || stat.size !== recorded.size) return "other";
  if (recorded.failedVerifyAt !== undefined) return "stale";
  const changed = recorded.mtimeMs !== undefined && stat.mtime?.getTime() !== recorded.mtimeMs;
  return changed ? "stale" : "same";
}

/** Whether a record entry names the wanted file: the same size and content hash. */
function namesSameContent(recorded: FileRecord, wanted: FileIdentity): boolean {
  if (recorded.size !== wanted.size) return false;
  const [want, have] = wanted.sha256
    ? [wanted.sha256, recorded.sha256]
    : [wanted.gitSha1, recorded.gitSha1];
  return want !== undefined && have?.toLowerCase() === want.toLowerCase();
}
