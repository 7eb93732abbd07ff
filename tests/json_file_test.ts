/**
 * The one JSON-file reader: every outcome (missing, unreadable, corrupt,
 * ill-shaped, fine) comes back as data, so each caller decides what it means.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readJsonFile } from "../src/store/json_file.ts";
import { RuntimeDetector } from "../src/runtime/detect_runtime.ts";

const runtime = RuntimeDetector.current();
const dir = mkdtempSync(join(tmpdir(), "json-file-"));
const named = (value: unknown) =>
  typeof (value as { name?: unknown })?.name === "string" ? undefined : "name is not a string";

describe("readJsonFile", () => {
  it("answers the parsed value when the shape check passes", async () => {
    const path = join(dir, "ok.json");
    writeFileSync(path, '{"name":"qwen"}');
    assert.deepEqual(await readJsonFile(runtime, path, { check: named }), {
      status: "ok",
      value: { name: "qwen" },
    });
  });

  it("answers missing with the runtime's ENOENT error", async () => {
    const read = await readJsonFile(runtime, join(dir, "absent.json"));
    assert.equal(read.status, "missing");
    assert.equal((read as { error: { code?: string } }).error.code, "ENOENT");
  });

  it("answers unreadable for a path that cannot be read as a file", async () => {
    const path = join(dir, "a-directory");
    mkdirSync(path);
    assert.equal((await readJsonFile(runtime, path)).status, "unreadable");
  });

  it("answers corrupt for text that is not JSON", async () => {
    const path = join(dir, "corrupt.json");
    writeFileSync(path, "{not json");
    assert.equal((await readJsonFile(runtime, path)).status, "corrupt");
  });

  it("answers invalid with the check's problem and the parsed value", async () => {
    const path = join(dir, "invalid.json");
    writeFileSync(path, '{"name":5}');
    assert.deepEqual(await readJsonFile(runtime, path, { check: named }), {
      status: "invalid",
      problem: "name is not a string",
      value: { name: 5 },
    });
  });
});
