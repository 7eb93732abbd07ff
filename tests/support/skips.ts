/**
 * Skipping a test says why, on every runtime: the reason is printed on stderr
 * as `skipped: <what>: <why>` (Deno and Bun do not print `t.skip`'s reason),
 * and appended to the file named by `RKLLM_TEST_SKIP_LOG` when it is set, so CI
 * can count the skipped tests and list the reasons after the run.
 *
 * @module
 */
import { appendFileSync } from "node:fs";
import process from "node:process";

/** Prints and logs that `what` is skipped because of `reason`. */
export function reportSkip(what: string, reason: string): void {
  const line = `skipped: ${what}: ${reason}`;
  console.error(line);
  const log = process.env.RKLLM_TEST_SKIP_LOG;
  if (log) appendFileSync(log, `${line}\n`);
}

/**
 * The `skip` option of a `describe` or `it`: `false` when `reason` is false,
 * else the reason, printed and logged once.
 */
export function skipWhen(what: string, reason: string | false): string | false {
  if (reason) reportSkip(what, reason);
  return reason;
}

/** Skips the running test `t` because of `reason`, printing and logging why. */
export function skipTest(t: { name: string; skip(message?: string): void }, reason: string): void {
  reportSkip(t.name, reason);
  t.skip(reason);
}
