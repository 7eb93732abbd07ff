/**
 * The one writer of registry records: downloads, pull-through, import, export
 * and `verify` all record a file here, so the same file gets the same entry
 * (size, hashes, commit, time, modification time) and the same `models` entry
 * whichever way it came.
 *
 * @module
 */
import type { Runtime } from "../runtime/runtime.ts";
import { type ModelRecord, type RepoRecord, type StoreReadOptions } from "./registry.ts";
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
export declare function recordStoredFiles(runtime: Runtime, change: RecordChange, options?: StoreReadOptions): Promise<boolean>;
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
export declare function recordCopiedFiles(runtime: Runtime, incoming: IncomingFiles, options?: StoreReadOptions): Promise<boolean>;
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
export declare function recordVerification(runtime: Runtime, verified: {
    dir: string;
    verdicts: VerifiedFile[];
}, options?: StoreReadOptions): Promise<boolean>;
