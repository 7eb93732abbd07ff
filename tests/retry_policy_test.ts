import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import {
  isRetryable,
  MAX_SERVER_DELAY_MS,
  retryableError,
  retryDelay,
  type RetryEvent,
  serverRetryDelay,
  withRetry,
} from "../src/http/retry.ts";
import { errorForResponse } from "../src/http/hub_errors.ts";
import { ModelManagerError } from "../mod.ts";
import { ManualClock } from "./support/manual_clock.ts";

const HUB = "https://huggingface.co";
/** A test that waits for the policy to sleep fails after this, by name, when it never does. */
const UNLESS_IT_HANGS = { timeout: 60_000 };
/** The `RateLimit` the Hub sends on every answer, successes and 5xx included. */
const WINDOW_300 = '"api";r=497;t=300';

/** The error the Hub client makes of an answer, as the retry policy then sees it. */
async function errorFor(status: number, headers: Record<string, string>) {
  return await errorForResponse(new Response("{}", { status, headers }), {
    repo: "o/n",
    endpoint: HUB,
    hasToken: false,
    action: "read the repo info",
  });
}

describe("the retry delay (RateLimit, Retry-After, backoff)", () => {
  it("uses RateLimit t= only for a 429 whose r is 0", () => {
    assert.deepEqual(serverRetryDelay(429, new Headers({ RateLimit: '"api";r=0;t=5' })), {
      delayMs: 5000,
      reason: "rate limited by the Hub",
    });
    assert.equal(serverRetryDelay(429, new Headers({ RateLimit: '"api";r=3;t=5' })), undefined);
    assert.equal(serverRetryDelay(503, new Headers({ RateLimit: '"api";r=0;t=300' })), undefined);
    assert.equal(serverRetryDelay(200, new Headers({ RateLimit: WINDOW_300 })), undefined);
  });

  it("otherwise honours Retry-After, in seconds or as a date", () => {
    assert.deepEqual(serverRetryDelay(503, new Headers({ "Retry-After": "7" })), {
      delayMs: 7000,
      reason: "the server asked to wait",
    });
    const now = Date.parse("2026-01-01T00:00:00Z");
    const later = new Headers({ "Retry-After": "Thu, 01 Jan 2026 00:00:12 GMT" });
    assert.equal(serverRetryDelay(503, later, { now })?.delayMs, 12_000);
    const both = new Headers({ "Retry-After": "2", RateLimit: '"api";r=5;t=300' });
    assert.deepEqual(serverRetryDelay(429, both), {
      delayMs: 2000,
      reason: "rate limited by the Hub",
    });
  });

  it("retries a 503 carrying RateLimit t=300 after its own backoff, in seconds", async () => {
    const error = await errorFor(503, { RateLimit: WINDOW_300 });
    assert.equal(isRetryable(error), true);
    const highest = retryDelay(1, error, { random: () => 0.999 });
    assert.ok(highest.delayMs < 1000, `first backoff ${highest.delayMs} ms`);
    assert.equal(highest.reason, error.message);
    const capped = retryDelay(10, error, { random: () => 0.999, maxDelayMs: 4000 });
    assert.ok(capped.delayMs <= 4000, `backoff ${capped.delayMs} ms is capped by maxDelayMs`);
  });

  it("retries a 429 with RateLimit r=0;t=5 after about 5 s, saying why", async () => {
    const error = await errorFor(429, { RateLimit: '"api";r=0;t=5' });
    assert.deepEqual(retryDelay(1, error, { maxDelayMs: 100 }), {
      delayMs: 5000,
      reason: "rate limited by the Hub",
    });
  });

  it("honours a server's wait up to 300 s, beyond maxDelayMs", async () => {
    const long = await errorFor(429, { "Retry-After": "240" });
    assert.equal(retryDelay(1, long, { maxDelayMs: 1000 }).delayMs, 240_000);
    const longer = await errorFor(503, { "Retry-After": "3600" });
    assert.equal(retryDelay(1, longer).delayMs, MAX_SERVER_DELAY_MS);
  });

  it("tells the retry callback the delay, its reason and the attempt count", async () => {
    const events: RetryEvent[] = [];
    const failure = retryableError("read the repo info of o/n (429: slow down)", {
      retryAfterMs: 3,
      retryReason: "rate limited by the Hub",
      status: 429,
    });
    let calls = 0;
    const value = await withRetry(() => {
      calls++;
      return calls < 3 ? Promise.reject(failure) : Promise.resolve("ok");
    }, { attempts: 5, onRetry: (event) => events.push(event) });
    assert.equal(value, "ok");
    assert.deepEqual(
      events.map(({ delayMs, reason, nextAttempt, attempts }) => ({
        delayMs,
        reason,
        nextAttempt,
        attempts,
      })),
      [
        { delayMs: 3, reason: "rate limited by the Hub", nextAttempt: 2, attempts: 5 },
        { delayMs: 3, reason: "rate limited by the Hub", nextAttempt: 3, attempts: 5 },
      ],
    );
  });
});

describe("cancellation is the caller's signal only", () => {
  it("retries a runtime's own timeout as a network error", async () => {
    let calls = 0;
    const error = await withRetry(() => {
      calls++;
      return Promise.reject(new DOMException("The operation timed out.", "TimeoutError"));
    }, { attempts: 2, baseDelayMs: 1 }).catch((error) => error);
    assert.equal(calls, 2);
    assert.ok(error instanceof ModelManagerError);
    assert.equal(error.code, "network");
    assert.match(error.message, /timed out/);
  });

  it("reports an abort of the caller's signal as cancelled", async () => {
    const user = new AbortController();
    const error = await withRetry(() => {
      user.abort(new DOMException("interrupted", "AbortError"));
      return Promise.reject(user.signal.reason);
    }, { signal: user.signal }).catch((error) => error);
    assert.ok(error instanceof ModelManagerError);
    assert.equal(error.code, "cancelled");
  });
});

describe("withRetry", () => {
  const failing = (message: string) => retryableError(message, { retryAfterMs: 0 });

  it("tries `attempts` times in all, then throws the last failure", async () => {
    let calls = 0;
    const error = await withRetry(() => {
      calls++;
      return Promise.reject(failing(`failure ${calls}`));
    }, { attempts: 3 }).catch((error) => error);
    assert.equal(calls, 3);
    assert.equal(error.message, "failure 3");
  });

  it("throws an error that is not retryable at once", async () => {
    let calls = 0;
    const refusal = new ModelManagerError("repo_not_found", "cannot find o/n on the Hub");
    const error = await withRetry(() => {
      calls++;
      return Promise.reject(refusal);
    }, { attempts: 5 }).catch((error) => error);
    assert.equal(calls, 1);
    assert.equal(error, refusal);
  });

  it("passes the attempt number, and starts counting again after an attempt that made progress", async () => {
    const seen: number[] = [];
    const value = await withRetry((attempt) => {
      seen.push(attempt);
      return attempt < 5 ? Promise.reject(failing("cut")) : Promise.resolve(attempt);
    }, { attempts: 2, madeProgress: () => true });
    assert.equal(value, 5, "five attempts with a limit of two: each failure made progress");
    assert.deepEqual(seen, [1, 2, 3, 4, 5]);
  });

  it(
    "waits its own backoff, growing and capped by maxDelayMs, between attempts",
    UNLESS_IT_HANGS,
    async () => {
      const clock = new ManualClock();
      const delays: number[] = [];
      let calls = 0;
      const done = withRetry(() => {
        calls++;
        return Promise.reject(retryableError("503"));
      }, {
        attempts: 4,
        baseDelayMs: 1000,
        maxDelayMs: 3000,
        clock,
        onRetry: (event) => delays.push(event.delayMs),
      }).catch((error) => error);
      for (let retry = 1; retry <= 3; retry++) {
        const held = await clock.nextSleep();
        assert.equal(held.ms, delays[retry - 1], `retry ${retry} sleeps the delay it reported`);
        assert.ok(held.ms >= 0 && held.ms <= Math.min(3000, 1000 * 2 ** (retry - 1)), `${held.ms}`);
        assert.equal(calls, retry, "no attempt while the sleep is held");
        held.release();
      }
      assert.equal((await done).message, "503");
      assert.equal(calls, 4);
    },
  );
});

/** Lets every callback already queued run (timers, I/O and promise jobs). */
function anotherTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

describe("the wait between attempts", () => {
  it(
    "sleeps exactly the delay it reports, and makes no attempt before it ends",
    UNLESS_IT_HANGS,
    async () => {
      const clock = new ManualClock();
      const told: RetryEvent[] = [];
      const retried = Promise.withResolvers<void>();
      let calls = 0;
      const result = withRetry(() => {
        calls++;
        if (calls > 1) return Promise.resolve("ok");
        return Promise.reject(retryableError("the Hub answered 503", { retryAfterMs: 1500 }));
      }, {
        clock,
        onRetry(event) {
          told.push(event);
          retried.resolve();
        },
      });
      await retried.promise;
      assert.equal(told[0].delayMs, 1500);
      assert.deepEqual(clock.sleeps.map((held) => held.ms), [1500], "one sleep, of the delay told");
      clock.advance(1499);
      await anotherTurn();
      assert.equal(calls, 1, "no attempt a millisecond before the delay ends");
      clock.advance(1);
      assert.equal(await result, "ok");
      assert.equal(calls, 2);
    },
  );

  it(
    "ends a wait the caller cancels as cancelled, without another attempt",
    UNLESS_IT_HANGS,
    async () => {
      const clock = new ManualClock();
      const user = new AbortController();
      let calls = 0;
      const result = withRetry(() => {
        calls++;
        return Promise.reject(retryableError("the Hub answered 503", { retryAfterMs: 60_000 }));
      }, { clock, signal: user.signal }).catch((error) => error);
      const held = await clock.nextSleep();
      user.abort(new DOMException("interrupted", "AbortError"));
      const error = await result;
      assert.ok(error instanceof ModelManagerError);
      assert.equal(error.code, "cancelled");
      assert.equal(held.settled, true, "the sleep ended with the signal");
      assert.equal(calls, 1);
    },
  );
});
