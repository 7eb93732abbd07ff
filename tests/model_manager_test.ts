import { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ModelInfo, RuntimeDetector } from "../mod.ts";
import { type HubServer, sha256Hex, startHubServer } from "./support/hub_server.ts";
import {
  bytesOf,
  GATED,
  MULTI,
  NO_MODELS,
  QWEN,
  QWEN_FILE,
  standardHub,
  TOKENS,
} from "./support/fixtures.ts";
import {
  managerFor as downloadManagerFor,
  type ManagerOptions,
  rejectsWithCode,
} from "./support/download_harness.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";
import { it } from "./support/test_timeout.ts";

/** A manager for `modelsDir` against `hub`, trying each request twice at most. */
function managerFor(hub: HubServer, modelsDir: string, extra: ManagerOptions = {}) {
  return downloadManagerFor(hub, modelsDir, { retry: { attempts: 2, baseDelayMs: 10 }, ...extra });
}

describe("ModelManager against the loopback Hub", () => {
  let hub: HubServer;
  const dirs: string[] = [];
  const newDir = () => {
    const dir = makeTempDir();
    dirs.push(dir);
    return join(dir, "models");
  };

  before(async () => {
    hub = await startHubServer(standardHub());
  });
  after(async () => {
    await hub.close();
    dirs.forEach(removeDir);
  });

  describe("downloads the only .rkllm and the technical files into <dir>/<owner>/<name>/, byte for byte", () => {
    // One download, checked by the steps below; each is its own test, so one failure
    // does not hide the others.
    let modelsDir = "";
    let repoDir = "";
    let model: ModelInfo;
    let info: { sha: string };

    it("places the model in <dir>/<owner>/<name>/", async () => {
      modelsDir = newDir();
      const { manager } = managerFor(hub, modelsDir);
      model = await manager.downloadModel(QWEN.id);
      info = await (await fetch(`${hub.endpoint}/api/models/${QWEN.id}`)).json();
      repoDir = join(modelsDir, "limcheekin", "Qwen2.5-0.5B-Instruct-rk3588-1.1.4");
      assert.equal(model.dir, repoDir);
      assert.equal(model.path, join(repoDir, QWEN_FILE));
      assert.equal(model.name, QWEN_FILE.replace(/\.rkllm$/, ""));
      assert.equal(model.repo, QWEN.id);
    });

    it("writes the model and the technical files byte for byte, and nothing else", () => {
      for (
        const file of [
          QWEN_FILE,
          "config.json",
          "generation_config.json",
          "tokenizer_config.json",
          "tokenizer.json",
        ]
      ) {
        assert.deepEqual(
          new Uint8Array(readFileSync(join(repoDir, file))),
          bytesOf(QWEN, file),
          `${file} is byte-identical`,
        );
      }
      assert.ok(
        !existsSync(join(repoDir, "README.md")),
        "only the model and technical files are downloaded",
      );
      assert.deepEqual(model.technicalFiles, [
        "config.json",
        "generation_config.json",
        "tokenizer_config.json",
        "tokenizer.json",
      ]);
    });

    it("answers the revision, checksum, size and variant", () => {
      assert.equal(model.revision, info.sha);
      assert.equal(model.sha256, sha256Hex(bytesOf(QWEN, QWEN_FILE)));
      assert.equal(model.size, bytesOf(QWEN, QWEN_FILE).length);
      assert.equal(model.platform, "rk3588");
      assert.equal(model.quantization, "w8a8");
      assert.equal(model.optimization, 0);
      assert.equal(model.hybridRatio, 0);
      assert.equal(model.baseModel, "Qwen2.5-0.5B-Instruct");
    });

    it("records the download", () => {
      assert.ok(model.recorded);
      assert.ok(!Number.isNaN(Date.parse(model.downloadedAt!)));
      const record = JSON.parse(readFileSync(join(repoDir, ".rkllm-models.json"), "utf8"));
      assert.equal(record.files[QWEN_FILE].sha256, model.sha256);
      assert.equal(record.files["config.json"].revision, info.sha);
    });
  });

  it("does not download complete files again", async () => {
    const modelsDir = newDir();
    const { manager } = managerFor(hub, modelsDir);
    await manager.downloadModel(QWEN.id);
    const fileRequests = () =>
      hub.requests.filter((request) =>
        request.origin === "cdn" || (request.method === "GET" && request.path.includes("/resolve/"))
      )
        .length;
    const before = fileRequests();
    const again = await manager.downloadWithPlan(QWEN.id);
    assert.equal(again.transferred, 0);
    assert.equal(fileRequests(), before, "no file was fetched the second time");
  });

  describe("lists models with their variant, including a hand-copied one, and never partial files", () => {
    let manager: ReturnType<typeof managerFor>["manager"];
    let models: ModelInfo[] = [];

    it("lists the downloaded and the hand-copied model, not the partial file", async () => {
      const modelsDir = newDir();
      manager = managerFor(hub, modelsDir).manager;
      await manager.downloadModel(
        MULTI.id,
        "TinyLlama-1.1B-Chat-v1.0-rk3588-w8a8-opt-0-hybrid-ratio-0.5.rkllm",
      );
      const manual = join(modelsDir, "me", "custom");
      mkdirSync(manual, { recursive: true });
      writeFileSync(join(manual, "my-model.rkllm"), "weights");
      writeFileSync(join(manual, "other-rk3576-w4a16.rkllm.part"), "half");
      models = await manager.listModels();
      assert.deepEqual(models.map((model) => `${model.repo}/${model.file}`), [
        "me/custom/my-model.rkllm",
        `${MULTI.id}/TinyLlama-1.1B-Chat-v1.0-rk3588-w8a8-opt-0-hybrid-ratio-0.5.rkllm`,
      ]);
    });

    it("a hand-copied model has no record, revision or variant", () => {
      const handmade = models[0];
      assert.equal(handmade.recorded, false);
      assert.equal(handmade.revision, undefined);
      assert.equal(handmade.platform, undefined);
      assert.equal(handmade.size, 7);
    });

    it("a downloaded model has its variant and technical files", () => {
      assert.equal(models[1].hybridRatio, 0.5);
      assert.deepEqual(models[1].technicalFiles, ["config.json", "tokenizer.json"]);
    });

    it("partial files are listed as partial downloads", async () => {
      const partials = await manager.listPartialDownloads();
      assert.deepEqual(partials.map((partial) => partial.file), ["other-rk3576-w4a16.rkllm"]);
    });
  });

  describe("finds models by exact name, owner/name, prefix and substring, and reports ambiguity", () => {
    let manager: ReturnType<typeof managerFor>["manager"];
    const name = (model: ModelInfo | undefined) => model?.name;

    it("downloads three models", async () => {
      manager = managerFor(hub, newDir()).manager;
      const qwenTechnical = [
        "config.json",
        "generation_config.json",
        "tokenizer.json",
        "tokenizer_config.json",
      ];
      const multiTechnical = ["config.json", "tokenizer.json"];
      const wanted = [
        { repo: QWEN, file: QWEN_FILE, technical: qwenTechnical },
        {
          repo: MULTI,
          file: "TinyLlama-1.1B-Chat-v1.0-rk3588-w8a8-opt-0-hybrid-ratio-0.5.rkllm",
          technical: multiTechnical,
        },
        {
          repo: MULTI,
          file: "TinyLlama-1.1B-Chat-v1.0-rk3576-w4a16-opt-1-hybrid-ratio-0.0.rkllm",
          technical: multiTechnical,
        },
      ];
      for (const { repo, file, technical } of wanted) {
        const model = await manager.downloadModel(repo.id, file);
        assert.equal(model.file, file);
        for (const path of [file, ...technical]) {
          const bytes = new Uint8Array(readFileSync(join(model.dir, path)));
          assert.deepEqual(bytes, bytesOf(repo, path), `${repo.id}/${path}`);
        }
      }
      const listed = await manager.listModels();
      assert.deepEqual(
        listed.map((model) => model.file).sort(),
        wanted.map((model) => model.file).sort(),
      );
    });

    it("by exact name and by owner/name", async () => {
      assert.equal(
        name(await manager.getModel(QWEN_FILE.replace(".rkllm", ""))),
        QWEN_FILE.replace(".rkllm", ""),
      );
      assert.equal(name(await manager.getModel(QWEN.id)), QWEN_FILE.replace(".rkllm", ""));
    });

    it("by prefix and substring, case-insensitive", async () => {
      assert.equal(
        name(await manager.getModel("Qwen2.5-0.5B-Instruct")),
        QWEN_FILE.replace(".rkllm", ""),
      );
      assert.equal(
        name(await manager.getModel("qwen2.5")),
        QWEN_FILE.replace(".rkllm", ""),
        "case-insensitive",
      );
      assert.equal(
        name(await manager.getModel("rk3576-W4A16")),
        "TinyLlama-1.1B-Chat-v1.0-rk3576-w4a16-opt-1-hybrid-ratio-0.0",
      );
    });

    it("answers undefined when nothing matches", async () => {
      assert.equal(await manager.getModel("mistral"), undefined);
    });

    it("reports ambiguity with the choices, and a blank query as usage", async () => {
      const error = await rejectsWithCode(manager.getModel("TinyLlama"), "ambiguous");
      assert.equal((error.choices as string[]).length, 2);
      await rejectsWithCode(manager.getModel(MULTI.id), "ambiguous");
      await rejectsWithCode(manager.getModel("  "), "usage");
    });
  });

  describe("removes one model and keeps the shared files while another model of the repo remains", () => {
    let modelsDir = "";
    let manager: ReturnType<typeof managerFor>["manager"];
    let first: ModelInfo;

    it("refuses an ambiguous, empty or unknown query and removes nothing", async () => {
      modelsDir = newDir();
      manager = managerFor(hub, modelsDir).manager;
      first = await manager.downloadModel(
        MULTI.id,
        "TinyLlama-1.1B-Chat-v1.0-rk3588-w8a8-opt-0-hybrid-ratio-0.5.rkllm",
      );
      await manager.downloadModel(
        MULTI.id,
        "TinyLlama-1.1B-Chat-v1.0-rk3576-w4a16-opt-1-hybrid-ratio-0.0.rkllm",
      );
      await rejectsWithCode(manager.removeModel("TinyLlama"), "ambiguous");
      assert.equal((await manager.listModels()).length, 2, "an ambiguous query removes nothing");
      await rejectsWithCode(manager.removeModel(""), "usage");
      await rejectsWithCode(manager.removeModel("nothing-like-this"), "model_not_found");
    });

    it("removes one model, frees its blocks and keeps the shared files", async () => {
      // Freed space is what the disk gets back: whole blocks.
      const usage = statSync(first.path).blocks * 512 || first.size;
      const removed = await manager.removeModel("rk3588-w8a8");
      assert.equal(removed.model.path, first.path);
      assert.deepEqual(removed.removedFiles, [first.path]);
      assert.equal(removed.freedBytes, usage);
      assert.equal(removed.removedDirectory, false);
      assert.ok(existsSync(join(first.dir, "config.json")));
      const record = JSON.parse(readFileSync(join(first.dir, ".rkllm-models.json"), "utf8"));
      assert.equal(record.files[first.file], undefined, "the record forgets the removed model");
    });

    it("the last model takes its directory and the empty owner directory with it", async () => {
      const last = await manager.removeModel("rk3576");
      assert.equal(last.removedDirectory, true);
      assert.ok(!existsSync(first.dir), "the last model takes its directory with it");
      assert.ok(!existsSync(join(modelsDir, "punchnox")), "and the empty owner directory");
    });
  });

  describe("cleans every model and partial download without following symlinks out of the store", () => {
    let modelsDir = "";
    let outside = "";
    let manager: ReturnType<typeof managerFor>["manager"];
    let model: ModelInfo;

    it("--partial removes only the partial files", async () => {
      modelsDir = newDir();
      outside = join(modelsDir, "..", "outside");
      mkdirSync(outside, { recursive: true });
      writeFileSync(join(outside, "precious.rkllm"), "do not delete");
      manager = managerFor(hub, modelsDir).manager;
      model = await manager.downloadModel(QWEN.id);
      writeFileSync(join(model.dir, "next.rkllm.part"), "partial");
      writeFileSync(join(model.dir, "next.rkllm.part.state"), "{}");
      symlinkSync(outside, join(model.dir, "linked-dir"));
      symlinkSync(outside, join(modelsDir, "linked-owner"));
      symlinkSync(join(outside, "precious.rkllm"), join(model.dir, "linked.rkllm"));

      const partialOnly = await manager.cleanModels({ partialOnly: true });
      assert.deepEqual(partialOnly.removedFiles, [
        join(model.dir, "next.rkllm.part"),
        join(model.dir, "next.rkllm.part.state"),
      ]);
      assert.equal((await manager.listModels()).length, 1, "--partial keeps complete models");
    });

    it("a full clean removes every model and nothing outside the store", async () => {
      const report = await manager.cleanModels();
      assert.equal((await manager.listModels()).length, 0);
      assert.ok(report.freedBytes >= model.size);
      assert.ok(report.removedFiles.includes(model.path));
      assert.equal(readFileSync(join(outside, "precious.rkllm"), "utf8"), "do not delete");
      assert.ok(report.removedFiles.every((path) => path.startsWith(modelsDir)));
    });
  });

  it("degrades to a file-system scan with a warning when a record is corrupt", async () => {
    const modelsDir = newDir();
    const { manager, warnings } = managerFor(hub, modelsDir);
    const model = await manager.downloadModel(QWEN.id);
    writeFileSync(join(model.dir, ".rkllm-models.json"), "{ not json");
    const [listed] = await manager.listModels();
    assert.equal(listed.path, model.path);
    assert.equal(listed.recorded, false);
    assert.equal(listed.revision, undefined);
    assert.ok(warnings.some((warning) => warning.includes("corrupt")), `warned: ${warnings}`);
    const again = await manager.downloadModel(QWEN.id);
    assert.equal(again.recorded, true, "downloading again rewrites the record");
  });

  it("rejects malformed repo ids before any request", async () => {
    const { manager } = managerFor(hub, newDir());
    const before = hub.requests.length;
    for (const bad of ["a", "a/b/c", "../x", "owner/na me", "", "owner/..", "-x/y", "a--b/c"]) {
      const error = await rejectsWithCode(manager.downloadModel(bad), "usage");
      assert.match(error.hint, /owner\/name/);
    }
    assert.equal(hub.requests.length, before);
  });

  it("reports an unknown repo, an unknown file and a repo without models as not found", async () => {
    const { manager } = managerFor(hub, newDir());
    await rejectsWithCode(manager.downloadModel("nobody/nothing-here"), "repo_not_found");
    const file = await rejectsWithCode(
      manager.downloadModel(QWEN.id, "missing.rkllm"),
      "file_not_found",
    );
    assert.match(file.hint, new RegExp(QWEN_FILE.replaceAll(".", "\\.")));
    await rejectsWithCode(manager.downloadModel(NO_MODELS.id), "file_not_found");
    await rejectsWithCode(
      manager.downloadModel(QWEN.id, undefined, { revision: "no-such-branch" }),
      "repo_not_found",
    );
  });

  it("asks for a choice when a repo holds several .rkllm files, and filters narrow it", async () => {
    const modelsDir = newDir();
    const { manager } = managerFor(hub, modelsDir);
    const error = await rejectsWithCode(manager.downloadModel(MULTI.id), "usage");
    assert.deepEqual(
      (error.choices as string[]).sort(),
      MULTI.files.map((f) => f.path).filter((p) => p.endsWith(".rkllm")).sort(),
    );
    assert.equal((await manager.listModels()).length, 0, "nothing was downloaded");
    const model = await manager.downloadModel(MULTI.id, undefined, { platform: "rk3576" });
    assert.equal(model.quantization, "w4a16");
  });

  it("needs an approved token for a gated repo", async () => {
    const modelsDir = newDir();
    const anonymous = await rejectsWithCode(
      managerFor(hub, modelsDir).manager.downloadModel(GATED.id),
      "gated",
    );
    assert.match(anonymous.hint, new RegExp(`${GATED.id}.*HF_TOKEN`));
    await rejectsWithCode(
      managerFor(hub, modelsDir, { token: TOKENS.unapproved }).manager.downloadModel(GATED.id),
      "gated",
    );
    await rejectsWithCode(
      managerFor(hub, modelsDir, { token: "hf_wrong" }).manager.downloadModel(GATED.id),
      "auth",
    );
    assert.equal(
      (await managerFor(hub, modelsDir).manager.listModels()).length,
      0,
      "no partial model is listed",
    );
    const model = await managerFor(hub, modelsDir, { token: TOKENS.approved }).manager
      .downloadModel(GATED.id);
    assert.deepEqual(
      new Uint8Array(readFileSync(model.path)),
      bytesOf(GATED, "Llama-3.2-1B-rk3588-w8a8.rkllm"),
    );
  });

  it("sends every Hub request through the runtime's own transport, unless given a fetch", async () => {
    const runtime = RuntimeDetector.current();
    const own: string[] = [];
    const recording = (seen: string[], transport: typeof fetch) =>
      ((input: RequestInfo | URL, init?: RequestInit) => {
        seen.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
        return transport(input, init);
      }) as typeof fetch;
    const withOwnTransport = {
      ...runtime,
      hubFetch: recording(own, runtime.hubFetch ?? globalThis.fetch),
    };
    await managerFor(hub, newDir(), { runtime: withOwnTransport }).manager.downloadModel(QWEN.id);
    assert.ok(own.some((path) => path.startsWith("/api/models/")), own.join("\n"));
    assert.ok(own.some((path) => path.endsWith(QWEN_FILE)), "the file body too");

    const given: string[] = [];
    own.length = 0;
    const { manager } = managerFor(hub, newDir(), {
      runtime: withOwnTransport,
      fetch: recording(given, globalThis.fetch),
    });
    await manager.downloadModel(QWEN.id);
    assert.deepEqual(own, [], "the caller's fetch takes every request");
    assert.ok(given.some((path) => path.startsWith("/api/models/")), given.join("\n"));
    assert.ok(given.some((path) => path.endsWith(QWEN_FILE)), "the file body too");
  });

  it("fails at once and sends nothing when offline", async () => {
    const { manager } = managerFor(hub, newDir(), { offline: true });
    const before = hub.requests.length;
    await rejectsWithCode(manager.downloadModel(QWEN.id), "offline");
    assert.equal(hub.requests.length, before);
    assert.deepEqual(await manager.listModels(), [], "local operations still work");
  });
});
