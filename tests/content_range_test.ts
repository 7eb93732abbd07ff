/** What a `Content-Range` header says, and what the engine refuses to read from it. */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { parseContentRange } from "../src/download/fetch_segment.ts";

describe("parseContentRange", () => {
  it("reads the first byte, the last byte and the total", () => {
    assert.deepEqual(parseContentRange("bytes 100-199/1000"), {
      start: 100,
      end: 199,
      total: 1000,
    });
    assert.deepEqual(parseContentRange("  Bytes 0-0/1 "), { start: 0, end: 0, total: 1 });
  });

  it("leaves the total undefined when the server does not know it", () => {
    assert.deepEqual(parseContentRange("bytes 0-9/*"), { start: 0, end: 9, total: undefined });
  });

  it("answers undefined for a missing or malformed header", () => {
    for (const value of [null, "", "bytes */1000", "bytes 1-2", "items 0-9/10", "bytes -5-9/10"]) {
      assert.equal(parseContentRange(value), undefined, String(value));
    }
  });
});
