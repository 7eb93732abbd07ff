/**
 * The one retry policy: bounded attempts, exponential backoff with full jitter,
 * and the server's own `Retry-After` / `RateLimit t=` when it gives one.
 *
 * @module
 */
import { cancelledError, isAbortError, ModelManagerError } from "../errors.ts";

/** How often and how patiently to retry. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 5). */
  attempts?: number;
  /** The first backoff delay in milliseconds (default 1000); doubles each retry. */
  baseDelayMs?: number;
  /** The longest single wait in milliseconds (default 30000). */
  maxDelayMs?: number;
}

/** What a retry callback is told. */
export interface RetryEvent {
  /** The attempt that failed, from 1. */
  attempt: number;
  /** How long the policy waits before the next attempt. */
  delayMs: number;
  /** Why the attempt failed. */
  error: ModelManagerError;
}

/** Marks a failure as worth another attempt, optionally after a server-given delay. */
export function retryableError(
  message: string,
  options: { hint?: string; cause?: unknown; retryAfterMs?: number; status?: number } = {},
): ModelManagerError {
  return new ModelManagerError("network", message, {
    hint: options.hint ?? "check the network connection and run the command again to resume",
    cause: options.cause,
    details: { retryable: true, retryAfterMs: options.retryAfterMs, status: options.status },
  });
}

/** Whether an error is one the retry policy retries. */
export function isRetryable(error: unknown): error is ModelManagerError {
  return error instanceof ModelManagerError && error.details.retryable === true;
}

/**
 * The delay a server asks for, in milliseconds, from `Retry-After` (seconds or an
 * HTTP date) or the IETF `RateLimit` header's `t=` parameter.
 *
 * @example
 * ```ts
 * import { serverRetryDelayMs } from "./retry.ts";
 * serverRetryDelayMs(new Headers({ "Retry-After": "2" })); // 2000
 * ```
 */
export function serverRetryDelayMs(headers: Headers, now = Date.now()): number | undefined {
  const retryAfter = headers.get("retry-after")?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const rateLimit = headers.get("ratelimit");
  const reset = rateLimit?.match(/(?:^|[;,\s])t=(\d+)/);
  if (reset) return Number(reset[1]) * 1000;
  return undefined;
}

/**
 * Waits `ms` milliseconds, or rejects with an abort error when `signal` fires.
 *
 * @example
 * ```ts
 * import { sleep } from "./retry.ts";
 * await sleep(10);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Runs `operation` until it succeeds, fails with an error that is not retryable,
 * or runs out of attempts. An abort of `signal` becomes a `cancelled` error.
 *
 * @example
 * ```ts
 * import { withRetry } from "./retry.ts";
 * const value = await withRetry(() => Promise.resolve(42), { attempts: 3 });
 * ```
 */
export async function withRetry<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions & {
    signal?: AbortSignal;
    onRetry?: (event: RetryEvent) => void;
    /** Asked after a failure: when it answers true, the failed attempt made progress and the count starts again. */
    madeProgress?: () => boolean;
  } = {},
): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 5);
  const base = options.baseDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 30_000;
  let failuresInARow = 0;
  for (let attempt = 1;; attempt++) {
    try {
      if (options.signal?.aborted) throw options.signal.reason;
      return await operation(attempt);
    } catch (error) {
      if (isAbortError(error) || options.signal?.aborted) throw cancelledError(error);
      if (!isRetryable(error)) throw error;
      failuresInARow = options.madeProgress?.() ? 1 : failuresInARow + 1;
      if (failuresInARow >= attempts) throw error;
      const serverDelay = error.details.retryAfterMs as number | undefined;
      const backoff = Math.random() * Math.min(max, base * 2 ** (failuresInARow - 1));
      const delayMs = serverDelay === undefined
        ? backoff
        : Math.min(Math.max(serverDelay, backoff), max * 4);
      options.onRetry?.({ attempt, delayMs, error });
      try {
        await sleep(delayMs, options.signal);
      } catch (abort) {
        throw cancelledError(abort);
      }
    }
  }
}
