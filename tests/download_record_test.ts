/**
 * The repository record lists only files that are on disk and verified: a
 * download whose model file fails its hash every time fails, and leaves no
 * record naming that file (nor any other file that is not in place).
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { deterministicBytes, type HubRepoSpec, sha256Hex } from "./support/hub_server.ts";
import { fileSha256, managerFor, rejectsWithCode } from "./support/download_harness.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { readRepoRecord } from "../src/store/registry.ts";
import { RuntimeDetector } from "../src/runtime/detect_runtime.ts";

const MODEL_FILE = "Record-Model-rk3588-w8a8.rkllm";
const MODEL = deterministicBytes(3 * 1024 * 1024 + 99, 77);
const RECORDED: HubRepoSpec = {
  id: "test-org/Record-Model-rk3588",
  files: [
    { path: "config.json", content: JSON.stringify({ model_type: "qwen2" }) },
    { path: "tokenizer.json", content: JSON.stringify({ version: "1.0" }) },
    { path: MODEL_FILE, content: MODEL },
  ],
};

describe("the repository record after a failed download", () => {
  const bed = useHubTestBed({ repos: [RECORDED] });

  it("does not list a file that failed its hash, nor any file not in place", async () => {
    const dir = bed.newDir();
    // The CDN flips bytes of the model file on every request: both attempts fail their hash.
    bed.hub.addFault({ origin: "cdn", pathIncludes: MODEL_FILE, corrupt: true });
    const { manager } = managerFor(bed.hub, dir);
    await rejectsWithCode(manager.downloadModel(RECORDED.id), "integrity");
    const repoDir = join(dir, ...RECORDED.id.split("/"));
    assert.ok(!existsSync(join(repoDir, MODEL_FILE)), "the corrupt model is not in place");

    const record = await readRepoRecord(RuntimeDetector.current(), repoDir);
    const listed = Object.entries(record?.files ?? {});
    assert.ok(!listed.some(([file]) => file === MODEL_FILE), "the record omits the failed file");
    for (const [file, entry] of listed) {
      const path = join(repoDir, ...file.split("/"));
      assert.ok(existsSync(path), `${file}, listed in the record, is on disk`);
      if (entry.sha256) assert.equal(fileSha256(path), entry.sha256, `${file} is verified`);
    }

    // The same download without the fault records every file, each in place and verified.
    bed.hub.clearFaults();
    await manager.downloadModel(RECORDED.id);
    const complete = await readRepoRecord(RuntimeDetector.current(), repoDir);
    assert.deepEqual(
      Object.keys(complete?.files ?? {}).sort(),
      RECORDED.files.map((f) => f.path).sort(),
    );
    assert.equal(complete?.files[MODEL_FILE].sha256, sha256Hex(MODEL));
  });
});
