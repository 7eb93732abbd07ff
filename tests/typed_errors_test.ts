import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { errorForResponse } from "../src/http/hub_errors.ts";
import {
  isRetryable,
  markRetryable,
  needsUrlRefresh,
  requestUrlRefresh,
  retryableError,
  withRetry,
} from "../src/http/retry.ts";
import { ModelManagerError } from "../mod.ts";

async function errorFor(status: number, headers: Record<string, string> = {}) {
  return await errorForResponse(new Response("{}", { status, headers }), {
    repo: "acme/model",
    file: "m-rk3588-w8a8.rkllm",
    endpoint: "https://huggingface.co",
    hasToken: false,
    action: "resolve the file",
  });
}

describe("ModelManagerError's typed fields", () => {
  it("names the repository, the file and the status a Hub answer was about", async () => {
    const error = await errorFor(404, { "X-Error-Code": "EntryNotFound" });
    assert.equal(error.code, "file_not_found");
    assert.equal(error.repo, "acme/model");
    assert.equal(error.file, "m-rk3588-w8a8.rkllm");
    assert.equal(error.status, 404);
  });

  it("keeps retry and refresh signals off the public error", async () => {
    const error = requestUrlRefresh(await errorFor(503, { "Retry-After": "3" }));
    assert.ok(isRetryable(error));
    assert.ok(needsUrlRefresh(error));
    assert.equal(error.status, 503);
    const own = JSON.stringify(error);
    for (const word of ["retryable", "retryAfterMs", "retryReason", "refreshUrl", "details"]) {
      assert.ok(!own.includes(word), `${word} in ${own}`);
      assert.ok(!Object.keys(error).includes(word), `${word} is an own field`);
    }
  });

  it("carries typed fields, and retry signals only through the retry module", async () => {
    const error = markRetryable(
      new ModelManagerError("integrity", "verify m.rkllm: expected sha256 a, got b", {
        file: "m.rkllm",
        expected: "a",
        actual: "b",
      }),
    );
    assert.deepEqual([error.file, error.expected, error.actual], ["m.rkllm", "a", "b"]);
    assert.ok(isRetryable(error));
    let attempts = 0;
    await assert.rejects(
      withRetry(() => {
        attempts++;
        throw retryableError("the file server answered 403", { status: 403 });
      }, { attempts: 2, baseDelayMs: 1 }),
      (thrown: ModelManagerError) => thrown.status === 403,
    );
    assert.equal(attempts, 2);
  });
});
