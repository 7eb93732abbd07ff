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

const FAILING: HubRepoSpec = {
  id: "fleet/Failing-rk3588",
  files: [{ path: "config.json", content: '{"model_type":"failing-upstream"}' }],
};

const RATED: HubRepoSpec = {
  id: "fleet/Rated-rk3588",
  files: [
    { path: "config.json", content: '{"model_type":"rated"}' },
    { path: "Rated-rk3588-w8a8.rkllm", content: deterministicBytes(64 * 1024 + 1, 80) },
  ],
};

describe("serve --upstream: pull-through", () => {
  let hub: HubServer;
  let root: string;
  let mirrorDir: string;
  let mirror: ServeHandle;
  let commit: string;

  before(async () => {
    hub = await startHubServer({
      repos: [PULLED, GATED, MULTI, JS_PULLED, QUITTER, FAILING, RATED],
    });
    root = makeTempDir();
    mirrorDir = join(root, "mirror");
    mirror = await serveStore(mirrorDir, {
      port: 0,
      upstream: hub.endpoint,
      pullAny: true,
      // Every test here is one client (127.0.0.1): the rate has a test of its own.
      pullsPerMinute: 10_000,
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

  it("answers 502 when a pull fails before its first byte, never a short 200", async () => {
    hub.addFault({ origin: "any", pathIncludes: "Failing-rk3588/resolve", status: 500 });
    try {
      const response = await fetch(`${mirror.url}/${FAILING.id}/resolve/main/config.json`);
      assert.equal(response.status, 502);
      assert.doesNotMatch(await response.text(), /failing-upstream/);
    } finally {
      hub.clearFaults();
    }
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

  it("pulls only the repositories it holds or is told to, unless told any", async () => {
    const guarded = await serveStore(join(root, "guarded"), {
      port: 0,
      upstream: hub.endpoint,
      pullRepos: [RATED.id.toUpperCase()],
      onWarning: () => {},
    });
    try {
      const before = hub.requests.length;
      const refused = await fetch(`${guarded.url}/${QUITTER.id}/resolve/main/config.json`);
      assert.equal(refused.status, 404);
      assert.equal(refused.headers.get("x-error-code"), "RepoNotFound");
      await refused.body?.cancel();
      const info = await fetch(`${guarded.url}/api/models/${QUITTER.id}`);
      assert.equal(info.status, 404);
      await info.body?.cancel();
      assert.equal(hub.requests.length, before, "upstream was asked for a repository not allowed");
      const allowed = await fetch(`${guarded.url}/${RATED.id}/resolve/main/config.json`);
      assert.equal(allowed.status, 200);
      assert.equal(await allowed.text(), RATED.files[0].content);
    } finally {
      await guarded.close();
    }
  });

  it("lets each client start only so many new pulls a minute (429 beyond)", async () => {
    let now = 0;
    const limited = await serveStore(join(root, "limited"), {
      port: 0,
      upstream: hub.endpoint,
      pullAny: true,
      pullsPerMinute: 1,
      now: () => now,
      onWarning: () => {},
    });
    const [config, model] = RATED.files.map((file) =>
      `${limited.url}/${RATED.id}/resolve/main/${file.path}`
    );
    try {
      const first = await fetch(config);
      assert.equal(first.status, 200);
      assert.equal(await first.text(), RATED.files[0].content);
      const refused = await fetch(model);
      assert.equal(refused.status, 429);
      assert.equal(refused.headers.get("retry-after"), "60");
      await refused.body?.cancel();
      const head = await fetch(model, { method: "HEAD" });
      assert.equal(head.status, 200, "a HEAD starts no pull and is not counted");
      const again = await fetch(config);
      assert.equal(again.status, 200, "a file already pulled costs nothing");
      await again.body?.cancel();
      now += 60_000;
      const later = await fetch(model);
      assert.equal(later.status, 200);
      assert.equal((await later.arrayBuffer()).byteLength, RATED.files[1].content!.length);
    } finally {
      await limited.close();
    }
  });

  it("answers 508 at once when two mirrors point at each other", async () => {
    const first = new URL(await deadEndpoint());
    const second = await serveStore(join(root, "loop-b"), {
      port: 0,
      upstream: first.origin,
      pullAny: true,
      onWarning: () => {},
    });
    const firstServer = await serveStore(join(root, "loop-a"), {
      port: Number(first.port),
      upstream: second.url,
      pullAny: true,
      onWarning: () => {},
    });
    try {
      const before = hub.requests.length;
      for (const url of [firstServer.url, second.url]) {
        const response = await fetch(`${url}/api/models/${QUITTER.id}`);
        assert.equal(response.status, 508, url);
        await response.body?.cancel();
      }
      assert.equal(hub.requests.length, before);
    } finally {
      await firstServer.close();
      await second.close();
    }
  });

  it("refuses an upstream that is itself", async () => {
    const free = new URL(await deadEndpoint());
    await assert.rejects(
      serveStore(join(root, "self"), {
        port: Number(free.port),
        upstream: free.origin,
        pullAny: true,
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
      pullAny: true,
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
