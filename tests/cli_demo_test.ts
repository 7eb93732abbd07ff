import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { RuntimeDetector } from "../src/runtime/detect_runtime.ts";
import { type CliResult, finished, ROOT } from "./support/cli_process.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

const DEMO = fileURLToPath(new URL("./support/demo.ts", import.meta.url));
const MODEL = "Qwen2.5-0.5B-Instruct-rk3588-w8a8-opt-0-hybrid-ratio-0.0.rkllm";
const REPO = "limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4";

/** Runs the demo on this runtime, as `npm run demo` does on Deno. */
function runDemo(args: string[]): Promise<CliResult> {
  const prefix = RuntimeDetector.detect() === "deno" ? ["run", "-A"] : [];
  const env: Record<string, string | undefined> = {
    ...process.env,
    HF_HUB_OFFLINE: "1",
    HF_TOKEN: "hf_must_not_reach_the_demo",
  };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, [...prefix, DEMO, ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return finished(child);
}

describe("npm run demo", () => {
  it("downloads, lists and verifies the sample model from a loopback Hub, and exits 0", async () => {
    const root = makeTempDir();
    try {
      const dir = join(root, "kept");
      const result = await runDemo(["--dir", dir, "--bytes-per-second", "0"]);
      assert.equal(result.code, 0, result.stdout + result.stderr);
      for (const command of ["files", "download", "list", "verify"]) {
        assert.match(result.stdout, new RegExp(`^\\$ rkllm-models ${command}`, "m"));
      }
      assert.match(
        result.stdout,
        new RegExp(
          `^${MODEL.replace(/\.rkllm$/, "").replace(/\./g, "\\.")} +3\\.0 MiB +\\d{4}-`,
          "m",
        ),
      );
      assert.match(result.stdout, /^ok +Qwen2\.5-0\.5B-Instruct-rk3588-w8a8/m);
      assert.match(result.stdout, /^Done: the Hub is stopped\.$/m);
      assert.ok(existsSync(join(dir, REPO, MODEL)), "--dir keeps the model");
    } finally {
      removeDir(root);
    }
  });

  it("works in a temporary models directory that it removes, and refuses unknown arguments", async () => {
    const result = await runDemo(["--bytes-per-second", "0"]);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    const dir = /^Models go to (\S+) \(removed at the end\)\.$/m.exec(result.stdout)?.[1];
    assert.ok(dir, result.stdout);
    assert.ok(!existsSync(dir));
    const refused = await runDemo(["--frobnicate"]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /^unknown argument "--frobnicate"\nusage: demo\.ts/);
  });
});
