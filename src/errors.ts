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
export type ErrorCode =
  | "usage"
  | "config"
  | "repo_not_found"
  | "file_not_found"
  | "model_not_found"
  | "ambiguous"
  | "auth"
  | "gated"
  | "network"
  | "offline"
  | "integrity"
  | "storage"
  | "locked"
  | "cancelled"
  | "unsupported_runtime";

/** Options for {@linkcode ModelManagerError}. */
export interface ModelManagerErrorOptions {
  /** What the user can do next. */
  hint?: string;
  /** The underlying error, kept for debugging. */
  cause?: unknown;
  /** Structured details a program may use (for example the candidates of an ambiguous query). */
  details?: Record<string, unknown>;
}

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
 *     console.error(error.message, error.hint);
 *   }
 * }
 * ```
 */
export class ModelManagerError extends Error {
  /** A stable, machine-readable kind. */
  readonly code: ErrorCode;
  /** What to do next; empty when there is nothing useful to say. */
  readonly hint: string;
  /** Structured details for programs (never contains secrets). */
  readonly details: Record<string, unknown>;

  /** Creates an error with a code, a message and an optional hint. */
  constructor(code: ErrorCode, message: string, options: ModelManagerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ModelManagerError";
    this.code = code;
    this.hint = options.hint ?? "";
    this.details = options.details ?? {};
  }

  /**
   * The plain-data form used by `--json` output.
   *
   * @example
   * ```ts
   * import { ModelManagerError } from "./errors.ts";
   * new ModelManagerError("usage", "bad flag").toJSON(); // { code: "usage", ... }
   * ```
   */
  toJSON(): { code: ErrorCode; message: string; hint: string } {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}

const EXIT_CODES: Record<ErrorCode, number> = {
  usage: 2,
  ambiguous: 2,
  config: 1,
  repo_not_found: 3,
  file_not_found: 3,
  model_not_found: 3,
  auth: 4,
  gated: 4,
  network: 5,
  offline: 5,
  integrity: 6,
  storage: 7,
  locked: 7,
  cancelled: 130,
  unsupported_runtime: 1,
};

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
export function exitCodeFor(code: ErrorCode): number {
  return EXIT_CODES[code] ?? 1;
}

/**
 * Whether an unknown thrown value is an abort (from an `AbortSignal`).
 *
 * @example
 * ```ts
 * import { isAbortError } from "./errors.ts";
 * isAbortError(new DOMException("stop", "AbortError")); // true
 * ```
 */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}

/**
 * Turns an abort into the `cancelled` error, keeping everything else as it is.
 *
 * @example
 * ```ts
 * import { cancelledError } from "./errors.ts";
 * cancelledError().code; // "cancelled"
 * ```
 */
export function cancelledError(cause?: unknown): ModelManagerError {
  return new ModelManagerError("cancelled", "the operation was cancelled", {
    hint: "run the same command again to resume where it stopped",
    cause,
  });
}
