/**
 * Which transport Node's runtime takes for a Hub request: bare sockets, unless
 * the proxy variables send the URL through a proxy, which `node:http`'s agents
 * apply. A host `NO_PROXY` exempts (a mirror on the LAN) keeps the sockets.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { nodeHubTransport } from "../src/runtime/node_runtime.ts";
import { nodeHttpFetch } from "../src/runtime/node_http_fetch.ts";
import { socketFetch } from "../src/runtime/node_socket_fetch.ts";

/** An environment holding `variables` (upper-case names). */
function envOf(variables: Record<string, string>) {
  return (name: string) => variables[name];
}

describe("nodeHubTransport", () => {
  const proxied = envOf({
    HTTP_PROXY: "http://proxy.example:3128",
    HTTPS_PROXY: "http://proxy.example:3128",
    NO_PROXY: "mirror.lan,.fleet.lan,127.0.0.1:8080",
  });

  it("takes the bare sockets without a proxy variable", () => {
    const transport = nodeHubTransport(new URL("https://cdn.example/model.rkllm"), envOf({}));
    assert.equal(transport, socketFetch);
  });

  it("takes node:http for a URL the proxy variables send through a proxy", () => {
    for (const url of ["https://cdn.example/a.rkllm", "http://127.0.0.1:9090/a.rkllm"]) {
      assert.equal(nodeHubTransport(new URL(url), proxied), nodeHttpFetch, url);
    }
  });

  it("keeps the bare sockets for the hosts NO_PROXY exempts, by name, suffix and port", () => {
    for (
      const url of [
        "http://mirror.lan:8080/a.rkllm",
        "http://board-3.fleet.lan/a.rkllm",
        "http://127.0.0.1:8080/a.rkllm",
      ]
    ) {
      assert.equal(nodeHubTransport(new URL(url), proxied), socketFetch, url);
    }
  });
});
