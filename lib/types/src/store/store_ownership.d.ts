import type { RepoRecord } from "./registry.ts";
/** The files of a repo directory (repo paths), by who made them. */
export interface RepoFileOwners {
    /** The files the registry record lists, and the record itself. */
    recorded: string[];
    /** Partial downloads that have their state file, and state files (with or without one). */
    partial: string[];
    /** This tool's temporary files and lock takeover marks (not the lock itself). */
    scratch: string[];
    /** The lock file, which only its holder removes. */
    lock: string[];
    /** Everything else: files this tool did not make. */
    foreign: string[];
}
/**
 * Sorts the regular files of a repo directory by who made them, given its
 * (validated) record; without a record, no finished file counts as this tool's.
 */
export declare function ownersOf(files: readonly string[], record: RepoRecord | undefined): RepoFileOwners;
/**
 * What a killed run left that a complete model no longer needs: temporary
 * files, state files whose partial file is gone, and partial downloads (with
 * their state) of files that are now recorded and in place. Partial downloads
 * of files not yet in place stay, to be resumed.
 */
export declare function leftoversOf(files: readonly string[], record: RepoRecord | undefined): string[];
