/**
 * One error hierarchy for everything the library and the CLI report.
 *
 * Every failure a user can meet is a {@linkcode ModelManagerError} with a stable
 * {@linkcode ErrorCode}, a message that says what went wrong, and a hint that says
 * what to do next. The CLI maps the code to its exit status.
 *
 * @module
 */
/** The kinds of failure, each with its own CLI exit status. */
export type ErrorCode = "usage" | "config" | "repo_not_found" | "file_not_found" | "model_not_found" | "ambiguous" | "auth" | "gated" | "network" | "offline" | "integrity" | "storage" | "locked" | "cancelled" | "unsupported_runtime";
/** What an error is about, for programs: each field is set only when it applies. */
export interface ModelManagerErrorFields {
    /** The repository (`owner/name`) the failure is about. */
    repo?: string;
    /** The repository path of the file the failure is about. */
    file?: string;
    /**
     * What the user can choose between: the `.rkllm` files of a repository when the file
     * to download is not clear, or the models an `ambiguous` query matches.
     */
    choices?: string[];
    /** The HTTP status the Hub or the file server answered. */
    status?: number;
    /** Bytes a download still needs on disk (a `storage` error for lack of space). */
    bytesNeeded?: number;
    /** Bytes free on the models directory's disk (a `storage` error for lack of space). */
    freeBytes?: number;
    /** The digest a file should have had (an `integrity` error). */
    expected?: string;
    /** The digest the file had (an `integrity` error). */
    actual?: string;
}
/** Options for {@linkcode ModelManagerError}. */
export interface ModelManagerErrorOptions extends ModelManagerErrorFields {
    /** What the user can do next. */
    hint?: string;
    /** The underlying error, kept for debugging. */
    cause?: unknown;
}
/**
 * Signals between the HTTP layer, the retry policy, the download engine, `serve` and the
 * CLI (retry, wait, refresh a signed URL, what the Hub or offline mode said). They are
 * internal: see `src/http/retry.ts`. Code decides on these, never on a message's text.
 */
export interface ErrorSignals {
    /** The retry policy may try again. */
    retryable?: boolean;
    /** The wait the server asked for, in milliseconds. */
    retryAfterMs?: number;
    /** Why the server asked to wait. */
    retryReason?: string;
    /** The signed file URL has likely expired: resolve it again before the retry. */
    refreshUrl?: boolean;
    /** The HTTP status behind the signal. */
    status?: number;
    /** The Hub's `X-Error-Code` behind the error (`RevisionNotFound`), when it sent one. */
    hubErrorCode?: string;
    /** `HF_HUB_OFFLINE` stopped a request before it was sent (not an answer about local files). */
    offlineRefusal?: boolean;
}
/** The internal signals of an error (retry, wait, URL refresh), created empty on first use. */
export declare function errorSignals(error: ModelManagerError): ErrorSignals;
/**
 * The error every operation throws for a failure the user can act on.
 *
 * @example Handle a missing repository
 * ```ts
 * import { ModelManagerError } from "./errors.ts";
 * import { ModelManager } from "./model_manager.ts";
 * try {
 *   await new ModelManager().downloadModel("nobody/nothing");
 * } catch (error: unknown) {
 *   if (error instanceof ModelManagerError && error.code === "repo_not_found") {
 *     console.error(error.message, error.hint, error.repo, error.status);
 *   }
 * }
 * ```
 */
export declare class ModelManagerError extends Error implements ModelManagerErrorFields {
    /** A stable, machine-readable kind. */
    readonly code: ErrorCode;
    /** What to do next; empty when there is nothing useful to say. */
    readonly hint: string;
    /** The repository (`owner/name`) the failure is about, when it is about one. */
    readonly repo?: string;
    /** The repository path of the file the failure is about, when it is about one. */
    readonly file?: string;
    /** The `.rkllm` files or models to choose between (a `usage`, `file_not_found` or `ambiguous` error). */
    readonly choices?: string[];
    /** The HTTP status the server answered, when a server answered. */
    readonly status?: number;
    /** Bytes a download still needs on disk (a `storage` error for lack of space). */
    readonly bytesNeeded?: number;
    /** Bytes free on the models directory's disk (a `storage` error for lack of space). */
    readonly freeBytes?: number;
    /** The digest a file should have had (an `integrity` error). */
    readonly expected?: string;
    /** The digest the file had (an `integrity` error). */
    readonly actual?: string;
    /**
     * Creates an error with a code, a message and an optional hint and fields.
     *
     * @example
     * ```ts
     * import { ModelManagerError } from "./errors.ts";
     * const error = new ModelManagerError("model_not_found", `no local model matches "qwen"`, {
     *   hint: "run rkllm-models list to see the models in the store",
     * });
     * console.log(error.code, error.hint);
     * ```
     */
    constructor(code: ErrorCode, message: string, options?: ModelManagerErrorOptions);
    /**
     * The plain-data form used by `--json` output.
     *
     * @example
     * ```ts
     * import { ModelManagerError } from "./errors.ts";
     * const error = new ModelManagerError("offline", "cannot reach the Hub: HF_HUB_OFFLINE is set");
     * console.log(JSON.stringify(error)); // {"code":"offline","message":"cannot reach the Hub: HF_HUB_OFFLINE is set","hint":""}
     * ```
     */
    toJSON(): {
        code: ErrorCode;
        message: string;
        hint: string;
    };
}
/**
 * The CLI exit status for an error code: 1 other failure, 2 usage, 3 not found,
 * 4 auth or gated, 5 network, 6 integrity, 7 local storage, 130 cancelled.
 *
 * @example
 * ```ts
 * import { exitCodeFor } from "./errors.ts";
 * exitCodeFor("integrity"); // 6
 * ```
 */
export declare function exitCodeFor(code: ErrorCode): number;
/**
 * Whether an unknown thrown value is an abort (from an `AbortSignal`).
 *
 * @example
 * ```ts
 * import { isAbortError } from "./errors.ts";
 * isAbortError(new DOMException("stop", "AbortError")); // true
 * ```
 */
export declare function isAbortError(error: unknown): boolean;
/**
 * Turns an abort into the `cancelled` error, keeping everything else as it is.
 *
 * @example
 * ```ts
 * import { cancelledError } from "./errors.ts";
 * cancelledError().code; // "cancelled"
 * ```
 */
export declare function cancelledError(cause?: unknown): ModelManagerError;
