/**
 * How many new upstream pulls each client of a mirror may start: a bucket per
 * client address that refills evenly over a minute, so a burst of one model's
 * files passes and a client walking the whole Hub does not.
 *
 * @module
 */

/** Client addresses remembered before the full buckets are forgotten. */
const MAX_CLIENTS = 1024;

/**
 * The pull budget of every client.
 */
export class PullRate {
  #perMinute: number;
  #now: () => number;
  #buckets = new Map<string, { tokens: number; at: number }>();

  /** A budget of `perMinute` new pulls a minute per client, timed by `now`. */
  constructor(options: { perMinute: number; now?: () => number }) {
    this.#perMinute = options.perMinute;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Takes one pull from `client`'s budget; `false` when it is spent.
   */
  admit(client: string): boolean {
    const now = this.#now();
    const bucket = this.#buckets.get(client) ?? { tokens: this.#perMinute, at: now };
    bucket.tokens = Math.min(
      this.#perMinute,
      bucket.tokens + (now - bucket.at) * this.#perMinute / 60_000,
    );
    bucket.at = now;
    const admitted = bucket.tokens >= 1;
    if (admitted) bucket.tokens -= 1;
    this.#buckets.set(client, bucket);
    if (this.#buckets.size > MAX_CLIENTS) this.#forgetFull(now);
    return admitted;
  }

  /** Drops the buckets that have refilled: they hold nothing a new one would not. */
  #forgetFull(now: number): void {
    for (const [client, bucket] of this.#buckets) {
      const tokens = bucket.tokens + (now - bucket.at) * this.#perMinute / 60_000;
      if (tokens >= this.#perMinute) this.#buckets.delete(client);
    }
  }
}
