/**
 * The stall watchdog of one request: it aborts the request when no byte came
 * for the idle-timeout window, or when, once bytes flow, too few came on
 * average over that window (a trickle that never falls silent is a stall too).
 *
 * @module
 */
import { type Clock, systemClock } from "../clock.ts";

/**
 * The slowest average rate over the window that is not a stall (bytes per second).
 */
export const MIN_BYTES_PER_SECOND = 1024;

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
export class StallWatchdog {
  /** Aborts when the request stalls. */
  readonly signal: AbortSignal;
  /** Why the request was aborted, once it was: `no data for 30 s`. */
  stallReason: string | undefined;
  #controller = new AbortController();
  #stopTicking: () => void;
  #clock: Clock;
  #windowMs: number;
  #minRate: number;
  #received = 0;
  #lastByteAt: number;
  /**
   * Byte counts seen at each tick since the first byte, oldest first, the first one at least
   * a window old. Before the first byte only the idle rule applies.
   */
  #samples: { at: number; bytes: number }[] = [];

  /** Starts watching, with `windowMs` as both the idle timeout and the averaging window. */
  constructor(windowMs: number, options: StallWatchdogOptions = {}) {
    this.signal = this.#controller.signal;
    this.#windowMs = windowMs;
    this.#minRate = options.minBytesPerSecond ?? MIN_BYTES_PER_SECOND;
    this.#clock = options.clock ?? systemClock;
    this.#lastByteAt = this.#clock.now();
    this.#stopTicking = this.#clock.every(
      Math.max(10, Math.min(1000, windowMs / 4)),
      () => this.#check(),
    );
  }

  /** Records `count` bytes that just arrived. */
  received(count: number): void {
    const now = this.#clock.now();
    if (this.#samples.length === 0) this.#samples.push({ at: now, bytes: 0 });
    this.#received += count;
    this.#lastByteAt = now;
  }

  /** Stops watching. */
  stop(): void {
    this.#stopTicking();
  }

  #check(): void {
    const now = this.#clock.now();
    const seconds = Number((this.#windowMs / 1000).toFixed(1));
    if (now - this.#lastByteAt > this.#windowMs) {
      return this.#abort(`no data for ${seconds} s`);
    }
    if (this.#samples.length === 0) return;
    this.#samples.push({ at: now, bytes: this.#received });
    // Keep only the newest sample that is at least a window old, and the ones after it.
    while (this.#samples.length > 1 && this.#samples[1].at <= now - this.#windowMs) {
      this.#samples.shift();
    }
    const oldest = this.#samples[0];
    if (oldest.at > now - this.#windowMs) return;
    const bytes = this.#received - oldest.bytes;
    if (bytes < this.#minRate * this.#windowMs / 1000) {
      this.#abort(
        `only ${bytes} bytes in the last ${seconds} s, slower than ${this.#minRate / 1024} KiB/s`,
      );
    }
  }

  #abort(reason: string): void {
    if (this.signal.aborted) return;
    this.stallReason = reason;
    this.stop();
    this.#controller.abort(new DOMException(reason, "TimeoutError"));
  }
}
