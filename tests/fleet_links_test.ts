/**
 * A stranger's USB stick and links in a store: `import`, `export`, `info`,
 * `verify` and `serve` reach every file through no symbolic link (the models
 * directory itself may be one), `import` copies rather than ties the store to
 * the stick, and refuses what it cannot check: files without a hash, a record
 * that names another repository, a record too large to be real. A refused
 * repository leaves nothing behind.
 */
import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { ModelManagerError } from "../src/errors.ts";
import { exportModels } from "../src/fleet/export_models.ts";
import { importStore } from "../src/fleet/import_store.ts";
import { serveStore } from "../src/serve/serve_store.ts";
import { MAX_RECORD_BYTES } from "../src/store/registry.ts";
import { parseJson, runCli } from "./support/cli_process.ts";
import { fileSha256, fillStore } from "./support/fleet.ts";
import { MULTI } from "./support/fixtures.ts";
import { type HubServer, startHubServer } from "./support/hub_server.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

const MODEL = MULTI.files[2].path;
const RECORD = ".rkllm-models.json";
const [OWNER] = MULTI.id.split("/");
const STORAGE_EXIT = 7;
const INTEGRITY_EXIT = 6;

/** A record as JSON, to be tampered with. */
interface EditableRecord {
  files: Record<string, Record<string, unknown>>;
  [field: string]: unknown;
}

describe("import, export, info, verify and serve never go through a link", () => {
  let hub: HubServer;
  let root: string;
  let store: string;
  let count = 0;

  before(async () => {
    hub = await startHubServer({ repos: [MULTI] });
    root = makeTempDir();
    store = join(root, "store");
    await fillStore(hub.endpoint, store, [{ repo: MULTI.id, file: MODEL }]);
  });
  after(async () => {
    await hub?.close();
    removeDir(root);
  });

  /** A fresh directory below the test's root. */
  function fresh(name: string): string {
    const dir = join(root, `${name}-${count++}`);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** The model exported to a fresh stick; answers the stick and its repo directory. */
  async function stick(): Promise<{ dir: string; repoDir: string }> {
    const dir = fresh("stick");
    await exportModels(store, { queries: [MODEL], target: dir }, { onWarning: () => {} });
    return { dir, repoDir: join(dir, MULTI.id) };
  }

  function editRecord(repoDir: string, edit: (record: EditableRecord) => void): void {
    const record = JSON.parse(readFileSync(join(repoDir, RECORD), "utf8"));
    edit(record);
    writeFileSync(join(repoDir, RECORD), JSON.stringify(record));
  }

  function cli(args: string[]) {
    return runCli(args, { cwd: root, env: { HF_HUB_OFFLINE: "1" } });
  }

  it("import never takes a file through a linked directory of the stick, even when hashes are waived", async () => {
    const { dir, repoDir } = await stick();
    const secret = fresh("secret");
    writeFileSync(join(secret, "leak.txt"), "secret");
    symlinkSync(secret, join(repoDir, "sub"));
    editRecord(repoDir, (record) => {
      record.files["sub/leak.txt"] = { ...record.files["config.json"], size: 6 };
      delete record.files["sub/leak.txt"].gitSha1;
    });
    const board = fresh("board");
    const report = await importStore(dir, board, { allowUnhashed: true, onWarning: () => {} });
    assert.deepEqual(
      report.refused.map(({ path, code }) => ({ path, code })),
      [{ path: "sub/leak.txt", code: "storage" }],
    );
    assert.deepEqual(report.imported, []);
    assert.ok(!existsSync(join(board, MULTI.id)), "nothing of the repository is added");
  });

  it("import and export refuse an owner directory that links elsewhere, writing nothing there", async () => {
    const { dir } = await stick();
    const board = fresh("board");
    const victim = fresh("victim");
    symlinkSync(victim, join(board, OWNER));
    const imported = await cli(["import", dir, "--dir", board]);
    assert.equal(imported.code, STORAGE_EXIT, imported.stderr);
    assert.deepEqual(readdirSync(victim), []);
    const target = fresh("target");
    symlinkSync(victim, join(target, OWNER));
    await assert.rejects(
      exportModels(store, { queries: [MODEL], target }, { onWarning: () => {} }),
      (error: unknown) => error instanceof ModelManagerError && error.code === "storage",
    );
    assert.deepEqual(readdirSync(victim), []);
  });

  /** A fresh store whose config.json links to a file outside it, holding `outsideText`. */
  async function storeWithLinkedConfig(outsideText?: string): Promise<string> {
    const models = fresh("linked-config");
    await fillStore(hub.endpoint, models, [{ repo: MULTI.id, file: MODEL }]);
    const config = join(models, MULTI.id, "config.json");
    const outside = join(fresh("outside"), "config.json");
    copyFileSync(config, outside);
    if (outsideText !== undefined) writeFileSync(outside, outsideText);
    rmSync(config);
    symlinkSync(outside, config);
    return models;
  }

  it("verify does not pass a companion file that links to a matching file outside the store", async () => {
    const models = await storeWithLinkedConfig();
    const verified = await cli(["verify", "--dir", models, "--json"]);
    assert.equal(verified.code, INTEGRITY_EXIT, verified.stdout + verified.stderr);
    const files = parseJson(verified.stdout)[0].files;
    assert.equal(
      files.find((file: { file: string }) => file.file === "config.json").status,
      "mismatch",
    );
  });

  it("info reads nothing from a companion file that links outside the store", async () => {
    const models = await storeWithLinkedConfig(
      JSON.stringify({ model_type: "outside", max_position_embeddings: 7 }),
    );
    const info = await cli(["info", MODEL, "--dir", models, "--no-verify", "--json"]);
    assert.equal(info.code, 0, info.stderr);
    assert.equal(parseJson(info.stdout).config, undefined);
  });

  it("serve answers nothing for a repository whose owner directory links elsewhere", async () => {
    const { dir } = await stick();
    const models = fresh("served");
    symlinkSync(join(dir, OWNER), join(models, OWNER));
    const server = await serveStore(models, { port: 0, onWarning: () => {} });
    try {
      const info = await fetch(`${server.url}/api/models/${MULTI.id}`);
      await info.body?.cancel();
      assert.equal(info.status, 404);
      const file = await fetch(`${server.url}/${MULTI.id}/resolve/main/config.json`);
      await file.body?.cancel();
      assert.equal(file.status, 404);
    } finally {
      await server.close();
    }
  });

  it("import copies unless asked to link, or the source is read-only, so the stick cannot change the store", async () => {
    const { dir, repoDir } = await stick();
    const board = fresh("board");
    const copied = await importStore(dir, board, { onWarning: () => {} });
    assert.ok(copied.imported.length > 0);
    assert.ok(copied.imported.every((file) => file.method === "copy"));
    const before = fileSha256(join(board, MULTI.id, MODEL));
    writeFileSync(join(repoDir, MODEL), "changed on the stick");
    assert.equal(fileSha256(join(board, MULTI.id, MODEL)), before);

    const linkedSource = await stick();
    const linked = await importStore(linkedSource.dir, fresh("board"), {
      link: true,
      onWarning: () => {},
    });
    assert.ok(linked.imported.every((file) => file.method === "link"));

    const readOnly = await stick();
    for (const name of readdirSync(readOnly.repoDir)) {
      chmodSync(join(readOnly.repoDir, name), 0o444);
    }
    const board3 = fresh("board");
    const fromReadOnly = await importStore(readOnly.dir, board3, { onWarning: () => {} });
    assert.ok(fromReadOnly.imported.every((file) => file.method === "link"));
    assert.equal(
      statSync(join(board3, MULTI.id, MODEL)).ino,
      statSync(join(readOnly.repoDir, MODEL)).ino,
    );
  });

  it("import refuses a record that names another repository than its directory", async () => {
    const { dir } = await stick();
    mkdirSync(join(dir, "someone"));
    renameSync(join(dir, MULTI.id), join(dir, "someone", "else"));
    const board = fresh("board");
    const report = await importStore(dir, board, { onWarning: () => {} });
    assert.deepEqual(
      report.refused.map(({ repo, path, code }) => ({ repo, path, code })),
      [{ repo: "someone/else", path: RECORD, code: "integrity" }],
    );
    assert.deepEqual(readdirSync(board), []);
  });

  it("import refuses a record larger than any real one, reading no more of it", async () => {
    const { dir, repoDir } = await stick();
    editRecord(repoDir, (record) => {
      record.padding = "x".repeat(MAX_RECORD_BYTES);
    });
    const board = fresh("board");
    const report = await importStore(dir, board, { onWarning: () => {} });
    assert.deepEqual(
      report.refused.map(({ path, code }) => ({ path, code })),
      [{ path: RECORD, code: "integrity" }],
    );
    assert.deepEqual(readdirSync(board), []);
  });
});
