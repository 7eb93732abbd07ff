/**
 * `serve` never hands out a file outside its store, and each of its path checks is seen on
 * its own, by the answer only it gives: the router refuses a `..` path (400), a record naming
 * a path that leaves its repository is refused whole (`RepoNotFound`), and a recorded file
 * reached through a symbolic link is not served (`EntryNotFound`).
 */
import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ServeHandle, serveStore } from "../src/serve/serve_store.ts";
import { readServedRepo } from "../src/serve/served_repo.ts";
import { ComputedHashes, isServable, openStoreFile } from "../src/serve/store_files.ts";
import { RuntimeDetector } from "../src/runtime/detect_runtime.ts";
import { fillStore } from "./support/fleet.ts";
import { QWEN } from "./support/fixtures.ts";
import { type HubServer, startHubServer } from "./support/hub_server.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

/** A registry record as the tests below tamper with it. */
interface StoredRecord {
  revision: string;
  files: Record<string, { size: number; revision: string; downloadedAt: string }>;
}

describe("serve never hands out a file outside the store: each check on its own", () => {
  let hub: HubServer;
  let root: string;
  let store: string;
  let server: ServeHandle;
  let recordPath: string;
  let original: string;
  let record: StoredRecord;
  const secret = new TextEncoder().encode("root:x:0:0:the secret outside the store\n");

  before(async () => {
    hub = await startHubServer({ repos: [QWEN] });
    root = makeTempDir();
    store = join(root, "store");
    await fillStore(hub.endpoint, store, [{ repo: QWEN.id }]);
    mkdirSync(join(root, "outside"));
    writeFileSync(join(root, "outside", "secret.txt"), secret);
    recordPath = join(store, QWEN.id, ".rkllm-models.json");
    original = readFileSync(recordPath, "utf8");
    record = JSON.parse(original);
    server = await serveStore(store, { port: 0, onWarning: () => {} });
  });
  after(async () => {
    await server?.close();
    await hub?.close();
    removeDir(root);
  });

  /** Records `path` as a file of the repository at its commit, the secret's size. */
  function recordExtraFile(path: string): void {
    const entry = { size: secret.length, revision: record.revision, downloadedAt: "2026-01-01" };
    writeFileSync(
      recordPath,
      JSON.stringify({ ...record, files: { ...record.files, [path]: entry } }),
    );
  }

  async function resolveByCommit(path: string): Promise<Response> {
    const encoded = path.split("/").map(encodeURIComponent).join("/");
    return await fetch(`${server.url}/${QWEN.id}/resolve/${record.revision}/${encoded}`);
  }

  async function assertNoSecret(response: Response): Promise<string> {
    const body = await response.text();
    assert.ok(!body.includes("the secret outside the store"), `the secret was served: ${body}`);
    return body;
  }

  it("the router refuses a `..` path with 400, before any repository is looked up", async () => {
    // One percent-encoded segment, so that no URL parser resolves the dots on the way.
    for (const repo of [QWEN.id, "nobody/nothing"]) {
      const response = await fetch(
        `${server.url}/${repo}/resolve/${record.revision}/sub%2F..%2F..%2F..%2Foutside%2Fsecret.txt`,
      );
      assert.equal(response.status, 400, repo);
      assert.equal(response.headers.get("x-error-code"), null, repo);
      assert.equal(
        response.headers.get("x-error-message"),
        "invalid file path sub/../../../outside/secret.txt",
      );
      await assertNoSecret(response);
    }
  });

  it("a record naming a path that leaves the repository is refused whole (RepoNotFound)", async () => {
    recordExtraFile("../../../outside/secret.txt");
    try {
      const resolved = await fetch(
        `${server.url}/${QWEN.id}/resolve/${record.revision}/..%2F..%2F..%2Foutside%2Fsecret.txt`,
      );
      await assertNoSecret(resolved);
      assert.notEqual(resolved.status, 200);
      const info = await fetch(`${server.url}/api/models/${QWEN.id}`);
      assert.equal(info.status, 404);
      assert.equal(info.headers.get("x-error-code"), "RepoNotFound");
      await assertNoSecret(info);
      const tree = await fetch(`${server.url}/api/models/${QWEN.id}/tree/main?recursive=true`);
      assert.equal(tree.headers.get("x-error-code"), "RepoNotFound");
      assert.ok(!(await assertNoSecret(tree)).includes("secret.txt"));
    } finally {
      writeFileSync(recordPath, original);
    }
  });

  it("a recorded file reached through a linked folder is not served (EntryNotFound)", async () => {
    const link = join(store, QWEN.id, "sub");
    symlinkSync(join(root, "outside"), link);
    recordExtraFile("sub/secret.txt");
    try {
      const response = await resolveByCommit("sub/secret.txt");
      assert.equal(response.status, 404);
      assert.equal(response.headers.get("x-error-code"), "EntryNotFound");
      await assertNoSecret(response);
    } finally {
      writeFileSync(recordPath, original);
      unlinkSync(link);
    }
  });

  it("a recorded file behind a linked folder deeper down is not served (EntryNotFound)", async () => {
    mkdirSync(join(store, QWEN.id, "adv", "small"), { recursive: true });
    const link = join(store, QWEN.id, "adv", "small", "sub");
    symlinkSync(join(root, "outside"), link);
    recordExtraFile("adv/small/sub/secret.txt");
    try {
      const response = await resolveByCommit("adv/small/sub/secret.txt");
      assert.equal(response.status, 404);
      assert.equal(response.headers.get("x-error-code"), "EntryNotFound");
      await assertNoSecret(response);
    } finally {
      writeFileSync(recordPath, original);
      unlinkSync(link);
    }
  });

  it("a file checked, then swapped for a link before it is opened, is not opened", async () => {
    const runtime = RuntimeDetector.current();
    const path = join(store, QWEN.id, "swapped.txt");
    writeFileSync(path, secret);
    recordExtraFile("swapped.txt");
    try {
      const repo = await readServedRepo(runtime, { modelsDir: store, repo: QWEN.id });
      const file = repo!.files.get("swapped.txt")!;
      assert.equal(await isServable(new ComputedHashes(runtime), file), true);
      unlinkSync(path);
      symlinkSync(join(root, "outside", "secret.txt"), path);
      await assert.rejects(openStoreFile(runtime, file.place));
    } finally {
      writeFileSync(recordPath, original);
      unlinkSync(path);
    }
  });

  it("a recorded file that is a link out of the store is not served (EntryNotFound)", async () => {
    const path = join(store, QWEN.id, "linked.txt");
    symlinkSync(join(root, "outside", "secret.txt"), path);
    recordExtraFile("linked.txt");
    try {
      const response = await resolveByCommit("linked.txt");
      assert.equal(response.status, 404);
      assert.equal(response.headers.get("x-error-code"), "EntryNotFound");
      await assertNoSecret(response);
    } finally {
      writeFileSync(recordPath, original);
      unlinkSync(path);
    }
  });

  it("the same record with a real file in place serves it (the refusals above are about the path)", async () => {
    const path = join(store, QWEN.id, "linked.txt");
    writeFileSync(path, secret);
    recordExtraFile("linked.txt");
    try {
      const response = await resolveByCommit("linked.txt");
      assert.equal(response.status, 200);
      assert.deepEqual(new Uint8Array(await response.arrayBuffer()), secret);
    } finally {
      writeFileSync(recordPath, original);
      unlinkSync(path);
    }
  });
});
