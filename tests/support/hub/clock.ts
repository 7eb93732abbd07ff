/**
 * The emulator's time (`options.clock`): the real one by default, or a test clock that a test
 * moves by hand (`advance`), or that jumps to each timer as soon as it is set (`auto`), so that
 * pacing, stalls and rate-limit windows are checked without waiting for them.
 *
 * @module
 */
import { setImmediate } from "node:timers";
import type { HubClock } from "./types.ts";

/** The real clock: `Date.now` and `setTimeout`. */
export const REAL_CLOCK: HubClock = {
  now: () => Date.now(),
  setTimer(ms, fire) {
    const timer = setTimeout(fire, ms);
    return () => clearTimeout(timer);
  },
};

/** A clock that moves only when told to. */
export interface TestClock extends HubClock {
  /** Milliseconds of timers waited for so far (each counted once, cancelled ones included). */
  readonly waitedMs: number;
  /** Moves the time on by `ms`, firing every timer that falls due. */
  advance(ms: number): void;
}

/** Options of {@link testClock}. */
export interface TestClockOptions {
  /** Move the time to each timer as soon as it is set, firing it on the next turn. */
  auto?: boolean;
}

/**
 * A clock for tests, starting at 0.
 *
 * @example
 * ```ts ignore
 * const clock = testClock();
 * const hub = await startHubServer({ repos, rateLimit: { windowSeconds: 1 }, clock });
 * clock.advance(1000); // the next request opens a new window
 * ```
 */
export function testClock(options: TestClockOptions = {}): TestClock {
  let now = 0;
  let waitedMs = 0;
  const timers = new Set<{ due: number; fire: () => void }>();
  const advance = (ms: number) => {
    now += ms;
    for (const timer of [...timers].sort((a, b) => a.due - b.due)) {
      if (timer.due > now) continue;
      timers.delete(timer);
      timer.fire();
    }
  };
  return {
    now: () => now,
    get waitedMs() {
      return waitedMs;
    },
    advance,
    setTimer(ms, fire) {
      waitedMs += ms;
      const timer = { due: now + ms, fire };
      timers.add(timer);
      if (options.auto) {
        setImmediate(() => timers.has(timer) && advance(Math.max(0, timer.due - now)));
      }
      return () => timers.delete(timer);
    },
  };
}
