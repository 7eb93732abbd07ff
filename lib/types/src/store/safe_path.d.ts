import { ModelManagerError } from "../errors.ts";
import { type FileHandle, type FileStat, type Runtime } from "../runtime/runtime.ts";
/** A path below a trusted directory. */
export interface SafePlace {
    /** The trusted directory (a store's root), taken as given. */
    root: string;
    /** The `/`-separated path below it: no empty, `.` or `..` part, not absolute. */
    path: string;
}
/** What {@linkcode lstatInside} found. */
export interface InsideEntry {
    /** The joined path. */
    path: string;
    /** What is there, not following a link; `undefined` when nothing is. */
    stat?: FileStat;
}
/** A file {@linkcode openInside} opened for reading. */
export interface OpenedInside {
    /** The joined path. */
    path: string;
    /** What `lstat` saw there: a regular file. */
    stat: FileStat;
    /** The open file; the caller closes it. */
    handle: FileHandle;
}
/**
 * The place of `repoPath` (or of the repo directory itself) in a store laid out
 * as `<root>/<owner>/<name>`: the owner and name levels are checked too.
 */
export declare function placeInRepo(repoDir: string, repoPath?: string): SafePlace;
/**
 * The `storage` error for a symbolic link met on the way to a file that is read.
 */
export declare function linkRefusal(place: SafePlace, link: string): ModelManagerError;
/**
 * Whether an error is {@linkcode linkRefusal}'s: a symbolic link met inside a store.
 */
export declare function isLinkRefusal(error: unknown): boolean;
/**
 * Looks at `place` without following a link at any level: a link on the way,
 * or at the end, is refused with a `storage` error; a missing part answers no `stat`.
 */
export declare function lstatInside(runtime: Runtime, place: SafePlace): Promise<InsideEntry>;
/**
 * Opens the regular file at `place` for reading, never through a link; a missing
 * file rejects with an `ENOENT` error, anything but a regular file with a `storage` error.
 */
export declare function openInside(runtime: Runtime, place: SafePlace): Promise<OpenedInside>;
/** Options of {@linkcode readInside}. */
export interface ReadInsideOptions {
    /** Refuse a larger file with an `integrity` error, reading no more than this many bytes. */
    maxBytes?: number;
}
/**
 * Reads the whole regular file at `place`, never through a link.
 */
export declare function readInside(runtime: Runtime, place: SafePlace, options?: ReadInsideOptions): Promise<Uint8Array>;
/**
 * Creates the directory at `place` one level at a time below its root (the root
 * with its parents when missing) and answers its path; a level that is a link
 * or not a directory is refused with a `storage` error naming it.
 */
export declare function ensureDirectoryInside(runtime: Runtime, place: SafePlace): Promise<string>;
