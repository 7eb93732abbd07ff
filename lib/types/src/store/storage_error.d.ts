/**
 * The one translation of local file-system failures (permission, disk full,
 * read-only) into `storage` errors that say what to do.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
/** Options of {@linkcode storageFailure}. */
export interface StorageFailureOptions {
    /** Whether running the command again continues where it stopped (a download); the hint says so. */
    resumable?: boolean;
}
/**
 * Wraps a file-system failure in a `storage` error; `options.resumable` adds
 * that running the command again continues where it stopped.
 */
export declare function storageFailure(action: string, error: unknown, options?: StorageFailureOptions): ModelManagerError;
/**
 * The `storage` error for a symbolic link found where the store writes: inside
 * the models directory, links are foreign and never followed.
 */
export declare function symlinkFailure(action: string, cause?: unknown): ModelManagerError;
