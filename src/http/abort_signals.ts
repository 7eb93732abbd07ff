/**
 * Combining cancellation sources: the one place that joins `AbortSignal`s.
 *
 * @module
 */

/**
 * A signal that aborts when any of the given ones does; `undefined` when none is given.
 */
export function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  return present.length <= 1 ? present[0] : AbortSignal.any(present);
}
