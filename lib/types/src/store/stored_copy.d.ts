/**
 * The one answer to "is the file stored here the file a record, a listing or
 * another store's record names?", for downloads, pulls, `serve` and `import`.
 *
 * @module
 */
import type { Runtime } from "../runtime/runtime.ts";
import type { FileIdentity } from "./partial_state.ts";
import type { FileRecord } from "./registry.ts";
import { type SafePlace } from "./safe_path.ts";
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
export declare function storedCopyOf(runtime: Runtime, question: StoredCopyQuestion): Promise<StoredCopy>;
