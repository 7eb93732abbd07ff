/**
 * What a hostile or broken server cannot make the download do: write outside
 * the repo directory, receive the token on another host, keep a client in a
 * redirect loop, or lead it to a non-HTTP URL; and the token never lands in
 * stored files, events or errors.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { errorSignals } from "../src/errors.ts";
import { startHubServer } from "./support/hub_server.ts";
import { bytesOf, QWEN, QWEN_FILE } from "./support/fixtures.ts";
import {
  assertSameBytes,
  filesUnder,
  managerFor,
  rejectsWithCode,
  resetOnceAfter,
  rewritingFetch,
} from "./support/download_harness.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";

const TOKEN = "hf_SecretTokenThatMustNeverLeak0123456789";
const MIB = 1024 * 1024;

/** A fetch that adds one entry to every tree listing the Hub sends. */
function listingWith(entry: Record<string, unknown>): typeof fetch {
  return rewritingFetch({
    async after(url, response) {
      if (!url.pathname.includes("/tree/") || !response.ok) return undefined;
      const listing = await response.json() as unknown[];
      listing.push(entry);
      return new Response(JSON.stringify(listing), {
        status: 200,
        headers: { "Content-Type": "application/json" },
      });
    },
  });
}

describe("the download engine against a hostile server", () => {
  const bed = useHubTestBed({ repos: [QWEN] });
  const { newDir } = bed;

  it("refuses a listing with ../, absolute or backslashed paths and writes nothing", async () => {
    const hostile = [
      "../escaped.rkllm",
      "sub/../../escaped.rkllm",
      join(bed.root, "absolute.rkllm"),
      "..\\..\\escaped.rkllm",
      "sub\\..\\config.json",
      "C:/escaped.rkllm",
      "./config.json",
      "sub//config.json",
    ];
    const before = filesUnder(bed.root);
    for (const path of hostile) {
      const modelsDir = newDir();
      const from = bed.hub.requests.length;
      const { manager } = managerFor(bed.hub, modelsDir, {
        fetch: listingWith({ type: "file", path, size: 5, oid: "0".repeat(40) }),
      });
      const error = await rejectsWithCode(manager.downloadModel(QWEN.id, QWEN_FILE), "integrity");
      assert.ok(error.message.includes(JSON.stringify(path)), error.message);
      assert.deepEqual(filesUnder(bed.root), before, `nothing was written for ${path}`);
      const fileRequests = bed.hub.requests.slice(from).filter((request) =>
        request.origin === "cdn" || request.path.includes("/resolve/")
      );
      assert.deepEqual(fileRequests, [], "no file was requested");
    }
  });

  it("sends the token to the Hub but never to the CDN it redirects to", async () => {
    const modelsDir = newDir();
    const { manager } = managerFor(bed.hub, modelsDir, { token: TOKEN });
    const from = bed.hub.requests.length;
    const model = await manager.downloadModel(QWEN.id);
    assertSameBytes(model.path, bytesOf(QWEN, QWEN_FILE));
    const requests = bed.hub.requests.slice(from);
    const toHub = requests.filter((request) => request.origin === "hub");
    const toCdn = requests.filter((request) => request.origin === "cdn");
    assert.notEqual(new URL(bed.hub.cdnOrigin).origin, new URL(bed.hub.endpoint).origin);
    assert.ok(toHub.length > 0 && toCdn.length > 0);
    for (const request of toHub) {
      assert.equal(request.headers.authorization, `Bearer ${TOKEN}`, request.path);
    }
    for (const request of toCdn) {
      assert.equal(request.headers.authorization, undefined, `no token at ${request.path}`);
    }
  });

  it("keeps the token out of stored files, events and errors", async () => {
    const modelsDir = newDir();
    const { manager, events } = managerFor(bed.hub, modelsDir, { token: TOKEN });
    bed.hub.addFault(resetOnceAfter(MIB));
    bed.hub.addFault({
      origin: "hub",
      pathIncludes: "config.json",
      method: "GET",
      times: 1,
      status: 503,
    });
    await manager.downloadModel(QWEN.id);
    assert.ok(events.some((event) => event.event === "retry"));
    assert.ok(!JSON.stringify(events).includes(TOKEN), "not in events");
    for (const file of filesUnder(modelsDir)) {
      assert.ok(!readFileSync(join(modelsDir, file)).includes(TOKEN), `not in ${file}`);
    }
    const strict = await startHubServer({ repos: [QWEN], tokens: { valid: ["hf_other"] } });
    try {
      const rejected = managerFor(strict, newDir(), { token: TOKEN });
      const error = await rejectsWithCode(rejected.manager.downloadModel(QWEN.id), "auth");
      const text = [
        error.message,
        error.hint,
        JSON.stringify(error),
        JSON.stringify(errorSignals(error)),
      ];
      assert.ok(!text.join("\n").includes(TOKEN), "not in the error");
    } finally {
      await strict.close();
    }
  });

  it("stops following a redirect loop after a bounded number of hops", async () => {
    let loops = 0;
    const { manager } = managerFor(bed.hub, newDir(), {
      fetch: rewritingFetch({
        before(url) {
          if (url.origin !== bed.hub.cdnOrigin) return undefined;
          loops++;
          return new Response(null, { status: 302, headers: { Location: url.href } });
        },
      }),
    });
    const error = await rejectsWithCode(manager.downloadModel(QWEN.id), "network");
    assert.match(error.message, /redirect/);
    assert.ok(loops > 0 && loops <= 10, `followed ${loops} hops`);
    assert.deepEqual(await manager.listModels(), []);
  });

  it("follows only http: and https: redirects", async () => {
    for (const location of ["file:///etc/passwd", "ftp://127.0.0.1/model.rkllm"]) {
      const { manager } = managerFor(bed.hub, newDir(), {
        fetch: rewritingFetch({
          before(url) {
            if (url.origin !== bed.hub.cdnOrigin) return undefined;
            return new Response(null, { status: 302, headers: { Location: location } });
          },
        }),
      });
      const error = await rejectsWithCode(manager.downloadModel(QWEN.id), "network");
      assert.ok(error.message.includes(new URL(location).protocol), error.message);
    }
  });
});
