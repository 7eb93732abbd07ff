/**
 * Everything a request to the Hub needs to know: where the Hub is, the token,
 * the `fetch` to use, cancellation, retry policy and offline mode.
 *
 * @module
 */
import type { Clock } from "../clock.ts";
import type { RetryEvent, RetryOptions } from "./retry.ts";
/** The request timeout when none is set: time without an answer or between two body chunks. */
export declare const DEFAULT_REQUEST_TIMEOUT_MS = 30000;
/** The settings shared by every Hub request of one operation. */
export interface HubConnection {
    /** The Hub's base URL, without a trailing slash (for example `https://huggingface.co`). */
    endpoint: string;
    /** The access token; sent only to the endpoint's own origin. */
    token?: string;
    /** Also send the token as this cookie, to the endpoint's origin only (ModelScope's `m_session_id`). */
    tokenCookie?: string;
    /** The `fetch` implementation (tests and proxies may inject their own). */
    fetch: typeof fetch;
    /** Cancels every request of the operation. */
    signal?: AbortSignal;
    /** The retry policy for retryable failures. */
    retry: RetryOptions;
    /** `HF_HUB_OFFLINE=1`: no request may be sent. */
    offline: boolean;
    /**
     * The request timeout in milliseconds: a request fails (retryably) when connecting and the first byte of the answer take
     * longer, or when an API answer's body pauses longer between two chunks.
     */
    timeoutMs?: number;
    /** The largest JSON answer read, in bytes. */
    maxJsonBytes?: number;
    /** Told about every retry, for progress output. */
    onRetry?: (event: RetryEvent) => void;
    /** The clock retries wait on and stalled downloads are timed by. */
    clock?: Clock;
}
