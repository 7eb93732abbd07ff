/**
 * The one retry policy: bounded attempts, exponential backoff with full jitter,
 * and the server's own wait when it asks for one (`Retry-After`, or `RateLimit t=`
 * on a 429 whose `r` is 0).
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import { type Clock } from "../clock.ts";
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
export declare const MAX_SERVER_DELAY_MS = 300000;
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
export declare function retryableError(message: string, options?: {
    hint?: string;
    cause?: unknown;
    retryAfterMs?: number;
    retryReason?: string;
    status?: number;
}): ModelManagerError;
/**
 * Marks an existing error as one the retry policy retries (internal: the mark is
 * kept beside the error, not on it).
 */
export declare function markRetryable(error: ModelManagerError, options?: {
    retryAfterMs?: number;
    retryReason?: string;
}): ModelManagerError;
/**
 * Asks the download engine to resolve a signed file URL again before retrying
 * (a CDN URL that stopped working has usually expired).
 */
export declare function requestUrlRefresh(error: ModelManagerError): ModelManagerError;
/**
 * Whether a failed attempt asked for its signed file URL to be resolved again.
 */
export declare function needsUrlRefresh(error: ModelManagerError): boolean;
/**
 * Whether an error is one the retry policy retries.
 */
export declare function isRetryable(error: unknown): error is ModelManagerError;
/**
 * The wait a server asks for before a retry, as the official Hub clients read it:
 * `RateLimit t=` only on a 429 whose `r` is 0 (`t` is when the window resets, sent
 * on every answer), else `Retry-After` (seconds or an HTTP date), else none.
 */
export declare function serverRetryDelay(status: number, headers: Headers, options?: {
    now?: number;
}): RetryDelay | undefined;
/**
 * The wait before the next attempt after `failuresInARow` failures: the server's
 * own (up to {@linkcode MAX_SERVER_DELAY_MS}) when the error carries one, else
 * exponential backoff with full jitter capped by `maxDelayMs`.
 */
export declare function retryDelay(failuresInARow: number, error: ModelManagerError, options?: RetryOptions & {
    random?: () => number;
}): RetryDelay;
/**
 * Runs `operation` until it succeeds, fails with an error that is not retryable,
 * or runs out of attempts. An abort of `signal` becomes a `cancelled` error.
 */
export declare function withRetry<T>(operation: (attempt: number) => Promise<T>, options?: RetryOptions & {
    signal?: AbortSignal;
    onRetry?: (event: RetryEvent) => void;
    /** Asked after a failure: when it answers true, the failed attempt made progress and the count starts again. */
    madeProgress?: () => boolean;
    /** The clock it waits on between attempts. */
    clock?: Clock;
}): Promise<T>;
