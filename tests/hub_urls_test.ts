/**
 * The Hub's URLs are spelled in one place, with every part encoded, and a
 * request's context comes from its connection.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { modelApiUrl, modelSearchUrl, resolveUrl } from "../src/hub/hub_urls.ts";
import { requestContext } from "../src/http/request_context.ts";

const repo = { owner: "acme", name: "Qwen 2.5", id: "acme/Qwen 2.5" };
const endpoint = "http://127.0.0.1:9/hub";

describe("Hub URLs", () => {
  it("names a model's API with encoded segments and a query", () => {
    assert.equal(modelApiUrl(endpoint, repo).href, `${endpoint}/api/models/acme/Qwen%202.5`);
    const tree = modelApiUrl(endpoint, repo, {
      segments: ["tree", "refs/pr/1"],
      search: new URLSearchParams({ recursive: "true", expand: "false" }),
    });
    assert.equal(
      tree.href,
      `${endpoint}/api/models/acme/Qwen%202.5/tree/refs%2Fpr%2F1?recursive=true&expand=false`,
    );
  });

  it("names the search API", () => {
    const url = modelSearchUrl(endpoint, new URLSearchParams({ search: "rk3588 w8a8" }));
    assert.equal(url.href, `${endpoint}/api/models?search=rk3588+w8a8`);
  });

  it("names a file's download URL, keeping the path's slashes", () => {
    const url = resolveUrl(endpoint, { repo, revision: "v1.0/x", path: "sub dir/a#b.rkllm" });
    assert.equal(url.href, `${endpoint}/acme/Qwen%202.5/resolve/v1.0%2Fx/sub%20dir/a%23b.rkllm`);
  });
});

describe("requestContext", () => {
  it("takes the endpoint, the token's presence and the timeout from the connection", () => {
    const connection = {
      endpoint,
      token: "hf_x",
      fetch,
      retry: {},
      offline: false,
      timeoutMs: 1234,
    };
    assert.deepEqual(requestContext(connection, { action: "list the files", repo: repo.id }), {
      action: "list the files",
      repo: repo.id,
      endpoint,
      hasToken: true,
      timeoutMs: 1234,
    });
    const anonymous = requestContext({ ...connection, token: undefined }, { action: "search" });
    assert.equal(anonymous.hasToken, false);
  });
});
