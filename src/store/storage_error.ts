/**
 * The one translation of local file-system failures (permission, disk full,
 * read-only) into `storage` errors that say what to do.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import { errorCodeOf } from "../runtime/runtime.ts";

/** Options of {@linkcode storageFailure}. */
export interface StorageFailureOptions {
  /** Whether running the command again continues where it stopped (a download); the hint says so. */
  resumable?: boolean;
}

/**
 * Wraps a file-system failure in a `storage` error; `options.resumable` adds
 * that running the command again continues where it stopped.
 */
export function storageFailure(
  action: string,
  error: unknown,
  options: StorageFailureOptions = {},
): ModelManagerError {
  if (error instanceof ModelManagerError) return error;
  const code = errorCodeOf(error);
  if (code === "ELOOP") return symlinkFailure(action, error);
  const reason = code === "EACCES" || code === "EPERM" || code === "EROFS"
    ? "permission denied"
    : code === "ENOSPC"
    ? "the disk is full"
    : error instanceof Error
    ? error.message
    : String(error);
  const then = options.resumable ? ", then run the command again to resume" : "";
  return new ModelManagerError("storage", `${action}: ${reason}`, {
    hint: code === "ENOSPC"
      ? `free some disk space (for example with: rkllm-models clean --partial)${then}`
      : `choose a writable models directory with --dir or RKLLM_MODELS_DIR${then}`,
    cause: error,
  });
}

/**
 * The `storage` error for a symbolic link found where the store writes: inside
 * the models directory, links are foreign and never followed.
 */
export function symlinkFailure(action: string, cause?: unknown): ModelManagerError {
  return new ModelManagerError(
    "storage",
    `${action}: it is a symbolic link, and rkllm-models never writes through one`,
    {
      hint:
        "remove the link if you did not place it there (anyone who can write to the models directory can), or choose another --dir",
      cause,
    },
  );
}
