/**
 * `serve --upstream`: a pull-through mirror. Metadata answers come from
 * upstream at once; each missing file is fetched once (single flight) with the
 * mirror's own token, streamed to clients as it arrives, verified and recorded;
 * gated repositories, a self-upstream and a failed verification are refused;
 * an unreachable upstream leaves the store answering alone.
 */
import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ModelManagerError } from "../src/errors.ts";
import { ModelManager } from "../src/model_manager.ts";
import { downloadFile, snapshotDownload } from "@huggingface/hub";
import { type ServeHandle, serveStore } from "../src/serve/serve_store.ts";
import { deadEndpoint } from "./support/dead_endpoint.ts";
import { waitFor } from "./support/download_harness.ts";
import { fillStore } from "./support/fleet.ts";
import { GATED, MULTI } from "./support/fixtures.ts";
import {
  deterministicBytes,
  type HubRepoSpec,
  type HubServer,
  sha256Hex,
  startHubServer,
} from "./support/hub_server.ts";
import { openDescriptorsOn } from "./support/open_files.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

const MODEL = deterministicBytes(3 * 1024 * 1024 + 5, 77);
const JS_PULLED: HubRepoSpec = {
  id: "fleet/JsPulled-rk3576",
  files: [
    { path: "config.json", content: '{"model_type":"llama"}' },
    { path: "JsPulled-rk3576-w4a16.rkllm", content: deterministicBytes(2 * 1024 * 1024 + 9, 78) },
  ],
};
const PULLED: HubRepoSpec = {
  id: "fleet/Pulled-rk3588",
  files: [
    { path: "config.json", content: '{"model_type":"qwen2"}' },
    { path: "Pulled-rk3588-w8a8.rkllm", content: MODEL },
  ],
};

const QUITTER_FILE = "Quitter-rk3588-w8a8.rkllm";
const QUITTER_MODEL = deterministicBytes(2 * 1024 * 1024 + 3, 79);
const QUITTER: HubRepoSpec = {
  id: "fleet/Quitter-rk3588",
  files: [
    { path: "config.json", content: '{"model_type":"qwen2"}' },
    { path: QUITTER_FILE, content: QUITTER_MODEL },
  ],
};

describe("serve --upstream: pull-through", () => {
  let hub: HubServer;
  let root: string;
  let mirrorDir: string;
  let mirror: ServeHandle;
  let commit: string;

  before(async () => {
    hub = await startHubServer({ repos: [PULLED, GATED, MULTI, JS_PULLED, QUITTER] });
    root = makeTempDir();
    mirrorDir = join(root, "mirror");
    mirror = await serveStore(mirrorDir, {
      port: 0,
      upstream: hub.endpoint,
      token: "hf_mirror_token",
      onWarning: () => {},
      idleTimeoutMs: 5000,
    });
    commit = (await (await fetch(`${hub.endpoint}/api/models/${PULLED.id}`)).json()).sha;
  });
  after(async () => {
    await mirror?.close();
    await hub?.close();
    removeDir(root);
  });

  it("answers HEAD from upstream metadata at once, without fetching the file", async () => {
    const before = hub.requests.length;
    const head = await fetch(
      `${mirror.url}/${PULLED.id}/resolve/${commit}/Pulled-rk3588-w8a8.rkllm`,
      {
        method: "HEAD",
      },
    );
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("x-repo-commit"), commit);
    assert.equal(head.headers.get("x-linked-etag"), `"${sha256Hex(MODEL)}"`);
    assert.equal(head.headers.get("content-length"), String(MODEL.length));
    const seen = hub.requests.slice(before);
    assert.ok(
      seen.every((request) => request.origin === "hub" && request.path.startsWith("/api/")),
    );
  });

  it("fetches a missing file once for concurrent clients, with the mirror's token, never theirs", async () => {
    const before = hub.requests.length;
    const url = `${mirror.url}/${PULLED.id}/resolve/${commit}/Pulled-rk3588-w8a8.rkllm`;
    const bodies = await Promise.all(
      [1, 2, 3].map(async (index) =>
        new Uint8Array(
          await (await fetch(url, { headers: { Authorization: `Bearer client-secret-${index}` } }))
            .arrayBuffer(),
        )
      ),
    );
    bodies.forEach((body) => assert.equal(sha256Hex(body), sha256Hex(MODEL)));
    const seen = hub.requests.slice(before);
    assert.ok(hub.bytesServed("Pulled-rk3588-w8a8.rkllm") <= MODEL.length * 1.3);
    assert.ok(!JSON.stringify(seen).includes("client-secret"));
    assert.ok(
      seen.filter((request) => request.origin === "hub").every((request) =>
        request.headers.authorization === "Bearer hf_mirror_token"
      ),
    );
    const record = JSON.parse(
      readFileSync(join(mirrorDir, PULLED.id, ".rkllm-models.json"), "utf8"),
    );
    assert.equal(record.files["Pulled-rk3588-w8a8.rkllm"].sha256, sha256Hex(MODEL));
    const again = hub.requests.length;
    const repeat = await fetch(url);
    assert.equal(sha256Hex(new Uint8Array(await repeat.arrayBuffer())), sha256Hex(MODEL));
    assert.equal(
      hub.requests.slice(again).filter((request) => request.path.includes("/resolve/")).length,
      0,
    );
  });

  it("closes a client's handle on the file when the client goes away while bytes still arrive", async () => {
    // Upstream trickles, so the mirror waits for bytes while the client leaves.
    hub.addFault({
      origin: "cdn",
      pathIncludes: QUITTER_FILE,
      times: 1,
      bytesPerSecond: 2 * 1024 * 1024,
    });
    const url = `${mirror.url}/${QUITTER.id}/resolve/main/${QUITTER_FILE}`;
    const leaving = new AbortController();
    const response = await fetch(url, { signal: leaving.signal });
    const reader = response.body!.getReader();
    assert.ok(((await reader.read()).value?.length ?? 0) > 0);
    leaving.abort();
    await reader.cancel().catch(() => {});
    const whole = new Uint8Array(await (await fetch(url)).arrayBuffer());
    assert.equal(sha256Hex(whole), sha256Hex(QUITTER_MODEL));
    const stored = join(mirrorDir, QUITTER.id, QUITTER_FILE);
    if (openDescriptorsOn(stored) === undefined) return;
    await waitFor(() => openDescriptorsOn(stored) === 0, "the mirror to close the file", 1500);
  });

  it("breaks off the transfer when the pulled file fails verification, and keeps nothing", async () => {
    hub.addFault({ origin: "cdn", pathIncludes: "", corrupt: true });
    try {
      const response = await fetch(
        `${mirror.url}/${MULTI.id}/resolve/main/TinyLlama-1.1B-Chat-v1.0-rk3576-w4a16-opt-1-hybrid-ratio-0.0.rkllm`,
      );
      await assert.rejects(response.arrayBuffer());
    } finally {
      hub.clearFaults();
    }
    const record = (() => {
      try {
        return readFileSync(join(mirrorDir, MULTI.id, ".rkllm-models.json"), "utf8");
      } catch {
        return "";
      }
    })();
    assert.ok(!record.includes("rk3576-w4a16"));
  });

  it("refuses a gated upstream repository unless --allow-private", async () => {
    const response = await fetch(`${mirror.url}/api/models/${GATED.id}`);
    assert.equal(response.status, 403);
    assert.equal(response.headers.get("x-error-code"), "GatedRepo");
    await response.body?.cancel();
    const resolve = await fetch(`${mirror.url}/${GATED.id}/resolve/main/config.json`);
    assert.equal(resolve.status, 403);
    await resolve.body?.cancel();
  });

  it("refuses an upstream that is itself", async () => {
    const free = new URL(await deadEndpoint());
    await assert.rejects(
      serveStore(join(root, "self"), {
        port: Number(free.port),
        upstream: free.origin,
        onWarning: () => {},
      }),
      (error: unknown) =>
        error instanceof ModelManagerError && error.code === "config" &&
        error.message.includes("itself"),
    );
  });

  it("answers from the store alone when upstream cannot be reached", async () => {
    const store = join(root, "offline-store");
    await fillStore(hub.endpoint, store, [{ repo: MULTI.id, file: MULTI.files[2].path }]);
    const offline = await serveStore(store, {
      port: 0,
      upstream: await deadEndpoint(),
      onWarning: () => {},
    });
    try {
      const manager = new ModelManager({
        endpoint: offline.url,
        modelsDir: join(root, "from-offline"),
        onWarning: () => {},
      });
      const model = await manager.downloadModel(MULTI.id, MULTI.files[2].path);
      assert.equal(
        sha256Hex(new Uint8Array(readFileSync(model.path))),
        sha256Hex(new Uint8Array(readFileSync(join(store, MULTI.id, MULTI.files[2].path)))),
      );
    } finally {
      await offline.close();
    }
  });

  it("pulls with our library as the client: the mirror's store then holds a verified model", async () => {
    const client = new ModelManager({
      endpoint: mirror.url,
      modelsDir: join(root, "client"),
      onWarning: () => {},
    });
    await client.downloadModel(PULLED.id);
    const verdicts = await new ModelManager({ modelsDir: mirrorDir, onWarning: () => {} })
      .verifyModel();
    assert.ok(verdicts.length > 0);
    assert.ok(verdicts.every((verdict) => verdict.ok), JSON.stringify(verdicts));
  });

  it("@huggingface/hub downloads byte-identical files through the empty mirror", async () => {
    const hubUrl = mirror.url;
    const blob = await downloadFile({
      repo: JS_PULLED.id,
      path: "JsPulled-rk3576-w4a16.rkllm",
      hubUrl,
    });
    assert.equal(
      sha256Hex(new Uint8Array(await blob!.arrayBuffer())),
      sha256Hex(JS_PULLED.files[1].content as Uint8Array),
    );
    const snapshot = await snapshotDownload({
      repo: JS_PULLED.id,
      hubUrl,
      cacheDir: join(root, "js"),
    });
    assert.equal(readFileSync(join(snapshot, "config.json"), "utf8"), JS_PULLED.files[0].content);
    assert.equal(
      sha256Hex(new Uint8Array(readFileSync(join(snapshot, "JsPulled-rk3576-w4a16.rkllm")))),
      sha256Hex(JS_PULLED.files[1].content as Uint8Array),
    );
    assert.ok(hub.bytesServed("JsPulled-rk3576-w4a16.rkllm") <= 1.3 * (2 * 1024 * 1024 + 9));
  });
});
