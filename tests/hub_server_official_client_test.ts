/**
 * The official `@huggingface/hub` client accepts the emulator.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import {
  downloadFile,
  fileDownloadInfo,
  HubApiError,
  listFiles,
  listModels,
  modelInfo,
} from "@huggingface/hub";
import { deterministicBytes, gitBlobSha1, sha256Hex } from "./support/hub_server.ts";
import {
  APPROVED,
  CONFIG,
  encoder,
  mainSha,
  MODEL,
  server,
  useSharedHub,
} from "./support/hub_server_fixture.ts";

useSharedHub();

describe("the official @huggingface/hub client accepts the emulator", () => {
  it("reads model info", async () => {
    const info = await modelInfo({
      name: "owner/model",
      hubUrl: server.endpoint,
      additionalFields: ["sha", "tags"],
    });
    assert.equal(info.name, "owner/model");
    assert.equal(info.sha, mainSha);
    assert.equal(info.downloads, 50);
    assert.equal(info.gated, false);
    assert.deepEqual(info.tags, ["rkllm", "rk3588"]);
    const gated = await modelInfo({ name: "owner/gated-model", hubUrl: server.endpoint });
    assert.equal(gated.gated, "manual");
  });

  it("reports hub errors with status and message", async () => {
    await assert.rejects(
      modelInfo({ name: "owner/missing", hubUrl: server.endpoint }),
      (error: unknown) =>
        error instanceof HubApiError && error.statusCode === 401 &&
        error.message.startsWith("Repository not found"),
    );
  });

  it("lists files across pages", async () => {
    const before = server.requests.length;
    const entries = [];
    for await (
      const entry of listFiles({ repo: "owner/model", hubUrl: server.endpoint, recursive: true })
    ) entries.push(entry);
    const pages = server.requests.slice(before).filter((r) => r.path.includes("/tree/"));
    assert.equal(pages.length, 3);
    assert.deepEqual(entries.map((e) => e.path), [
      "big.bin",
      "config.json",
      "model.rkllm",
      "sub",
      "sub/notes.txt",
      "tokenizer.json",
    ]);
    assert.equal(entries.find((e) => e.path === "model.rkllm")?.lfs?.oid, sha256Hex(MODEL));
    const sub = [];
    for await (
      const entry of listFiles({ repo: "owner/model", hubUrl: server.endpoint, path: "sub" })
    ) {
      sub.push(entry.path);
    }
    assert.deepEqual(sub, ["sub/notes.txt"]);
  });

  it("gets download info for small and LFS files, null for missing ones", async () => {
    const small = await fileDownloadInfo({
      repo: "owner/model",
      path: "config.json",
      hubUrl: server.endpoint,
    });
    assert.equal(small?.size, encoder.encode(CONFIG).length);
    assert.equal(small?.etag, `"${gitBlobSha1(encoder.encode(CONFIG))}"`);
    const lfs = await fileDownloadInfo({
      repo: "owner/model",
      path: "model.rkllm",
      hubUrl: server.endpoint,
    });
    assert.equal(lfs?.size, MODEL.length);
    assert.equal(lfs?.etag, `"${sha256Hex(MODEL)}"`);
    assert.equal(
      await fileDownloadInfo({ repo: "owner/model", path: "nope.json", hubUrl: server.endpoint }),
      null,
    );
  });

  it("downloads small and LFS files, pinned to a revision", async () => {
    const config = await downloadFile({
      repo: "owner/model",
      path: "config.json",
      hubUrl: server.endpoint,
    });
    assert.equal(await config?.text(), CONFIG);
    const model = await downloadFile({
      repo: "owner/model",
      path: "model.rkllm",
      revision: mainSha,
      hubUrl: server.endpoint,
    });
    assert.deepEqual(new Uint8Array(await (model as Blob).arrayBuffer()), MODEL);
    const v1 = await downloadFile({
      repo: "owner/model",
      path: "config.json",
      revision: "v1",
      hubUrl: server.endpoint,
    });
    assert.equal(await v1?.text(), '{"v":1}');
  });

  it("downloads from a gated repo with a token, which never reaches the CDN", async () => {
    const before = server.requests.length;
    const blob = await downloadFile({
      repo: "owner/gated-model",
      path: "m.rkllm",
      hubUrl: server.endpoint,
      accessToken: APPROVED,
    });
    assert.deepEqual(
      new Uint8Array(await (blob as Blob).arrayBuffer()),
      deterministicBytes(5000, 5),
    );
    const seen = server.requests.slice(before);
    assert.ok(seen.some((r) => r.origin === "cdn"));
    for (const record of seen) {
      assert.equal(
        record.headers.authorization,
        record.origin === "hub" ? `Bearer ${APPROVED}` : undefined,
        `${record.origin} ${record.path}`,
      );
    }
    await assert.rejects(
      downloadFile({ repo: "owner/gated-model", path: "m.rkllm", hubUrl: server.endpoint }),
      (error: unknown) => error instanceof HubApiError && error.statusCode === 401,
    );
  });

  it("searches models across pages", async () => {
    const names = [];
    for await (
      const model of listModels({
        search: { query: "qwen", tags: ["rkllm"] },
        hubUrl: server.endpoint,
      })
    ) names.push(model.name);
    assert.deepEqual(names.sort(), [
      "alice/Qwen-RK3588-small",
      "bob/qwen-rk3588-large",
      "carol/Qwen-rk3576",
    ]);
  });
});
