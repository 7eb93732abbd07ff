/**
 * A child process of a test has a bounded lifetime: a CLI that never exits is killed, and the
 * test waiting for it fails with the command line, rather than stalling the run.
 */
import { after, describe } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { boundLifetime, finished, startCli } from "./support/cli_process.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";
import { it } from "./support/test_timeout.ts";

describe("a child that outlives its bound", () => {
  const root = makeTempDir("rkllm-lifetime-");
  after(() => removeDir(root));

  it("a CLI that never exits is killed and its wait fails, naming the command", async () => {
    // serve runs until it is stopped.
    const child = startCli(["serve", "--port", "0", "--dir", root], { lifetimeMs: 1000 });
    await assert.rejects(finished(child), (error: Error) => {
      assert.match(error.message, /^rkllm-models serve --port 0 --dir \S+ was still running/);
      return true;
    });
    assert.equal(child.signalCode, "SIGKILL");
  });

  it("any child waited for is bounded, by its own bound when it has one", async () => {
    const child = spawn("sleep", ["600"], { stdio: ["ignore", "pipe", "pipe"] });
    boundLifetime(child, "sleep 600", 500);
    await assert.rejects(finished(child), /^Error: sleep 600 was still running after 500 ms/);
    assert.equal(child.signalCode, "SIGKILL");
  });

  it("a child that exits in time resolves as before", async () => {
    const child = spawn("sh", ["-c", "echo out; echo err >&2; exit 3"]);
    assert.deepEqual(await finished(child), { code: 3, stdout: "out\n", stderr: "err\n" });
  });
});
