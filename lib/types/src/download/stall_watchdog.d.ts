/**
 * The stall watchdog of one request: it aborts the request when no byte came
 * for the idle-timeout window, or when, once bytes flow, too few came on
 * average over that window (a trickle that never falls silent is a stall too).
 *
 * @module
 */
import { type Clock } from "../clock.ts";
/**
 * The slowest average rate over the window that is not a stall (bytes per second).
 */
export declare const MIN_BYTES_PER_SECOND = 1024;
/** Options of a {@linkcode StallWatchdog}. */
export interface StallWatchdogOptions {
    /** The slowest average rate over the window that is not a stall ({@linkcode MIN_BYTES_PER_SECOND} when absent). */
    minBytesPerSecond?: number;
    /** The clock it ticks on; the system's when absent. */
    clock?: Clock;
}
/**
 * Watches the bytes of one request. Its {@linkcode StallWatchdog.signal}
 * aborts (with a `TimeoutError`) when the request stalls, and
 * {@linkcode StallWatchdog.stallReason} then says how.
 */
export declare class StallWatchdog {
    #private;
    /** Aborts when the request stalls. */
    readonly signal: AbortSignal;
    /** Why the request was aborted, once it was: `no data for 30 s`. */
    stallReason: string | undefined;
    /** Starts watching, with `windowMs` as both the idle timeout and the averaging window. */
    constructor(windowMs: number, options?: StallWatchdogOptions);
    /** Records `count` bytes that just arrived. */
    received(count: number): void;
    /** Stops watching. */
    stop(): void;
}
