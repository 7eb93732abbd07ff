/**
 * The rate limit of the real Hub (`options.rateLimit`): every request to the hub listener is
 * counted in a fixed window, every answer reports the window in `RateLimit` and
 * `RateLimit-Policy`, and a request past the window's quota answers 429 with `r=0`.
 *
 * @module
 */
import type { OutgoingHttpHeaders } from "node:http";
import type { Exchange, RateLimitReading } from "./exchange.ts";

const DEFAULT_LIMIT = 500;
const DEFAULT_WINDOW_SECONDS = 300;

/** The message of the 429 answered past the quota, as huggingface.co words it. */
export const QUOTA_MESSAGE =
  "You have exceeded our hourly quotas for action: api. We invite you to retry later.";

/**
 * Count a request to the hub listener in the current window (starting a new one when it has
 * run out) and keep the reading in `ex.rateLimit`; true when the request is past the quota.
 */
export function isOverQuota(ex: Exchange): boolean {
  const spec = ex.hub.options.rateLimit;
  if (!spec || ex.origin !== "hub") return false;
  const limit = spec.limit ?? DEFAULT_LIMIT;
  const windowSeconds = spec.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  const now = ex.hub.clock.now();
  const window = ex.hub.rateWindow;
  if (window.count === 0 || now >= window.startedAt + windowSeconds * 1000) {
    window.startedAt = now;
    window.count = 0;
  }
  window.count++;
  const resetSeconds = Math.max(
    1,
    Math.ceil((window.startedAt + windowSeconds * 1000 - now) / 1000),
  );
  ex.rateLimit = {
    remaining: Math.max(0, limit - window.count),
    resetSeconds,
    limit,
    windowSeconds,
  };
  return window.count > limit;
}

/** The `RateLimit` and `RateLimit-Policy` headers of a reading. */
export function rateLimitHeaders(reading: RateLimitReading | undefined): OutgoingHttpHeaders {
  if (!reading) return {};
  return {
    "RateLimit": `"api";r=${reading.remaining};t=${reading.resetSeconds}`,
    "RateLimit-Policy": `"fixed window";"api";q=${reading.limit};w=${reading.windowSeconds}`,
  };
}
