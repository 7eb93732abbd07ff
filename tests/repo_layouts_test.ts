import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { companionsOfModels, foldersOf, nearestCompanions } from "../src/store/repo_folders.ts";
import { encoderPairing } from "../src/store/model_variant.ts";
import {
  deterministicBytes,
  type HubRepoSpec,
  type HubServer,
  startHubServer,
} from "./support/hub_server.ts";
import { managerFor } from "./support/download_harness.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { parseJson } from "./support/cli_process.ts";

/** A monorepo: `models/<model>/<chip>/<file>.rkllm`, each model's companions in `models/<model>/`. */
const MONOREPO: HubRepoSpec = {
  id: "acme-npu/rkllm-model-zoo",
  files: [
    { path: "README.md", content: "# Model zoo\n" },
    { path: "models/Qwen2.5-1.5B/config.json", content: JSON.stringify({ model_type: "qwen2" }) },
    { path: "models/Qwen2.5-1.5B/tokenizer.json", content: JSON.stringify({ qwen: true }) },
    { path: "models/Qwen2.5-1.5B/tokenizer_config.json", content: "{}" },
    {
      path: "models/Qwen2.5-1.5B/rk3588/Qwen2.5-1.5B_w8a8_rk3588.rkllm",
      content: deterministicBytes(30_000, 701),
    },
    {
      path: "models/Qwen2.5-1.5B/rk3576/Qwen2.5-1.5B_w4a16_rk3576.rkllm",
      content: deterministicBytes(25_000, 702),
    },
    {
      path: "models/MiniCPM-V-2.6/config.json",
      content: JSON.stringify({ model_type: "minicpmv" }),
    },
    { path: "models/MiniCPM-V-2.6/chat_template.jinja", content: "{{ minicpm }}\n" },
    {
      path: "models/MiniCPM-V-2.6/rk3588/MiniCPM-V-2.6_w8a8_rk3588.rkllm",
      content: deterministicBytes(35_000, 703),
    },
    {
      path: "models/MiniCPM-V-2.6/rk3588/MiniCPM-V-2.6_vision_rk3588.rknn",
      content: deterministicBytes(9_000, 704),
      lfs: true,
    },
  ],
};
const QWEN_3588 = "models/Qwen2.5-1.5B/rk3588/Qwen2.5-1.5B_w8a8_rk3588.rkllm";
const MINICPM = "models/MiniCPM-V-2.6/rk3588/MiniCPM-V-2.6_w8a8_rk3588.rkllm";

/** Per-chip subfolders, the encoder beside the model, the companions at the root. */
const PER_CHIP: HubRepoSpec = {
  id: "someone/Qwen2.5-VL-3B-RKLLM",
  files: [
    { path: "config.json", content: JSON.stringify({ model_type: "qwen2_5_vl" }) },
    { path: "RK3588/qwen2.5-vl-3b-w8a8_rk3588.rkllm", content: deterministicBytes(20_000, 711) },
    { path: "RK3588/qwen2.5-vl-3b_vision_encoder.rknn", content: deterministicBytes(5_000, 712) },
    { path: "RK3576/qwen2.5-vl-3b-w4a16_rk3576.rkllm", content: deterministicBytes(18_000, 713) },
    { path: "RK3576/qwen2.5-vl-3b_vision_encoder.rknn", content: deterministicBytes(4_000, 714) },
  ],
};

/** Generic names that say neither model nor chip. */
const GENERIC: HubRepoSpec = {
  id: "someone/SmolVLM-rk3588",
  files: [
    { path: "config.json", content: "{}" },
    { path: "tokenizer.json", content: "{}" },
    { path: "language_model_w8a8.rkllm", content: deterministicBytes(12_000, 721) },
    { path: "vision_encoder.rknn", content: deterministicBytes(3_000, 722) },
  ],
};

describe("repository folders: the companions nearest to a model", () => {
  it("lists the folders above a path, nearest first", () => {
    assert.deepEqual(foldersOf("a/b/m.rkllm"), ["a/b", "a", ""]);
    assert.deepEqual(foldersOf("m.rkllm"), [""]);
  });

  it("takes each companion from the model's folder, then its parents, never a sibling's", () => {
    const present = new Set([
      "config.json",
      "tokenizer.json",
      "models/a/config.json",
      "models/b/tokenizer.json",
    ]);
    const names = ["config.json", "tokenizer.json"];
    assert.deepEqual(nearestCompanions("models/a/rk3588/a.rkllm", { present, names }), [
      "models/a/config.json",
      "tokenizer.json",
    ]);
    assert.deepEqual(companionsOfModels([], { present, names }), names);
  });

  it("pairs an encoder with the models nearest to it only", () => {
    const pair = encoderPairing(MONOREPO.files.map((file) => file.path));
    assert.deepEqual(pair(QWEN_3588), []);
    assert.deepEqual(pair(MINICPM), [
      "models/MiniCPM-V-2.6/rk3588/MiniCPM-V-2.6_vision_rk3588.rknn",
    ]);
    const perChip = encoderPairing(PER_CHIP.files.map((file) => file.path));
    assert.deepEqual(perChip("RK3576/qwen2.5-vl-3b-w4a16_rk3576.rkllm"), [
      "RK3576/qwen2.5-vl-3b_vision_encoder.rknn",
    ]);
  });
});

describe("downloads from repositories laid out in folders", () => {
  let hub: HubServer;
  let root: string;
  let count = 0;
  const newDir = () => join(root, `models-${count++}`);

  before(async () => {
    hub = await startHubServer({ repos: [MONOREPO, PER_CHIP, GENERIC] });
    root = makeTempDir();
  });
  after(async () => {
    await hub.close();
    removeDir(root);
  });

  it("a monorepo model brings its own folder's companions, at their repository paths", async () => {
    const { manager } = managerFor(hub, newDir());
    const model = await manager.downloadModel(MONOREPO.id, QWEN_3588);
    const companions = [
      "models/Qwen2.5-1.5B/config.json",
      "models/Qwen2.5-1.5B/tokenizer_config.json",
      "models/Qwen2.5-1.5B/tokenizer.json",
    ];
    assert.deepEqual(model.companionFiles, companions);
    assert.deepEqual(model.technicalFiles, companions);
    assert.deepEqual(model.encoders, []);
    for (const file of companions) {
      assert.ok(existsSync(join(model.dir, ...file.split("/"))), file);
    }
    assert.ok(!existsSync(join(model.dir, "models", "MiniCPM-V-2.6")), "never another model's");
    const record = JSON.parse(readFileSync(join(model.dir, ".rkllm-models.json"), "utf8"));
    assert.deepEqual(record.models[QWEN_3588], { companions, encoders: [] });
    const [listed] = await manager.listModels();
    assert.deepEqual(listed.technicalFiles, companions);
  });

  it("a monorepo vision model brings its encoder and its own companions only", async () => {
    const { manager } = managerFor(hub, newDir());
    const { plan } = await manager.downloadWithPlan(MONOREPO.id, MINICPM, { dryRun: true });
    assert.deepEqual(plan.files.map((file) => [file.file, file.kind]), [
      [MINICPM, "model"],
      ["models/MiniCPM-V-2.6/config.json", "companion"],
      ["models/MiniCPM-V-2.6/chat_template.jinja", "companion"],
      ["models/MiniCPM-V-2.6/rk3588/MiniCPM-V-2.6_vision_rk3588.rknn", "encoder"],
    ]);
  });

  it("per-chip subfolders: the chip's model with its folder's encoder and the root's companions", async () => {
    const { manager } = managerFor(hub, newDir());
    const { plan } = await manager.downloadWithPlan(PER_CHIP.id, undefined, {
      platform: "rk3576",
      dryRun: true,
    });
    assert.deepEqual(plan.files.map((file) => [file.file, file.kind]), [
      ["RK3576/qwen2.5-vl-3b-w4a16_rk3576.rkllm", "model"],
      ["config.json", "companion"],
      ["RK3576/qwen2.5-vl-3b_vision_encoder.rknn", "encoder"],
    ]);
  });

  it("generic names: the only model with the only encoder and the root's companions", async () => {
    const { manager } = managerFor(hub, newDir());
    const { plan } = await manager.downloadWithPlan(GENERIC.id, undefined, { dryRun: true });
    assert.deepEqual(plan.files.map((file) => [file.file, file.kind]), [
      ["language_model_w8a8.rkllm", "model"],
      ["config.json", "companion"],
      ["tokenizer.json", "companion"],
      ["vision_encoder.rknn", "encoder"],
    ]);
  });
});

describe("the CLI with a monorepo", () => {
  const bed = useHubTestBed({ repos: [MONOREPO] });

  it("download names the model's own technical files, and info reads its own config.json", async () => {
    const dir = bed.newDir();
    const result = await bed.cli(["download", MONOREPO.id, QWEN_3588, "--dir", dir]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /technical files: models\/Qwen2\.5-1\.5B\/config\.json, models\/Qwen2\.5-1\.5B\/tokenizer_config\.json, models\/Qwen2\.5-1\.5B\/tokenizer\.json/,
    );
    const info = parseJson(
      (await bed.cli(["info", "Qwen2.5-1.5B", "--dir", dir, "--json"])).stdout,
    );
    assert.equal(info.config.model_type, "qwen2");
    assert.equal(info.verified, true);
  });

  it("files lists each variant's own companion files", async () => {
    const json = parseJson((await bed.cli(["files", MONOREPO.id, "--json"])).stdout);
    // In listing order: the MiniCPM folder sorts first.
    assert.deepEqual(json.technicalFiles, [
      "models/MiniCPM-V-2.6/config.json",
      "models/Qwen2.5-1.5B/config.json",
      "models/Qwen2.5-1.5B/tokenizer_config.json",
      "models/Qwen2.5-1.5B/tokenizer.json",
    ]);
    const only = parseJson(
      (await bed.cli(["files", MONOREPO.id, "--quant", "w4a16", "--json"])).stdout,
    );
    assert.deepEqual(only.companionFiles, [
      "models/Qwen2.5-1.5B/config.json",
      "models/Qwen2.5-1.5B/tokenizer_config.json",
      "models/Qwen2.5-1.5B/tokenizer.json",
    ]);
  });
});
