/**
 * The one atomic-write helper: write a temporary file beside the target, flush
 * it, rename it over the target. A crash leaves the old file or the new one,
 * never half of either.
 *
 * @module
 */
import type { Runtime } from "../runtime/runtime.ts";
/** What {@linkcode writeFileAtomic} writes, and where. */
export interface AtomicFile {
    /** The file to replace. */
    path: string;
    /** Its new contents; a string is written as UTF-8. */
    data: Uint8Array | string;
    /**
     * Flush the new contents before the rename. Without, a crash of the process
     * still leaves the old file or the new one; a power cut may leave an empty one
     * on file systems that do not order the rename after the data.
     *
     * @default true
     */
    flush?: boolean;
}
/** Replaces `file.path` with `file.data` atomically. */
export declare function writeFileAtomic(runtime: Runtime, file: AtomicFile): Promise<void>;
/** What {@linkcode writeJsonAtomic} writes, and where. */
export interface AtomicJson {
    /** The file to replace. */
    path: string;
    /** The value, written as pretty JSON. */
    value: unknown;
    /** As {@linkcode AtomicFile.flush}. */
    flush?: boolean;
}
/** Writes a value as pretty JSON, atomically. */
export declare function writeJsonAtomic(runtime: Runtime, file: AtomicJson): Promise<void>;
/** Whether a file name is one of this helper's temporary files. */
export declare function isAtomicTemporary(name: string): boolean;
