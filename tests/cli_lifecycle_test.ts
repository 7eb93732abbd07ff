/**
 * How a CLI process ends when the world around it does: Ctrl-C while it hashes
 * a model, and a reader of its output that goes away (`list | head -1`).
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { QWEN, QWEN_FILE } from "./support/fixtures.ts";
import { cliCommand, cliEnvironment, exitStatus } from "./support/cli_process.ts";
import { pathIn, waitFor } from "./support/download_harness.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { skipWhen } from "./support/skips.ts";

const GIB = 1024 ** 3;
/** The registry record beside a downloaded model. */
const RECORD_FILE = ".rkllm-models.json";

/** Whether process `pid` has `path` open (Linux, through /proc). */
function hasOpen(pid: number, path: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

describe("the CLI process's end", () => {
  const bed = useHubTestBed({ repos: [QWEN] });

  it("exits 130 with a cancelled error when Ctrl-C stops the hashing of verify", {
    skip: skipWhen(
      "Ctrl-C during verify",
      !existsSync("/proc/self/fd") && "needs /proc to see when hashing starts",
    ),
  }, async () => {
    const dir = bed.newDir();
    assert.equal((await bed.cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
    // Grow the model to a sparse 8 GiB and record that size: hashing it takes seconds.
    const model = pathIn(dir, QWEN, QWEN_FILE);
    truncateSync(model, 8 * GIB);
    const recordPath = join(model, "..", RECORD_FILE);
    const record = JSON.parse(readFileSync(recordPath, "utf8"));
    record.files[QWEN_FILE].size = 8 * GIB;
    writeFileSync(recordPath, JSON.stringify(record));

    const child = bed.startCli(["verify", "--dir", dir]);
    let stderr = "";
    child.stderr!.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    const ended = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on("close", (code, signal) => resolve({ code, signal }))
    );
    await waitFor(() => hasOpen(child.pid!, model), "verify to start hashing the model");
    child.kill("SIGINT");
    const { code, signal } = await ended;
    // Deno's child_process reports an exit status of 130 as SIGINT; the message shows who ended it.
    assert.equal(exitStatus(code, signal), 130, stderr);
    assert.match(
      stderr,
      /^error: the operation was cancelled\nhint: \S/m,
      "the CLI handled Ctrl-C",
    );
    assert.doesNotMatch(stderr, /this is a bug/);
  });

  it("ends quietly with 0 when the reader of its output goes away after one line", async () => {
    // Enough models that the table outgrows the pipe's buffer.
    const store = bed.newDir("many");
    for (let repo = 0; repo < 30; repo++) {
      const repoDir = join(store, `owner-${repo}`, `Model-${repo}-rk3588`);
      mkdirSync(repoDir, { recursive: true });
      for (let model = 0; model < 100; model++) {
        writeFileSync(join(repoDir, `Model-${repo}-${model}-rk3588-w8a8-opt-0.rkllm`), "x");
      }
    }
    const status = join(bed.root, "list-status");
    // Killed after 60 s (status 137) if it never ends: the failure the test is after.
    const script = '( timeout -s KILL 60 "$@"; echo $? > "$STATUS_FILE" ) | head -n 1';
    const child = spawn("sh", ["-c", script, "sh", ...cliCommand(), "list", "--dir", store], {
      cwd: bed.root,
      env: cliEnvironment({ STATUS_FILE: status }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (stdout += text));
    child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
    await new Promise((resolve) => child.on("close", resolve));
    assert.match(stdout, /^NAME +SIZE +DOWNLOADED/);
    assert.equal(stdout.split("\n").filter(Boolean).length, 1, "head printed one line");
    assert.equal(readFileSync(status, "utf8").trim(), "0", stderr);
    assert.equal(stderr, "", "no error, no stack trace");
  });
});
