/**
 * The clock the download engine's timers run on: the stall watchdog's ticks,
 * the retry policy's waits and the store lock's polls; tests pass a clock they
 * move by hand.
 *
 * @module
 */
/** Time and waiting, injectable. */
export interface Clock {
    /** Milliseconds since the epoch. */
    now(): number;
    /** Waits `ms` milliseconds, or rejects with the signal's reason when `signal` fires. */
    sleep(ms: number, signal?: AbortSignal): Promise<void>;
    /** Calls `tick` every `ms` milliseconds until the function it answers is called. */
    every(ms: number, tick: () => void): () => void;
}
/** The system's clock: `Date.now`, `setTimeout` and `setInterval`. */
export declare const systemClock: Clock;
