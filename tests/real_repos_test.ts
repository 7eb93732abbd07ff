import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ModelInfo, RuntimeDetector } from "../mod.ts";
import {
  deterministicBytes,
  gitBlobSha1,
  type HubRepoSpec,
  type HubServer,
  sha256Hex,
  startHubServer,
} from "./support/hub_server.ts";
import {
  bytesOf,
  INTERNVL,
  INTERNVL_FILES,
  QWEN2VL,
  QWEN2VL_FILES,
  QWEN3,
  QWEN3_FILES,
} from "./support/fixtures.ts";
import {
  managerFor as downloadManagerFor,
  type ManagerOptions,
  rejectsWithCode,
} from "./support/download_harness.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

const TECHNICAL = [
  "config.json",
  "generation_config.json",
  "tokenizer_config.json",
  "tokenizer.json",
];
/** What a download from the Qwen3-shaped repository brings beside the model, in config order. */
const QWEN3_COMPANIONS = [
  ...TECHNICAL,
  "chat_template.jinja",
  "special_tokens_map.json",
  "added_tokens.json",
  "vocab.json",
  "merges.txt",
];

/** A repository whose names are `_`-separated with the chip last, and only grouped quantisations. */
const DEEPSEEK: HubRepoSpec = {
  id: "c01zaut/DeepSeek-R1-Distill-Qwen-1.5B-rk3588-1.1.2",
  files: [
    { path: "config.json", content: JSON.stringify({ model_type: "qwen2" }) },
    {
      path: "DeepSeek-R1-Distill-Qwen-1.5B_w8a8_g128_rk3588.rkllm",
      content: deterministicBytes(20_000, 601),
    },
    {
      path: "DeepSeek-R1-Distill-Qwen-1.5B_w8a8_g256_rk3588.rkllm",
      content: deterministicBytes(21_000, 602),
    },
  ],
};

function managerFor(hub: HubServer, modelsDir: string, extra: ManagerOptions = {}) {
  return downloadManagerFor(hub, modelsDir, { retry: { attempts: 2, baseDelayMs: 10 }, ...extra });
}

function recordOf(repoDir: string) {
  return JSON.parse(readFileSync(join(repoDir, ".rkllm-models.json"), "utf8"));
}

describe("downloads from repositories shaped like real RKLLM conversions", () => {
  let hub: HubServer;
  let root: string;
  let count = 0;
  const newDir = () => join(root, `models-${count++}`);

  before(async () => {
    hub = await startHubServer({ repos: [QWEN3, INTERNVL, QWEN2VL, DEEPSEEK] });
    root = makeTempDir();
  });
  after(async () => {
    await hub.close();
    removeDir(root);
  });

  describe("brings the tokenizer companions with the model, verified and recorded, never README.md or .gitattributes", () => {
    // One download, checked by the steps below; each is its own test, so one failure
    // does not hide the others.
    let manager: ReturnType<typeof managerFor>["manager"];
    let model: ModelInfo;
    let repoDir = "";

    it("downloads the asked model with its companions and technical files, and no encoder", async () => {
      manager = managerFor(hub, newDir()).manager;
      model = await manager.downloadModel(QWEN3.id, undefined, { quantization: "w8a8_g128" });
      repoDir = model.dir;
      assert.equal(model.file, QWEN3_FILES.w8a8_g128);
      assert.deepEqual(model.companionFiles, QWEN3_COMPANIONS);
      assert.deepEqual(model.technicalFiles, TECHNICAL);
      assert.deepEqual(model.encoders, []);
    });

    it("writes the companions byte for byte, never README.md or .gitattributes", () => {
      for (const file of QWEN3_COMPANIONS) {
        assert.deepEqual(new Uint8Array(readFileSync(join(repoDir, file))), bytesOf(QWEN3, file));
      }
      assert.ok(!existsSync(join(repoDir, "README.md")));
      assert.ok(!existsSync(join(repoDir, ".gitattributes")));
    });

    it("records the companions with their git SHA-1 and size", () => {
      const record = recordOf(repoDir);
      assert.equal(record.version, 2);
      assert.deepEqual(record.models[QWEN3_FILES.w8a8_g128], {
        companions: QWEN3_COMPANIONS,
        encoders: [],
      });
      const template = bytesOf(QWEN3, "chat_template.jinja");
      assert.equal(record.files["chat_template.jinja"].gitSha1, gitBlobSha1(template));
      assert.equal(record.files["chat_template.jinja"].size, template.length);
    });

    it("verifies the companions with the model", async () => {
      const [verdict] = await manager.verifyModel(QWEN3_FILES.w8a8_g128);
      assert.ok(verdict.ok);
      assert.deepEqual(verdict.files.map((file) => file.file), [model.file, ...QWEN3_COMPANIONS]);
    });

    it("reports a changed companion as a mismatch and a deleted one as missing", async () => {
      writeFileSync(join(repoDir, "chat_template.jinja"), "{{ changed }}\n");
      unlinkSync(join(repoDir, "vocab.json"));
      const [broken] = await manager.verifyModel(QWEN3_FILES.w8a8_g128);
      assert.equal(broken.ok, false);
      const status = Object.fromEntries(broken.files.map((file) => [file.file, file.status]));
      assert.equal(status["chat_template.jinja"], "mismatch");
      assert.equal(status["vocab.json"], "missing");
    });
  });

  it("selects exactly the asked quantisation: w8a8_g128 is neither w8a8 nor w8a8_g256", async () => {
    const { manager } = managerFor(hub, newDir());
    const plan = async (quantization: string) =>
      (await manager.downloadWithPlan(QWEN3.id, undefined, { quantization, dryRun: true })).plan
        .modelFile;
    assert.equal(await plan("w8a8_g256"), QWEN3_FILES.w8a8_g256);
    assert.equal(await plan("W8A8_G128"), QWEN3_FILES.w8a8_g128);
    assert.equal(await plan("w4a16_g64"), QWEN3_FILES.rk3576);
    // Plain w8a8 leaves the plain file and its -16k twin, never a grouped one.
    const error = await rejectsWithCode(
      manager.downloadWithPlan(QWEN3.id, undefined, { quantization: "w8a8", dryRun: true }),
      "usage",
    );
    assert.deepEqual(
      (error.choices as string[]).sort(),
      [
        QWEN3_FILES.w8a8,
        QWEN3_FILES.w8a8_16k,
      ].sort(),
    );
    const byName = await manager.downloadWithPlan(
      QWEN3.id,
      QWEN3_FILES.w8a8_16k.replace(".rkllm", ""),
      {
        quantization: "w8a8",
        dryRun: true,
      },
    );
    assert.equal(byName.plan.modelFile, QWEN3_FILES.w8a8_16k);
    assert.equal(byName.model.suffix, "16k");
  });

  it("never takes a grouped file for the plain quantisation, and names the grouped ones", async () => {
    const { manager } = managerFor(hub, newDir());
    const error = await rejectsWithCode(
      manager.downloadWithPlan(DEEPSEEK.id, undefined, { quantization: "w8a8", dryRun: true }),
      "file_not_found",
    );
    assert.match(error.hint, /^no file is plain w8a8; use --quant w8a8_g128 or --quant w8a8_g256$/);
    const exact = await manager.downloadWithPlan(DEEPSEEK.id, undefined, {
      quantization: "w8a8_g256",
      platform: "rk3588",
      dryRun: true,
    });
    assert.equal(exact.plan.modelFile, "DeepSeek-R1-Distill-Qwen-1.5B_w8a8_g256_rk3588.rkllm");
    assert.equal(exact.model.baseModel, "DeepSeek-R1-Distill-Qwen-1.5B");
  });

  it("counts the companions in --dry-run and in the free-space check", async () => {
    const modelsDir = newDir();
    const dryRun = await managerFor(hub, modelsDir).manager.downloadWithPlan(
      QWEN3.id,
      QWEN3_FILES.w8a8,
      {
        dryRun: true,
      },
    );
    const companionBytes = QWEN3_COMPANIONS.reduce(
      (sum, file) => sum + bytesOf(QWEN3, file).length,
      0,
    );
    const modelBytes = bytesOf(QWEN3, QWEN3_FILES.w8a8).length;
    assert.deepEqual(dryRun.plan.files.map((file) => [file.file, file.kind]), [
      [QWEN3_FILES.w8a8, "model"],
      ...QWEN3_COMPANIONS.map((file) => [file, "companion"]),
    ]);
    assert.equal(dryRun.plan.bytesNeeded, modelBytes + companionBytes);
    assert.ok(!existsSync(modelsDir), "a dry run writes nothing");

    // Room for the model alone is not enough.
    const runtime = { ...RuntimeDetector.current(), freeSpace: () => Promise.resolve(modelBytes) };
    const error = await rejectsWithCode(
      managerFor(hub, modelsDir, { runtime }).manager.downloadModel(QWEN3.id, QWEN3_FILES.w8a8),
      "storage",
    );
    assert.equal(error.bytesNeeded, modelBytes + companionBytes);
  });

  describe("brings the vision encoder for the model's chip, records the pairing and verifies it", () => {
    // One download, checked by the steps below; each is its own test, so one failure
    // does not hide the others.
    let manager: ReturnType<typeof managerFor>["manager"];
    let repoDir = "";

    it("plans the encoder for the model's chip", async () => {
      manager = managerFor(hub, newDir()).manager;
      const plan = (await manager.downloadWithPlan(INTERNVL.id, undefined, {
        platform: "rk3576",
        dryRun: true,
      })).plan;
      assert.deepEqual(
        plan.files.filter((file) => file.kind === "encoder").map((file) => file.file),
        [INTERNVL_FILES.vision3576],
      );
    });

    it("downloads the model with that encoder only", async () => {
      const model = await manager.downloadModel(INTERNVL.id, undefined, { platform: "rk3576" });
      repoDir = model.dir;
      assert.equal(model.file, INTERNVL_FILES.rk3576);
      assert.deepEqual(model.encoders, [INTERNVL_FILES.vision3576]);
      assert.ok(model.companionFiles.includes("chat_template.jinja"));
      assert.deepEqual(
        new Uint8Array(readFileSync(join(repoDir, INTERNVL_FILES.vision3576))),
        bytesOf(INTERNVL, INTERNVL_FILES.vision3576),
      );
      assert.ok(!existsSync(join(repoDir, INTERNVL_FILES.vision3588)), "not the other chip's");
    });

    it("records the pairing and lists it", async () => {
      const record = recordOf(repoDir);
      assert.deepEqual(record.models[INTERNVL_FILES.rk3576].encoders, [
        INTERNVL_FILES.vision3576,
      ]);
      assert.equal(
        record.files[INTERNVL_FILES.vision3576].sha256,
        sha256Hex(bytesOf(INTERNVL, INTERNVL_FILES.vision3576)),
      );
      assert.deepEqual((await manager.listModels()).map((listed) => listed.encoders), [
        [INTERNVL_FILES.vision3576],
      ]);
    });

    it("verifies the encoder with the model, and reports a changed one", async () => {
      const [verdict] = await manager.verifyModel(INTERNVL_FILES.rk3576);
      assert.ok(verdict.ok);
      assert.ok(verdict.files.some((file) => file.file === INTERNVL_FILES.vision3576));
      writeFileSync(join(repoDir, INTERNVL_FILES.vision3576), "not an encoder");
      const [broken] = await manager.verifyModel(INTERNVL_FILES.rk3576);
      assert.deepEqual(
        broken.files.filter((file) => file.status !== "ok").map((file) => file.file),
        [INTERNVL_FILES.vision3576],
      );
    });
  });

  it("removes an encoder with its model, keeping the other chip's encoder and model", async () => {
    const modelsDir = newDir();
    const { manager } = managerFor(hub, modelsDir);
    const rk3588 = await manager.downloadModel(INTERNVL.id, INTERNVL_FILES.rk3588);
    await manager.downloadModel(INTERNVL.id, INTERNVL_FILES.rk3576);
    const repoDir = rk3588.dir;
    const removed = await manager.removeModel(INTERNVL_FILES.rk3576);
    assert.deepEqual(
      removed.removedFiles.sort(),
      [
        join(repoDir, INTERNVL_FILES.rk3576),
        join(repoDir, INTERNVL_FILES.vision3576),
      ].sort(),
    );
    assert.ok(existsSync(join(repoDir, INTERNVL_FILES.vision3588)));
    const record = recordOf(repoDir);
    assert.equal(record.files[INTERNVL_FILES.vision3576], undefined);
    assert.equal(record.models[INTERNVL_FILES.rk3576], undefined);
    assert.ok((await manager.verifyModel())[0].ok);
  });

  it("keeps an encoder another model of the repo still uses, and removes it with the last one", async () => {
    const modelsDir = newDir();
    const { manager } = managerFor(hub, modelsDir);
    const first = await manager.downloadModel(QWEN2VL.id, QWEN2VL_FILES.w8a8);
    const second = await manager.downloadModel(QWEN2VL.id, QWEN2VL_FILES.w4a16);
    assert.deepEqual(first.encoders, [QWEN2VL_FILES.vision], "an encoder naming no chip pairs");
    assert.deepEqual(second.encoders, [QWEN2VL_FILES.vision]);
    const removed = await manager.removeModel(QWEN2VL_FILES.w8a8);
    assert.deepEqual(removed.removedFiles, [first.path]);
    assert.ok(existsSync(join(first.dir, QWEN2VL_FILES.vision)));
    const last = await manager.removeModel(QWEN2VL_FILES.w4a16);
    assert.equal(last.removedDirectory, true);
    assert.ok(last.removedFiles.includes(join(first.dir, QWEN2VL_FILES.vision)));
    assert.ok(last.removedFiles.includes(join(first.dir, "chat_template.jinja")));
    assert.deepEqual(readdirSync(modelsDir), [], "nothing is left behind");
  });
});

describe("clean with companions and encoders", () => {
  let hub: HubServer;
  let root: string;
  before(async () => {
    hub = await startHubServer({ repos: [INTERNVL] });
    root = makeTempDir();
  });
  after(async () => {
    await hub.close();
    removeDir(root);
  });

  it("removes the recorded companions and encoders too, leaving no directory behind", async () => {
    const modelsDir = join(root, "models");
    const { manager } = managerFor(hub, modelsDir);
    await manager.downloadModel(INTERNVL.id, INTERNVL_FILES.rk3588);
    await manager.downloadModel(INTERNVL.id, INTERNVL_FILES.rk3576);
    const report = await manager.cleanModels();
    assert.ok(report.removedFiles.some((file) => file.endsWith(INTERNVL_FILES.vision3576)));
    assert.ok(report.removedFiles.some((file) => file.endsWith("chat_template.jinja")));
    assert.deepEqual(readdirSync(modelsDir), []);
  });
});

describe("the registry record format", () => {
  let hub: HubServer;
  let root: string;
  let count = 0;
  const newDir = () => join(root, `models-${count++}`);

  before(async () => {
    hub = await startHubServer({ repos: [QWEN3] });
    root = makeTempDir();
  });
  after(async () => {
    await hub.close();
    removeDir(root);
  });

  /** Rewrites a record as the previous version wrote it (format 1: files only), plus unknown fields. */
  function downgradeRecord(repoDir: string): void {
    const record = recordOf(repoDir);
    delete record.models;
    record.version = 1;
    record.writtenBy = { tool: "a future tool", note: "unknown fields are ignored" };
    for (const entry of Object.values(record.files) as Record<string, unknown>[]) {
      entry.mode = "unknown";
    }
    writeFileSync(join(repoDir, ".rkllm-models.json"), JSON.stringify(record));
  }

  it("still lists, verifies and removes a model recorded by the previous format", async () => {
    const modelsDir = newDir();
    const { manager, warnings } = managerFor(hub, modelsDir);
    const model = await manager.downloadModel(QWEN3.id, QWEN3_FILES.w8a8);
    downgradeRecord(model.dir);
    const [listed] = await manager.listModels();
    assert.equal(listed.recorded, true);
    assert.equal(listed.sha256, model.sha256);
    assert.deepEqual(listed.companionFiles, TECHNICAL, "format 1 knew the technical files");
    assert.deepEqual(listed.encoders, []);
    const [verdict] = await manager.verifyModel();
    assert.ok(verdict.ok, JSON.stringify(verdict.files));
    // Format 1 recorded the companions' files too: they are checked as well.
    assert.ok(verdict.files.some((file) => file.file === "generation_config.json"));

    // A download beside it upgrades the record; the old entries keep their meaning.
    await manager.downloadModel(QWEN3.id, QWEN3_FILES.w8a8_g256);
    const upgraded = recordOf(model.dir);
    assert.equal(upgraded.version, 2);
    assert.equal(upgraded.files[QWEN3_FILES.w8a8].sha256, model.sha256);
    assert.deepEqual(Object.keys(upgraded.models), [QWEN3_FILES.w8a8_g256]);
    assert.ok((await manager.verifyModel()).every((item) => item.ok));

    await manager.removeModel(QWEN3_FILES.w8a8_g256);
    const last = await manager.removeModel(QWEN3_FILES.w8a8);
    assert.equal(last.removedDirectory, true, "the companions went with the last model");
    assert.ok(last.removedFiles.includes(join(model.dir, "chat_template.jinja")));
    assert.deepEqual(warnings, []);
  });

  it("reports a record of a newer major version, naming it, and never rewrites it", async () => {
    const modelsDir = newDir();
    const { manager, warnings } = managerFor(hub, modelsDir);
    const model = await manager.downloadModel(QWEN3.id, QWEN3_FILES.w8a8);
    const recordPath = join(model.dir, ".rkllm-models.json");
    const newer = JSON.stringify({ version: 3, layout: "something else entirely" });
    writeFileSync(recordPath, newer);

    const [listed] = await manager.listModels();
    assert.equal(listed.recorded, false, "a newer record is not read as this format");
    assert.ok(warnings.some((warning) => warning.includes(recordPath) && /newer/.test(warning)));
    await manager.downloadModel(QWEN3.id, QWEN3_FILES.w8a8_g128);
    await manager.downloadModel(QWEN3.id, QWEN3_FILES.w8a8, { force: true });
    assert.equal(readFileSync(recordPath, "utf8"), newer, "downloads leave it alone");
    await manager.removeModel(QWEN3_FILES.w8a8_g128);
    await manager.removeModel(QWEN3_FILES.w8a8);
    assert.equal(readFileSync(recordPath, "utf8"), newer, "removals leave it alone");
  });
});
