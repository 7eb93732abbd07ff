/**
 * One record for one file, however it came: a download, a pull through a
 * mirror (`serve --upstream`) and an import of the same model write the same
 * entries (size, hashes, commit, modification time) and the same `models`
 * entry; only the times may differ.
 */
import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { importStore } from "../src/fleet/import_store.ts";
import { ModelManager } from "../src/model_manager.ts";
import { type ServeHandle, serveStore } from "../src/serve/serve_store.ts";
import { fillStore } from "./support/fleet.ts";
import { deterministicBytes, type HubRepoSpec, startHubServer } from "./support/hub_server.ts";
import type { HubServer } from "./support/hub_server.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

const MODEL_FILE = "sub/Same-rk3588-w8a8.rkllm";
const SAME: HubRepoSpec = {
  id: "records/Same-rk3588",
  files: [
    { path: "config.json", content: '{"model_type":"qwen2"}' },
    { path: "sub/tokenizer.json", content: '{"version":"1.0"}' },
    { path: MODEL_FILE, content: deterministicBytes(1024 * 1024 + 3, 91) },
  ],
};

type Entry = Record<string, unknown>;

/** A store's record of SAME, and each file's modification time on disk. */
function recordOf(store: string) {
  const dir = join(store, ...SAME.id.split("/"));
  const record = JSON.parse(readFileSync(join(dir, ".rkllm-models.json"), "utf8"));
  const onDisk = Object.fromEntries(
    Object.keys(record.files).map((path) => [path, statSync(join(dir, path)).mtime.getTime()]),
  );
  return { record, onDisk };
}

/** The record without what must differ between stores: when each file was written. */
function withoutTimes(record: { files: Record<string, Entry>; models?: Record<string, unknown> }) {
  const files = Object.fromEntries(
    Object.entries(record.files).map(([path, entry]) => {
      const { downloadedAt: _at, mtimeMs: _mtime, ...rest } = entry;
      return [path, rest];
    }),
  );
  return { ...record, files };
}

describe("one record writer", () => {
  let hub: HubServer;
  let root: string;
  let mirror: ServeHandle;

  before(async () => {
    hub = await startHubServer({ repos: [SAME] });
    root = makeTempDir();
    mirror = await serveStore(join(root, "mirror"), {
      port: 0,
      upstream: hub.endpoint,
      pullAny: true,
      pullsPerMinute: 10_000,
      onWarning: () => {},
    });
  });
  after(async () => {
    await mirror?.close();
    await hub?.close();
    removeDir(root);
  });

  it("a download, a pull through a mirror and an import record the same entries", async () => {
    const downloaded = join(root, "downloaded");
    await fillStore(hub.endpoint, downloaded, [{ repo: SAME.id }]);
    // A client of the mirror makes it pull every file of the model from upstream.
    await new ModelManager({
      endpoint: mirror.url,
      modelsDir: join(root, "client"),
      onWarning: () => {},
    }).downloadModel(SAME.id);
    const imported = join(root, "imported");
    await importStore(downloaded, imported, { onWarning: () => {} });

    const stores = [downloaded, join(root, "mirror"), imported].map(recordOf);
    const [download, pull, copy] = stores.map(({ record }) => withoutTimes(record));
    assert.deepEqual(Object.keys(download.files).sort(), SAME.files.map((f) => f.path).sort());
    assert.deepEqual(pull, download, "the pulled record is the downloaded one");
    assert.deepEqual(copy, download, "the imported record is the downloaded one");
    assert.deepEqual(download.models?.[MODEL_FILE], {
      companions: ["config.json", "sub/tokenizer.json"],
      encoders: [],
    });
    for (const { record, onDisk } of stores) {
      for (const [path, entry] of Object.entries(record.files as Record<string, Entry>)) {
        assert.equal(entry.mtimeMs, onDisk[path], `${path}: the file's own modification time`);
        assert.equal(typeof entry.downloadedAt, "string");
      }
    }
  });
});
