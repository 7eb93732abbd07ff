/**
 * ModelScope as a second source, against the loopback ModelScope emulator: the
 * listing, a download verified against the listing's `Sha256`, a corrupt byte
 * refused, a resumed download, where the token goes, and the errors users meet.
 */
import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { deterministicBytes } from "./support/hub/byte_source.ts";
import { type ModelScopeEmulator, startModelScope } from "./support/modelscope/emulator.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";
import { rejectsWithCode, savedBytes, waitFor } from "./support/download_harness.ts";
import { finished, runCli, startCli } from "./support/cli_process.ts";
import { ModelManager } from "../src/model_manager.ts";
import { readRepoRecord } from "../src/store/registry.ts";
import { RuntimeDetector } from "../src/runtime/detect_runtime.ts";

const TOKEN = "ms-test-token";
const MODEL_FILE = "Qwen2-VL-2B-rk3588-w8a8.rkllm";
const ENCODER_FILE = "Qwen2-VL-2B-vision_rk3588.rknn";
const MODEL = deterministicBytes(12 * 1024 * 1024 + 77, 31);
const PUBLIC_ID = "radxa/Qwen2-VL-2B-RKLLM";
const PRIVATE_ID = "radxa/Private-RKLLM";
const FILES = [
  { path: MODEL_FILE, content: MODEL },
  { path: ENCODER_FILE, content: deterministicBytes(300 * 1024, 5) },
  { path: "config.json", content: JSON.stringify({ model_type: "qwen2_vl" }) },
  { path: "docs/README.md", content: "# docs" },
];

const SPACED_FILE = "w8a8 v2/Spaced+Model-rk3588-w8a8.rkllm";
const SPACED = deterministicBytes(70 * 1024, 9);

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

describe("ModelScope as a source", () => {
  let ms: ModelScopeEmulator;
  let root: string;
  let dirs = 0;
  before(async () => {
    root = makeTempDir("rkllm-modelscope-");
    ms = await startModelScope({
      token: TOKEN,
      repos: [
        { id: PUBLIC_ID, files: FILES },
        { id: PRIVATE_ID, private: true, files: FILES.slice(0, 1) },
      ],
    });
  });
  after(async () => {
    await ms.close();
    removeDir(root);
  });

  function manager(options: { token?: string; attempts?: number } = {}): {
    manager: ModelManager;
    dir: string;
  } {
    const dir = join(root, `models-${++dirs}`);
    const made = new ModelManager({
      source: "modelscope",
      modelsDir: dir,
      endpoint: ms.endpoint,
      token: options.token ?? "",
      retry: { attempts: options.attempts ?? 3, baseDelayMs: 5, maxDelayMs: 20 },
      onWarning: () => {},
    });
    return { manager: made, dir };
  }

  it("lists every file recursively with its size and SHA-256, directories left out", async () => {
    const { files, info } = await manager().manager.listRemoteFiles(PUBLIC_ID);
    assert.equal(info.sha, "master");
    const byPath = new Map(files.map((file) => [file.path, file]));
    assert.deepEqual([...byPath.keys()].sort(), FILES.map((file) => file.path).sort());
    assert.equal(byPath.get(MODEL_FILE)?.size, MODEL.length);
    assert.equal(byPath.get(MODEL_FILE)?.sha256, sha256(MODEL));
  });

  it("downloads a model in parallel ranges, verified, its encoder and config beside it, the source recorded", async () => {
    const { manager: made, dir } = manager();
    const model = await made.downloadModel(PUBLIC_ID, undefined, {
      connections: 3,
      parallelThreshold: 256 * 1024,
    });
    assert.equal(sha256(readFileSync(model.path)), sha256(MODEL));
    const repoDir = join(dir, "radxa", "Qwen2-VL-2B-RKLLM");
    assert.ok(existsSync(join(repoDir, ENCODER_FILE)), "the vision encoder came along");
    assert.ok(existsSync(join(repoDir, "config.json")), "the config came along");
    const record = await readRepoRecord(RuntimeDetector.current(), repoDir);
    assert.equal(record?.source, "modelscope");
    assert.equal(record?.files[MODEL_FILE].sha256, sha256(MODEL));
    const ranges = ms.requests.filter((request) =>
      request.origin === "storage" && request.url.includes(sha256(MODEL)) && request.range
    );
    assert.ok(ranges.length >= 2, "the model came in several ranges from the storage host");
  });

  it("refuses a model whose bytes do not match the listing's Sha256, and leaves nothing in place", async () => {
    ms.addFault({ origin: "storage", pathIncludes: MODEL_FILE, corrupt: true });
    try {
      const { manager: made, dir } = manager();
      await rejectsWithCode(made.downloadModel(PUBLIC_ID), "integrity");
      assert.ok(!existsSync(join(dir, "radxa", "Qwen2-VL-2B-RKLLM", MODEL_FILE)));
    } finally {
      ms.clearFaults();
    }
  });

  it("resumes an interrupted download from the bytes already on disk", async () => {
    const { manager: first, dir } = manager({ attempts: 1 });
    ms.addFault({ origin: "storage", pathIncludes: MODEL_FILE, shortAfterBytes: 2 * 1024 * 1024 });
    try {
      await rejectsWithCode(first.downloadModel(PUBLIC_ID), "network");
    } finally {
      ms.clearFaults();
    }
    const seen = ms.requests.length;
    const again = new ModelManager({
      source: "modelscope",
      modelsDir: dir,
      endpoint: ms.endpoint,
      token: "",
      onWarning: () => {},
    });
    const model = await again.downloadModel(PUBLIC_ID);
    assert.equal(sha256(readFileSync(model.path)), sha256(MODEL));
    const resumed = ms.requests.slice(seen).filter((request) =>
      request.origin === "storage" && request.url.includes(sha256(MODEL))
    );
    assert.ok(resumed.length > 0);
    for (const request of resumed) {
      const start = Number(/^bytes=(\d+)-/.exec(request.range ?? "")?.[1] ?? 0);
      assert.ok(start > 0, `the second run asked only for missing bytes (${request.range})`);
    }
  });

  it("sends the token to the API host (cookie m_session_id and Bearer) and never to the storage host", async () => {
    const seen = ms.requests.length;
    const { manager: made } = manager({ token: TOKEN });
    await made.downloadModel(PRIVATE_ID);
    const requests = ms.requests.slice(seen);
    const api = requests.filter((request) => request.origin === "api");
    const storage = requests.filter((request) => request.origin === "storage");
    assert.ok(api.length > 0 && storage.length > 0);
    for (const request of api) {
      assert.equal(request.authorization, `Bearer ${TOKEN}`);
      assert.equal(request.cookie, `m_session_id=${TOKEN}`);
    }
    for (const request of storage) {
      assert.equal(request.authorization, undefined);
      assert.equal(request.cookie, undefined);
    }
  });

  it("answers typed errors for a private model without a token, and an unknown model, revision or file", async () => {
    const { manager: made } = manager();
    const denied = await rejectsWithCode(made.downloadModel(PRIVATE_ID), "auth");
    assert.equal(denied.status, 403);
    await rejectsWithCode(made.downloadModel("radxa/No-Such-Model"), "repo_not_found");
    await rejectsWithCode(
      made.downloadModel(PUBLIC_ID, undefined, { revision: "v9" }),
      "repo_not_found",
    );
    await rejectsWithCode(made.downloadModel(PUBLIC_ID, "nope.rkllm"), "file_not_found");
  });
});

describe("the CLI with --source modelscope", () => {
  let ms: ModelScopeEmulator;
  let root: string;
  before(async () => {
    root = makeTempDir("rkllm-modelscope-cli-");
    ms = await startModelScope({
      token: TOKEN,
      repos: [{ id: PRIVATE_ID, private: true, files: FILES.slice(2) }, {
        id: PUBLIC_ID,
        files: FILES,
      }],
    });
  });
  after(async () => {
    await ms.close();
    removeDir(root);
  });

  it("lists and downloads from MODELSCOPE_ENDPOINT with MODELSCOPE_API_TOKEN, and never asks the Hub", async () => {
    const env = {
      MODELSCOPE_ENDPOINT: ms.endpoint,
      MODELSCOPE_API_TOKEN: TOKEN,
      HF_ENDPOINT: "http://127.0.0.1:9",
    };
    const dir = join(root, "models");
    const files = await runCli(["files", "--source", "modelscope", PUBLIC_ID, "--json"], { env });
    assert.equal(files.code, 0, files.stderr);
    assert.ok(files.stdout.includes(MODEL_FILE));
    const done = await runCli(
      ["download", "--source", "modelscope", PUBLIC_ID, "--dir", dir, "--json", "--quiet"],
      { env },
    );
    assert.equal(done.code, 0, done.stderr);
    const path = join(dir, "radxa", "Qwen2-VL-2B-RKLLM", MODEL_FILE);
    assert.equal(sha256(readFileSync(path)), sha256(MODEL));
    const api = ms.requests.filter((request) => request.origin === "api");
    assert.ok(api.every((request) => request.authorization === `Bearer ${TOKEN}`));
  });

  it("resumes after kill -9 from the bytes the saved state claims, asking the storage host only for the rest", async () => {
    const env = { MODELSCOPE_ENDPOINT: ms.endpoint };
    const dir = join(root, "killed");
    const destination = join(dir, "radxa", "Qwen2-VL-2B-RKLLM", MODEL_FILE);
    ms.addFault({
      origin: "storage",
      pathIncludes: MODEL_FILE,
      stallAfterBytes: 6 * 1024 * 1024,
      bytesPerSecond: 8 * 1024 * 1024,
    });
    const args = ["download", "--source", "modelscope", PUBLIC_ID, "--dir", dir, "--quiet"];
    const child = startCli([...args, "--connections", "1"], { env });
    const exited = finished(child);
    await waitFor(() => savedBytes(destination) > 0, "some of the model to be saved");
    child.kill("SIGKILL");
    assert.equal((await exited).code, 137);
    ms.clearFaults();
    const claimed = savedBytes(destination);
    const from = ms.requests.length;
    const rerun = await runCli([...args, "--json", "--connections", "1"], { env });
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.equal(sha256(readFileSync(destination)), sha256(MODEL));
    const asked = ms.requests.slice(from).filter((request) =>
      request.origin === "storage" && request.url.includes(sha256(MODEL))
    );
    assert.deepEqual(asked.map((request) => request.range), [
      `bytes=${claimed}-${MODEL.length - 1}`,
    ]);
  });

  it("searches ModelScope's models by text and keeps the RKLLM conversions", async () => {
    const env = { MODELSCOPE_ENDPOINT: ms.endpoint, HF_ENDPOINT: "http://127.0.0.1:9" };
    const found = await runCli(["search", "--source", "modelscope", "qwen2", "--json"], { env });
    assert.equal(found.code, 0, found.stderr);
    assert.deepEqual(JSON.parse(found.stdout).map((hit: { id: string }) => hit.id), [PUBLIC_ID]);
  });

  it("never sends a Hugging Face token to ModelScope", async () => {
    const from = ms.requests.length;
    const env = { MODELSCOPE_ENDPOINT: ms.endpoint, HF_TOKEN: "hf_secret" };
    const files = await runCli(["files", "--source", "modelscope", PUBLIC_ID, "--json"], { env });
    assert.equal(files.code, 0, files.stderr);
    const sent = ms.requests.slice(from);
    assert.ok(sent.length > 0);
    assert.ok(sent.every((request) => !request.authorization && !request.cookie));
  });

  it("refuses an unknown source as a usage error, and a private model without a token as auth", async () => {
    const unknown = await runCli(["files", "--source", "gitee", PUBLIC_ID]);
    assert.equal(unknown.code, 2, unknown.stderr);
    const denied = await runCli(["files", "--source", "modelscope", PRIVATE_ID, "--json"], {
      env: { MODELSCOPE_ENDPOINT: ms.endpoint },
    });
    assert.equal(denied.code, 4, denied.stderr);
    assert.equal(JSON.parse(denied.stdout).error.code, "auth");
  });
});

describe("hostile and failing ModelScope answers", () => {
  let ms: ModelScopeEmulator;
  let root: string;
  before(async () => {
    root = makeTempDir("rkllm-modelscope-hostile-");
    ms = await startModelScope({
      repos: [
        {
          id: "radxa/Escape-RKLLM",
          files: FILES.slice(0, 1),
          listingExtra: [{ Type: "blob", Path: "../escape.json", Size: 2, Sha256: "a".repeat(64) }],
        },
        {
          id: "radxa/BadHash-RKLLM",
          files: FILES.slice(0, 1),
          listingExtra: [{ Type: "blob", Path: "x.json", Size: 2, Sha256: "not-a-hash" }],
        },
        { id: PUBLIC_ID, files: FILES.slice(2) },
        { id: "radxa/Spaced-RKLLM", files: [{ path: SPACED_FILE, content: SPACED }] },
      ],
    });
  });
  after(async () => {
    await ms.close();
    removeDir(root);
  });

  function manager(dir: string): ModelManager {
    return new ModelManager({
      source: "modelscope",
      modelsDir: dir,
      endpoint: ms.endpoint,
      token: "",
      retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
      onWarning: () => {},
    });
  }

  it("refuses a listing with a path that leaves the repository, or a malformed Sha256, and writes nothing", async () => {
    const dir = join(root, "models");
    await rejectsWithCode(manager(dir).downloadModel("radxa/Escape-RKLLM"), "integrity");
    await rejectsWithCode(manager(dir).downloadModel("radxa/BadHash-RKLLM"), "integrity");
    assert.ok(!existsSync(join(dir, "radxa")), "nothing was written");
  });

  it("downloads a file whose path has a space, a plus and a folder (form-encoded FilePath)", async () => {
    const model = await manager(join(root, "spaced")).downloadModel("radxa/Spaced-RKLLM");
    assert.equal(model.file, SPACED_FILE);
    assert.equal(sha256(readFileSync(model.path)), sha256(SPACED));
  });

  it("retries a 503 of the API and then succeeds; gives up as a network error when it lasts", async () => {
    const before = ms.requests.length;
    ms.failApi(503, 503);
    const { files } = await manager(join(root, "retry")).listRemoteFiles(PUBLIC_ID);
    assert.equal(files.length, 2);
    const statuses = ms.requests.slice(before).map((request) => request.status);
    assert.deepEqual(statuses.slice(0, 3), [503, 503, 200]);
    ms.failApi(503, 503, 503);
    await rejectsWithCode(manager(join(root, "retry")).listRemoteFiles(PUBLIC_ID), "network");
  });

  it("refuses an HTTP 200 whose envelope says Success false", async () => {
    ms.failApi(200);
    await rejectsWithCode(manager(join(root, "envelope")).listRemoteFiles(PUBLIC_ID), "network");
  });
});

describe("outdated and update with --source modelscope", () => {
  let ms: ModelScopeEmulator;
  let root: string;
  before(async () => {
    root = makeTempDir("rkllm-modelscope-outdated-");
    ms = await startModelScope({ repos: [{ id: PUBLIC_ID, files: FILES.slice(1) }] });
  });
  after(async () => {
    await ms.close();
    removeDir(root);
  });

  it("reports a file changed on ModelScope, updates it, and leaves ModelScope models out of a Hugging Face check", async () => {
    const dir = join(root, "models");
    const env = { MODELSCOPE_ENDPOINT: ms.endpoint, HF_ENDPOINT: "http://127.0.0.1:9" };
    const file = ENCODER_FILE.replace(".rknn", ".rkllm");
    ms.setFile(PUBLIC_ID, { path: file, content: deterministicBytes(64 * 1024, 8) });
    const common = ["--source", "modelscope", "--dir", dir, "--json"];
    assert.equal((await runCli(["download", PUBLIC_ID, file, ...common], { env })).code, 0);
    ms.setFile(PUBLIC_ID, { path: "config.json", content: JSON.stringify({ changed: true }) });
    const outdated = await runCli(["outdated", ...common], { env });
    assert.equal(outdated.code, 0, outdated.stderr);
    assert.deepEqual(
      JSON.parse(outdated.stdout).map((report: { status: string }) => report.status),
      [
        "outdated",
      ],
    );
    const updated = await runCli(["update", ...common], { env });
    assert.equal(updated.code, 0, updated.stderr);
    const again = await runCli(["outdated", ...common], { env });
    assert.deepEqual(JSON.parse(again.stdout).map((report: { status: string }) => report.status), [
      "current",
    ]);
    const huggingFace = await runCli(["outdated", "--dir", dir, "--json"], { env });
    assert.equal(huggingFace.code, 0, huggingFace.stderr);
    assert.deepEqual(JSON.parse(huggingFace.stdout), []);
    assert.match(huggingFace.stderr, /--source modelscope/);
  });
});

describe("the user config's source", () => {
  let ms: ModelScopeEmulator;
  let root: string;
  before(async () => {
    root = makeTempDir("rkllm-modelscope-config-");
    ms = await startModelScope({ repos: [{ id: PUBLIC_ID, files: FILES.slice(2) }] });
  });
  after(async () => {
    await ms.close();
    removeDir(root);
  });

  it("makes ModelScope the default once set, and refuses a source it does not know", async () => {
    const env = {
      XDG_CONFIG_HOME: join(root, "config"),
      MODELSCOPE_ENDPOINT: ms.endpoint,
      HF_ENDPOINT: "http://127.0.0.1:9",
    };
    const wrong = await runCli(["config", "set", "source", "gitee"], { env });
    assert.equal(wrong.code, 2, wrong.stderr);
    assert.equal((await runCli(["config", "set", "source", "modelscope"], { env })).code, 0);
    const files = await runCli(["files", PUBLIC_ID, "--json"], { env });
    assert.equal(files.code, 0, files.stderr);
    assert.ok(files.stdout.includes("config.json"));
  });
});

describe("a suggested repository published on ModelScope", () => {
  let root: string;
  before(() => {
    root = makeTempDir("rkllm-modelscope-suggest-");
  });
  after(() => removeDir(root));

  it("is suggested with its source, and a source the tool does not know is refused", async () => {
    const config = (source: string) =>
      JSON.stringify({
        REPOSITORY_SUGGESTIONS: [{ repo: PUBLIC_ID, description: "Qwen2-VL 2B", source }],
        EXAMPLE_MODEL_FILES: [],
      });
    const good = join(root, "models.json");
    writeFileSync(good, config("modelscope"));
    const json = await runCli(["search", "--json"], { env: { RKLLM_MODELS_CONFIG: good } });
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout)[0].source, "modelscope");
    const table = await runCli(["search"], { env: { RKLLM_MODELS_CONFIG: good } });
    assert.ok(table.stdout.includes("--source modelscope"), table.stdout);
    const bad = join(root, "bad.json");
    writeFileSync(bad, config("gitee"));
    const refused = await runCli(["search", "--json"], { env: { RKLLM_MODELS_CONFIG: bad } });
    assert.notEqual(refused.code, 0);
    assert.equal(JSON.parse(refused.stdout).error.code, "config");
  });
});
