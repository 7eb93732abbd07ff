/**
 * The stall watchdog of one request, on a clock the test moves: silence for
 * the window aborts, so does less than 1 KiB/s over it once bytes flow, and a
 * request that keeps up is never aborted.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { StallWatchdog } from "../src/download/stall_watchdog.ts";
import { ManualClock } from "./support/manual_clock.ts";

/** Feeds `bytes` every `everyMs` for `forMs`, the first batch at once; stops early on an abort. */
function feed(
  watchdog: StallWatchdog,
  clock: ManualClock,
  flow: { bytes: number; everyMs: number; forMs: number },
): void {
  for (let elapsed = 0; elapsed < flow.forMs && !watchdog.signal.aborted; elapsed += flow.everyMs) {
    watchdog.received(flow.bytes);
    clock.advance(flow.everyMs);
  }
}

describe("the stall watchdog", () => {
  it("aborts a request that sends no byte for longer than the window, saying so", () => {
    const clock = new ManualClock();
    const watchdog = new StallWatchdog(1000, { clock });
    clock.advance(1000);
    assert.equal(watchdog.signal.aborted, false, "exactly the window is not yet a stall");
    clock.advance(250);
    assert.equal(watchdog.signal.aborted, true);
    assert.equal(watchdog.stallReason, "no data for 1 s");
    assert.equal((watchdog.signal.reason as DOMException).name, "TimeoutError");
  });

  it("aborts a request that falls silent after its bytes flowed", () => {
    const clock = new ManualClock();
    const watchdog = new StallWatchdog(300, { clock });
    feed(watchdog, clock, { bytes: 64 * 1024, everyMs: 75, forMs: 3000 });
    assert.equal(watchdog.signal.aborted, false, "64 KiB every 75 ms is no stall");
    clock.advance(300);
    assert.equal(watchdog.signal.aborted, true);
    assert.equal(watchdog.stallReason, "no data for 0.3 s");
  });

  it("aborts a trickle below 1 KiB/s over the window, though it is never silent", () => {
    const clock = new ManualClock();
    const watchdog = new StallWatchdog(1000, { clock });
    feed(watchdog, clock, { bytes: 200, everyMs: 250, forMs: 60_000 });
    assert.equal(watchdog.signal.aborted, true);
    assert.equal(clock.now() - Date.UTC(2026, 0, 1), 1000, "aborted once a full window was seen");
    assert.equal(watchdog.stallReason, "only 800 bytes in the last 1 s, slower than 1 KiB/s");
  });

  it("never aborts a request that keeps 1 KiB/s over every window", () => {
    const clock = new ManualClock();
    const watchdog = new StallWatchdog(1000, { clock });
    feed(watchdog, clock, { bytes: 256, everyMs: 250, forMs: 60_000 });
    assert.equal(watchdog.signal.aborted, false, watchdog.stallReason);
    assert.equal(watchdog.stallReason, undefined);
  });

  it("judges the rate over the last window only, not since the first byte", () => {
    const clock = new ManualClock();
    const watchdog = new StallWatchdog(1000, { clock });
    feed(watchdog, clock, { bytes: 64 * 1024, everyMs: 250, forMs: 5000 });
    feed(watchdog, clock, { bytes: 100, everyMs: 250, forMs: 5000 });
    assert.equal(watchdog.signal.aborted, true, "a fast start does not excuse a trickle later");
    assert.match(watchdog.stallReason ?? "", /^only \d+ bytes in the last 1 s/);
  });

  it("takes a slower floor when asked", () => {
    const clock = new ManualClock();
    const watchdog = new StallWatchdog(1000, { clock, minBytesPerSecond: 512 });
    feed(watchdog, clock, { bytes: 128, everyMs: 250, forMs: 60_000 });
    assert.equal(watchdog.signal.aborted, false, watchdog.stallReason);
  });

  it("stops watching once stopped", () => {
    const clock = new ManualClock();
    const watchdog = new StallWatchdog(1000, { clock });
    watchdog.received(10);
    watchdog.stop();
    clock.advance(60_000);
    assert.equal(watchdog.signal.aborted, false);
    assert.equal(watchdog.stallReason, undefined);
  });
});
