/**
 * A clock a test moves by hand: time stands still until the test advances it,
 * sleeps stay held until then, and the test sees every sleep asked for.
 *
 * @module
 */
import type { Clock } from "../../src/clock.ts";

/** A sleep some code asked for, held until the clock reaches its end. */
export interface HeldSleep {
  /** The milliseconds asked for. */
  readonly ms: number;
  /** When it ends, on the clock. */
  readonly due: number;
  /** Whether it ended (the clock passed `due`) or was cancelled by its signal. */
  readonly settled: boolean;
  /** Moves the clock to `due`, running every timer due until then (this sleep's among them). */
  release(): void;
}

interface Timer {
  due: number;
  run: () => void;
  everyMs?: number;
}

/** A {@linkcode Clock} that only moves when {@linkcode ManualClock.advance} is called. */
export class ManualClock implements Clock {
  /** Every sleep asked for, in order. */
  readonly sleeps: HeldSleep[] = [];
  #now: number;
  #timers = new Set<Timer>();
  #claimed = 0;
  #waiters: (() => void)[] = [];

  /** Starts at `start` (milliseconds since the epoch). */
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const held = {
        ms,
        due: this.#now + ms,
        settled: false,
        release: () => this.advanceTo(held.due),
      };
      const timer: Timer = {
        due: held.due,
        run: () => {
          held.settled = true;
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        held.settled = true;
        this.#timers.delete(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#timers.add(timer);
      this.sleeps.push(held);
      for (const wake of this.#waiters.splice(0)) wake();
    });
  }

  every(ms: number, tick: () => void): () => void {
    const timer: Timer = { due: this.#now + Math.max(1, ms), run: tick, everyMs: Math.max(1, ms) };
    this.#timers.add(timer);
    return () => this.#timers.delete(timer);
  }

  /** Moves the clock `ms` forward, running the timers due on the way in their order. */
  advance(ms: number): void {
    this.advanceTo(this.#now + ms);
  }

  /** Moves the clock to `time` (never back), running the timers due on the way in their order. */
  advanceTo(time: number): void {
    for (;;) {
      const next = [...this.#timers].reduce<Timer | undefined>(
        (earliest, timer) => (!earliest || timer.due < earliest.due ? timer : earliest),
        undefined,
      );
      if (!next || next.due > time) break;
      this.#now = Math.max(this.#now, next.due);
      if (next.everyMs === undefined) this.#timers.delete(next);
      else next.due += next.everyMs;
      next.run();
    }
    this.#now = Math.max(this.#now, time);
  }

  /** The sleeps asked for and not ended yet, oldest first. */
  pendingSleeps(): HeldSleep[] {
    return this.sleeps.filter((held) => !held.settled);
  }

  /**
   * The next sleep asked for that this method has not answered yet (each sleep is
   * answered once, in order), as soon as it is asked for.
   */
  async nextSleep(): Promise<HeldSleep> {
    while (this.sleeps.length <= this.#claimed) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    return this.sleeps[this.#claimed++];
  }
}
