/**
 * `RuntimeDetector.getInstance()` as documented: `detect()` answers the runtime
 * and its version, `getFileSystem()` reads and writes files, `getPath()` joins
 * paths; beside the static `detect()` and `current()`.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import process from "node:process";
import { RuntimeDetector } from "../mod.ts";

/** What this test process is, asked without the detector. */
function expected(): { type: string; version: string } {
  const global = globalThis as {
    Deno?: { version: { deno: string } };
    Bun?: { version: string };
  };
  if (global.Deno) return { type: "deno", version: global.Deno.version.deno };
  if (global.Bun) return { type: "bun", version: global.Bun.version };
  return { type: "node", version: process.versions.node };
}

describe("RuntimeDetector.getInstance()", () => {
  it("is one instance for the process", () => {
    assert.equal(RuntimeDetector.getInstance(), RuntimeDetector.getInstance());
  });

  it("detects the runtime's type and version, agreeing with the static API", () => {
    const info = RuntimeDetector.getInstance().detect();
    assert.deepEqual(info, expected());
    assert.match(info.version, /^\d+\.\d+\.\d+/);
    assert.equal(info.type, RuntimeDetector.detect());
    assert.equal(info.type, RuntimeDetector.current().name);
  });

  it("hands out a file system that writes, reads, lists and removes files", async () => {
    const detector = RuntimeDetector.getInstance();
    const fs = detector.getFileSystem();
    const path = detector.getPath();
    const dir = mkdtempSync(path.join(tmpdir(), "runtime-detector-"));
    const file = path.join(dir, "sub", "note.txt");
    await fs.mkdir(path.dirname(file));
    await fs.writeTextFile(file, "first, longer text");
    await fs.writeTextFile(file, "second");
    assert.equal(readFileSync(file, "utf8"), "second");
    assert.equal(await fs.readTextFile(file), "second");
    assert.deepEqual(await fs.readFile(file), new TextEncoder().encode("second"));
    assert.equal((await fs.stat(file)).size, 6);
    assert.deepEqual((await fs.readDir(path.dirname(file))).map((entry) => entry.name), [
      "note.txt",
    ]);
    assert.equal(await fs.exists(file), true);
    await fs.remove(file);
    assert.equal(await fs.exists(file), false);
  });

  it("offers to collect garbage on Bun, the one runtime that lets a program ask", () => {
    const runtime = RuntimeDetector.current();
    assert.equal(typeof runtime.collectGarbage === "function", expected().type === "bun");
    runtime.collectGarbage?.();
  });

  it("hands out POSIX path functions", () => {
    const path = RuntimeDetector.getInstance().getPath();
    assert.equal(path.join("/models", "o", "..", "n", "m.rkllm"), "/models/n/m.rkllm");
    assert.equal(path.basename("/models/n/m.rkllm", ".rkllm"), "m");
    assert.equal(path.extname("m.rkllm"), ".rkllm");
    assert.equal(path.dirname("/models/n/m.rkllm"), "/models/n");
    assert.equal(path.isAbsolute(path.resolve("relative")), true);
    assert.equal(path.relative("/a/b", "/a/c/d"), "../c/d");
    assert.equal(path.sep, "/");
  });
});
