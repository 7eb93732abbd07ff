/**
 * Combining cancellation sources: the one place that joins `AbortSignal`s.
 *
 * @module
 */
/**
 * A signal that aborts when any of the given ones does; `undefined` when none is given.
 */
export declare function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined;
