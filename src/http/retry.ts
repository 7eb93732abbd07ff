/**
 * The one retry policy: bounded attempts, exponential backoff with full jitter,
 * and the server's own wait when it asks for one (`Retry-After`, or `RateLimit t=`
 * on a 429 whose `r` is 0).
 *
 * @module
 */
import { cancelledError, errorSignals, isAbortError, ModelManagerError } from "../errors.ts";
import { type Clock, systemClock } from "../clock.ts";

/** How often and how patiently to retry. */
export interface RetryOptions {
  /**
   * Attempts in all, the first included.
   *
   * @default 5
   */
  attempts?: number;
  /**
   * The first backoff delay in milliseconds; doubles each retry.
   *
   * @default 1000
   */
  baseDelayMs?: number;
  /**
   * The longest wait of our own backoff in milliseconds. A wait the server asks for
   * (`Retry-After`, `RateLimit t=` on a 429) is not capped by it: it is honoured up to
   * {@linkcode MAX_SERVER_DELAY_MS}.
   *
   * @default 30000
   */
  maxDelayMs?: number;
}

/**
 * The longest wait a server may ask for that is honoured: 300 s, the Hub's rate-limit window.
 */
export const MAX_SERVER_DELAY_MS = 300_000;

/** A wait and why it is that long. */
export interface RetryDelay {
  /** Milliseconds to wait before the next attempt. */
  delayMs: number;
  /**
   * Why: `"rate limited by the Hub"`, `"the server asked to wait"`, or, for our
   * own backoff, the failure itself.
   */
  reason: string;
}

/** What a retry callback is told. */
export interface RetryEvent {
  /** The attempt that failed, from 1. */
  attempt: number;
  /** How long the policy waits before the next attempt. */
  delayMs: number;
  /** Why it waits that long (see {@linkcode RetryDelay.reason}). */
  reason: string;
  /** The number of the next attempt in the current run of failures, from 2. */
  nextAttempt: number;
  /** Attempts allowed in a run of failures. */
  attempts: number;
  /** Why the attempt failed. */
  error: ModelManagerError;
}

/**
 * Marks a failure as worth another attempt, optionally after a server-given delay.
 */
export function retryableError(
  message: string,
  options: {
    hint?: string;
    cause?: unknown;
    retryAfterMs?: number;
    retryReason?: string;
    status?: number;
  } = {},
): ModelManagerError {
  const error = new ModelManagerError("network", message, {
    hint: options.hint ?? "check the network connection and run the command again to resume",
    cause: options.cause,
    status: options.status,
  });
  markRetryable(error, options);
  return error;
}

/**
 * Marks an existing error as one the retry policy retries (internal: the mark is
 * kept beside the error, not on it).
 */
export function markRetryable(
  error: ModelManagerError,
  options: { retryAfterMs?: number; retryReason?: string } = {},
): ModelManagerError {
  const signals = errorSignals(error);
  signals.retryable = true;
  signals.retryAfterMs = options.retryAfterMs;
  signals.retryReason = options.retryReason;
  return error;
}

/**
 * Asks the download engine to resolve a signed file URL again before retrying
 * (a CDN URL that stopped working has usually expired).
 */
export function requestUrlRefresh(error: ModelManagerError): ModelManagerError {
  errorSignals(error).refreshUrl = true;
  return error;
}

/**
 * Whether a failed attempt asked for its signed file URL to be resolved again.
 */
export function needsUrlRefresh(error: ModelManagerError): boolean {
  return errorSignals(error).refreshUrl === true;
}

/**
 * Whether an error is one the retry policy retries.
 */
export function isRetryable(error: unknown): error is ModelManagerError {
  return error instanceof ModelManagerError && errorSignals(error).retryable === true;
}

function retryAfterMs(headers: Headers, now: number): number | undefined {
  const retryAfter = headers.get("retry-after")?.trim();
  if (!retryAfter) return undefined;
  if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** `t=` of a `RateLimit` header whose `r=` is 0 (the quota is used up), in milliseconds. */
function exhaustedRateLimitMs(headers: Headers): number | undefined {
  const rateLimit = headers.get("ratelimit");
  const remaining = rateLimit?.match(/(?:^|[;,\s])r=(\d+)/);
  const reset = rateLimit?.match(/(?:^|[;,\s])t=(\d+)/);
  if (!remaining || !reset || Number(remaining[1]) !== 0) return undefined;
  return Number(reset[1]) * 1000;
}

/**
 * The wait a server asks for before a retry, as the official Hub clients read it:
 * `RateLimit t=` only on a 429 whose `r` is 0 (`t` is when the window resets, sent
 * on every answer), else `Retry-After` (seconds or an HTTP date), else none.
 */
export function serverRetryDelay(
  status: number,
  headers: Headers,
  options: { now?: number } = {},
): RetryDelay | undefined {
  const reason = status === 429 ? "rate limited by the Hub" : "the server asked to wait";
  const window = status === 429 ? exhaustedRateLimitMs(headers) : undefined;
  const delayMs = window ?? retryAfterMs(headers, options.now ?? Date.now());
  return delayMs === undefined ? undefined : { delayMs, reason };
}

/**
 * The wait before the next attempt after `failuresInARow` failures: the server's
 * own (up to {@linkcode MAX_SERVER_DELAY_MS}) when the error carries one, else
 * exponential backoff with full jitter capped by `maxDelayMs`.
 */
export function retryDelay(
  failuresInARow: number,
  error: ModelManagerError,
  options: RetryOptions & { random?: () => number } = {},
): RetryDelay {
  const signals = errorSignals(error);
  const serverDelay = signals.retryAfterMs;
  if (typeof serverDelay === "number" && Number.isFinite(serverDelay)) {
    return {
      delayMs: Math.min(Math.max(0, serverDelay), MAX_SERVER_DELAY_MS),
      reason: typeof signals.retryReason === "string"
        ? signals.retryReason
        : "the server asked to wait",
    };
  }
  const base = options.baseDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 30_000;
  const random = options.random ?? Math.random;
  return {
    delayMs: random() * Math.min(max, base * 2 ** (Math.max(1, failuresInARow) - 1)),
    reason: error.message,
  };
}

/**
 * Runs `operation` until it succeeds, fails with an error that is not retryable,
 * or runs out of attempts. An abort of `signal` becomes a `cancelled` error.
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions & {
    signal?: AbortSignal;
    onRetry?: (event: RetryEvent) => void;
    /** Asked after a failure: when it answers true, the failed attempt made progress and the count starts again. */
    madeProgress?: () => boolean;
    /** The clock it waits on between attempts. */
    clock?: Clock;
  } = {},
): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 5);
  let failuresInARow = 0;
  for (let attempt = 1;; attempt++) {
    try {
      if (options.signal?.aborted) throw options.signal.reason;
      return await operation(attempt);
    } catch (thrown) {
      if (options.signal?.aborted) throw cancelledError(thrown);
      const error = notCancellation(thrown);
      if (!isRetryable(error)) throw error;
      failuresInARow = options.madeProgress?.() ? 1 : failuresInARow + 1;
      if (failuresInARow >= attempts) throw error;
      const { delayMs, reason } = retryDelay(failuresInARow, error, options);
      options.onRetry?.({
        attempt,
        delayMs,
        reason,
        nextAttempt: failuresInARow + 1,
        attempts,
        error,
      });
      try {
        await (options.clock ?? systemClock).sleep(delayMs, options.signal);
      } catch (abort) {
        throw cancelledError(abort);
      }
    }
  }
}

/**
 * Only the caller's signal means "cancelled": an abort or timeout error that
 * escaped while that signal is not aborted is a runtime's own timeout (Bun's
 * fetch has one), which is a network failure worth retrying.
 */
function notCancellation(error: unknown): unknown {
  if (!isAbortError(error)) return error;
  return retryableError(
    `the request timed out (${error instanceof Error ? error.message : String(error)})`,
    { cause: error },
  );
}
