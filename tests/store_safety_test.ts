import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ModelInfo } from "../mod.ts";
import { type HubServer, startHubServer } from "./support/hub_server.ts";
import { bytesOf, MULTI, QWEN, QWEN_FILE, standardHub } from "./support/fixtures.ts";
import { managerFor, rejectsWithCode } from "./support/download_harness.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

const RENAMED = {
  id: "new-owner/Renamed-Model-rk3588",
  renamedFrom: "old-owner/Old-Model-rk3588",
  files: [{ path: "renamed-rk3588-w8a8.rkllm", content: "renamed model bytes" }],
};

describe("the store keeps its hands off what it did not create", () => {
  let hub: HubServer;
  let root: string;
  let count = 0;
  const newDir = () => join(root, `models-${count++}`);
  before(async () => {
    const options = standardHub();
    hub = await startHubServer({ ...options, repos: [...options.repos, RENAMED] });
    root = makeTempDir();
  });
  after(async () => {
    await hub.close();
    removeDir(root);
  });

  describe("cleans only store directories, and only partial files that have their state", () => {
    // One store, cleaned in two steps; each is its own test, so one failure does not
    // hide the other.
    let manager: ReturnType<typeof managerFor>["manager"];
    let model: ModelInfo;
    let userFiles: string[] = [];

    it("--partial removes only a partial file that has its state", async () => {
      const modelsDir = newDir();
      manager = managerFor(hub, modelsDir).manager;
      model = await manager.downloadModel(QWEN.id);
      const project = join(modelsDir, "projects", "webapp");
      mkdirSync(join(project, "deep"), { recursive: true });
      userFiles = [
        join(project, "config.json"),
        join(project, "meta.json"),
        join(project, "deep", "video.mp4.part"),
        join(model.dir, "notes.txt"),
        join(model.dir, "unrelated.part"),
      ];
      for (const path of userFiles) writeFileSync(path, "the user's own file");
      writeFileSync(join(model.dir, "next.rkllm.part"), "partial");
      writeFileSync(join(model.dir, "next.rkllm.part.state"), "{}");

      const partial = await manager.cleanModels({ partialOnly: true });
      assert.deepEqual(partial.removedFiles.sort(), [
        join(model.dir, "next.rkllm.part"),
        join(model.dir, "next.rkllm.part.state"),
      ]);
    });

    it("a full clean removes the model and its technical files, and keeps the user's files", async () => {
      assert.ok(userFiles.length > 0, "the store was set up");
      const report = await manager.cleanModels();
      assert.ok(report.removedFiles.includes(model.path));
      assert.ok(report.removedFiles.includes(join(model.dir, "config.json")));
      for (const path of userFiles) {
        assert.equal(readFileSync(path, "utf8"), "the user's own file", `${path} is kept`);
      }
      assert.deepEqual(await manager.listModels(), []);
    });
  });

  it("downloads only .rkllm files by name; technical files come with the model", async () => {
    const modelsDir = newDir();
    const { manager } = managerFor(hub, modelsDir);
    const error = await rejectsWithCode(manager.downloadModel(QWEN.id, "config.json"), "usage");
    assert.match(error.message, /not a \.rkllm model file/);
    assert.deepEqual(error.choices, [QWEN_FILE]);
    assert.ok(!existsSync(modelsDir), "nothing was written");
    await rejectsWithCode(manager.downloadModel(QWEN.id, "README.md"), "usage");
  });

  it("reports a deleted technical file as missing when verifying", async () => {
    const modelsDir = newDir();
    const { manager } = managerFor(hub, modelsDir);
    const model = await manager.downloadModel(QWEN.id);
    assert.equal((await manager.verifyModel(QWEN.id))[0].ok, true);
    rmSync(join(model.dir, "config.json"));
    const [verdict] = await manager.verifyModel(QWEN.id);
    assert.equal(verdict.ok, false);
    assert.deepEqual(verdict.files.find((file) => file.file === "config.json"), {
      file: "config.json",
      status: "missing",
    });
  });

  it("lists models in the same order on every runtime, whatever the directory order", async () => {
    const modelsDir = newDir();
    const { manager } = managerFor(hub, modelsDir);
    for (
      const [owner, file] of [["zeta", "b.rkllm"], ["alpha", "z.rkllm"], ["Beta", "a.rkllm"], [
        "alpha",
        "a.rkllm",
      ]]
    ) {
      mkdirSync(join(modelsDir, owner, "repo"), { recursive: true });
      writeFileSync(join(modelsDir, owner, "repo", file), "x");
    }
    const listed = (await manager.listModels()).map((model) => `${model.repo}/${model.file}`);
    assert.deepEqual(listed, [
      "Beta/repo/a.rkllm",
      "alpha/repo/a.rkllm",
      "alpha/repo/z.rkllm",
      "zeta/repo/b.rkllm",
    ]);
  });

  it("stores a renamed repository under its current name", async () => {
    const modelsDir = newDir();
    const { manager } = managerFor(hub, modelsDir);
    const model = await manager.downloadModel(RENAMED.renamedFrom);
    assert.equal(model.repo, RENAMED.id);
    assert.equal(model.dir, join(modelsDir, "new-owner", "Renamed-Model-rk3588"));
    assert.equal(readFileSync(model.path, "utf8"), "renamed model bytes");
    assert.ok(!existsSync(join(modelsDir, "old-owner")));
  });

  it("keeps the other model's technical files when one of two variants is removed", async () => {
    const modelsDir = newDir();
    const { manager } = managerFor(hub, modelsDir);
    const variants = MULTI.files.map((file) => file.path).filter((path) => path.endsWith(".rkllm"));
    await manager.downloadModel(MULTI.id, variants[0]);
    const second = await manager.downloadModel(MULTI.id, variants[1]);
    const removed = await manager.removeModel(variants[0].replace(".rkllm", ""));
    assert.equal(removed.removedDirectory, false);
    assert.deepEqual(
      new Uint8Array(readFileSync(join(second.dir, "config.json"))),
      bytesOf(MULTI, "config.json"),
    );
    assert.equal((await manager.verifyModel(second.name))[0].ok, true);
  });
});
