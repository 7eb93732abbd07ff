/**
 * `export` and `import` for boards without internet: the exported directory
 * is a store (`list --dir`, `serve --dir`), an import verifies every file and
 * refuses a tampered one, files keep their own commits, and a FAT32 target
 * is refused before anything is written.
 */
import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ModelManagerError } from "../src/errors.ts";
import { exportModels } from "../src/fleet/export_models.ts";
import { serveStore } from "../src/serve/serve_store.ts";
import { parseJson, runCli } from "./support/cli_process.ts";
import { fileSha256, fillStore } from "./support/fleet.ts";
import { MULTI, QWEN, QWEN_FILE } from "./support/fixtures.ts";
import { type HubServer, startHubServer } from "./support/hub_server.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

const MULTI_FILE = MULTI.files[2].path;
const OTHER_VARIANT = MULTI.files[3].path;
const RECORD = ".rkllm-models.json";

describe("export and import: models for air-gapped boards", () => {
  let hub: HubServer;
  let root: string;
  let store: string;

  before(async () => {
    hub = await startHubServer({ repos: [QWEN, MULTI] });
    root = makeTempDir();
    store = join(root, "store");
    await fillStore(hub.endpoint, store, [{ repo: QWEN.id }, { repo: MULTI.id, file: MULTI_FILE }]);
  });
  after(async () => {
    await hub?.close();
    removeDir(root);
  });

  function cli(args: string[]) {
    return runCli(args, { cwd: root, env: { HF_HUB_OFFLINE: "1" } });
  }

  it("round-trips: the export is a store that list and serve read, and import verifies into another store", async () => {
    const stick = join(root, "stick");
    const exported = await cli([
      "export",
      QWEN_FILE.replace(/\.rkllm$/, ""),
      MULTI_FILE,
      stick,
      "--dir",
      store,
      "--json",
    ]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(parseJson(exported.stdout).models.length, 2);
    const listed = parseJson((await cli(["list", "--dir", stick, "--json"])).stdout);
    assert.deepEqual(
      listed.map((model: { file: string }) => model.file).sort(),
      [MULTI_FILE, QWEN_FILE].sort(),
    );
    const server = await serveStore(stick, { port: 0, onWarning: () => {} });
    try {
      const info = await fetch(`${server.url}/api/models/${QWEN.id}`);
      assert.equal(info.status, 200);
      await info.body?.cancel();
    } finally {
      await server.close();
    }
    const board = join(root, "board");
    const imported = await cli(["import", stick, "--dir", board, "--json"]);
    assert.equal(imported.code, 0, imported.stderr);
    const report = parseJson(imported.stdout);
    assert.equal(report.refused.length, 0);
    assert.ok(report.imported.every((file: { checkedBy: string }) => file.checkedBy !== "size"));
    for (const [repo, file] of [[QWEN.id, QWEN_FILE], [MULTI.id, MULTI_FILE]]) {
      assert.equal(fileSha256(join(board, repo, file)), fileSha256(join(store, repo, file)));
    }
    const verified = await cli(["verify", "--dir", board]);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  });

  it("refuses a tampered exported file and adds nothing of its repository", async () => {
    const stick = join(root, "tampered");
    assert.equal((await cli(["export", MULTI_FILE, stick, "--dir", store])).code, 0);
    const path = join(stick, MULTI.id, MULTI_FILE);
    const bytes = readFileSync(path);
    bytes[1000] ^= 0xff;
    writeFileSync(path, bytes);
    const board = join(root, "board-tampered");
    const result = await cli(["import", stick, "--dir", board, "--json"]);
    assert.equal(result.code, 6, result.stderr);
    const report = parseJson(result.stdout);
    assert.deepEqual(
      report.refused.map((file: { path: string; code: string }) => [file.path, file.code]),
      [[MULTI_FILE, "integrity"]],
    );
    assert.deepEqual(report.imported, []);
    // Not even its config.json and meta.json: a refused repository leaves nothing behind.
    assert.deepEqual(readdirSync(board), []);
  });

  it("refuses a file recorded without a hash unless --allow-unhashed accepts it by size", async () => {
    const stick = join(root, "no-hash");
    assert.equal((await cli(["export", MULTI_FILE, stick, "--dir", store])).code, 0);
    const recordPath = join(stick, MULTI.id, RECORD);
    const record = JSON.parse(readFileSync(recordPath, "utf8"));
    delete record.files["config.json"].gitSha1;
    writeFileSync(recordPath, JSON.stringify(record));
    const board = join(root, "board-no-hash");
    const refused = await cli(["import", stick, "--dir", board, "--json"]);
    assert.equal(refused.code, 6, refused.stderr);
    assert.deepEqual(
      parseJson(refused.stdout).refused.map((file: { path: string; code: string }) => [
        file.path,
        file.code,
      ]),
      [["config.json", "integrity"]],
    );
    assert.ok(!existsSync(join(board, MULTI.id)));
    const result = await cli(["import", stick, "--dir", board, "--allow-unhashed", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const config = parseJson(result.stdout).imported.find((file: { path: string }) =>
      file.path === "config.json"
    );
    assert.equal(config.checkedBy, "size");
    assert.match(result.stderr, /config\.json was recorded without a hash/);
  });

  it("keeps each file at its own commit when the repository is already present at another", async () => {
    const board = join(root, "board-commits");
    await fillStore(hub.endpoint, board, [{ repo: MULTI.id, file: OTHER_VARIANT }]);
    const recordPath = join(board, MULTI.id, RECORD);
    const older = JSON.parse(readFileSync(recordPath, "utf8"));
    const oldCommit = "e".repeat(40);
    for (const file of Object.values(older.files) as { revision: string }[]) {
      file.revision = oldCommit;
    }
    older.revision = oldCommit;
    writeFileSync(recordPath, JSON.stringify(older));
    const stick = join(root, "commits");
    assert.equal((await cli(["export", MULTI_FILE, stick, "--dir", store])).code, 0);
    const exportedCommit = JSON.parse(readFileSync(join(stick, MULTI.id, RECORD), "utf8")).revision;
    assert.equal((await cli(["import", stick, "--dir", board])).code, 0);
    const merged = JSON.parse(readFileSync(recordPath, "utf8"));
    assert.equal(merged.files[OTHER_VARIANT].revision, oldCommit);
    assert.equal(merged.files[MULTI_FILE].revision, exportedCommit);
  });

  it("refuses a file of 4 GiB or more for a FAT32 target before writing anything", async () => {
    const big = join(root, "big-store");
    await fillStore(hub.endpoint, big, [{ repo: MULTI.id, file: MULTI_FILE }]);
    const size = 5 * 1024 * 1024 * 1024;
    truncateSync(join(big, MULTI.id, MULTI_FILE), size);
    const recordPath = join(big, MULTI.id, RECORD);
    const record = JSON.parse(readFileSync(recordPath, "utf8"));
    record.files[MULTI_FILE].size = size;
    writeFileSync(recordPath, JSON.stringify(record));
    const usb = join(root, "usb");
    const mounts = join(root, "mounts");
    writeFileSync(mounts, `/dev/sda1 ${usb} vfat rw,relatime 0 0\n/dev/root / ext4 rw 0 0\n`);
    await assert.rejects(
      exportModels(big, { queries: [MULTI_FILE], target: usb }, {
        mountsPath: mounts,
        onWarning: () => {},
      }),
      (error: unknown) =>
        error instanceof ModelManagerError && error.code === "storage" &&
        /FAT32/.test(error.message) && /nothing was written/.test(error.hint),
    );
    assert.ok(!existsSync(usb));
  });
});
