/**
 * `it` of `node:test` with a default timeout, so that a hung test fails under its own name
 * on every runtime: Deno honours `it(name, { timeout })` but has no flag for a default and
 * ignores a `describe`'s timeout (Node has `--test-timeout`, Bun `--timeout`). A file opts in
 * by importing `it` from here instead of from `node:test`.
 *
 * @module
 */
import { it as nodeIt, type TestContext, type TestOptions } from "node:test";

/** How long one test may run before it fails as timed out (Bun's `--timeout` in package.json). */
export const TEST_TIMEOUT_MS = 120_000;

/** A test's body. */
export type TestBody = (t: TestContext) => void | Promise<void>;

/** Runs `body` as the test `name`, with `timeout` defaulting to {@link TEST_TIMEOUT_MS}. */
export function it(name: string, options: TestOptions | TestBody, body?: TestBody): Promise<void> {
  if (typeof options === "function") return nodeIt(name, { timeout: TEST_TIMEOUT_MS }, options);
  return nodeIt(name, { timeout: TEST_TIMEOUT_MS, ...options }, body);
}
