/**
 * A ModelScope download outlives its process as a Hub download does: `kill -9` of the real
 * CLI once half of the model is saved over four connections, then a rerun that asks the
 * storage host for exactly the bytes the saved state did not claim, and takes over the
 * dead process's lock.
 */
import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { deterministicBytes } from "./support/hub_server.ts";
import { finished, runCli, startCli } from "./support/cli_process.ts";
import { assertSameBytes, savedBytes, waitFor } from "./support/download_harness.ts";
import { type ModelScopeEmulator, startModelScope } from "./support/modelscope/emulator.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

const MIB = 1024 * 1024;
/** A 64 MiB model: sixteen planned 4 MiB pieces. */
const SIZE = 64 * MIB;
const MODEL = deterministicBytes(SIZE, 257);
const MODEL_FILE = "Halved-Model-rk3588-w4a16.rkllm";
const REPO = "radxa/Halved-Model-RKLLM";
/** Bytes each request after the first eight sends before the emulator holds it. */
const HELD_AFTER = 3 * MIB;

describe("a ModelScope download across process death", () => {
  let ms: ModelScopeEmulator;
  let root: string;
  before(async () => {
    root = makeTempDir("rkllm-modelscope-resume-");
    ms = await startModelScope({
      repos: [{
        id: REPO,
        files: [{ path: "config.json", content: "{}" }, { path: MODEL_FILE, content: MODEL }],
      }],
    });
  });
  after(async () => {
    await ms.close();
    removeDir(root);
  });

  it("resumes after kill -9 once half is saved, fetching only what the state lacks", {
    timeout: 90_000,
  }, async () => {
    const dir = join(root, "models");
    const destination = join(dir, ...REPO.split("/"), MODEL_FILE);
    const env = { MODELSCOPE_ENDPOINT: ms.endpoint, HF_ENDPOINT: "http://127.0.0.1:9" };
    const args = ["download", "--source", "modelscope", REPO, "--dir", dir];
    // Four connections take the sixteen pieces in file order. The first eight pieces come
    // whole; the next requests send 3 MiB each (at 1 MiB/s, so the state is saved as they
    // arrive) and are then held until the client goes: the download cannot end.
    ms.addFault({
      origin: "storage",
      pathIncludes: MODEL_FILE,
      rangeRequestsOnly: true,
      skip: 8,
      stallAfterBytes: HELD_AFTER,
      bytesPerSecond: MIB,
    });
    const child = startCli([...args, "--quiet", "--connections", "4"], { env, cwd: root });
    const exited = finished(child);
    await waitFor(() => savedBytes(destination) >= SIZE / 2, "half of the file to be saved");
    child.kill("SIGKILL");
    const killed = await exited;
    assert.equal(killed.code, 137, killed.stderr);
    const lock = join(dir, ...REPO.split("/"), ".rkllm-models.lock");
    assert.equal(JSON.parse(readFileSync(lock, "utf8")).pid, child.pid, "the lock was left");
    ms.clearFaults();
    const claimed = savedBytes(destination);
    assert.ok(claimed >= SIZE / 2 && claimed < SIZE, `the state claims ${claimed}`);

    // One connection takes the missing ranges one after the other: nothing is split or
    // fetched twice, so every byte served is one the state did not claim.
    const from = ms.requests.length;
    const rerun = await runCli([...args, "--json", "--connections", "1"], { env, cwd: root });
    assert.equal(rerun.code, 0, rerun.stderr);
    const served = ms.requests.slice(from)
      .filter((request) =>
        request.origin === "storage" && request.path.endsWith(MODEL_FILE) &&
        request.status >= 200 && request.status < 300
      )
      .reduce((sum, request) => sum + request.bodyBytes, 0);
    assert.equal(served, SIZE - claimed, "only the missing bytes");
    assertSameBytes(destination, MODEL, "the resumed model");
    assert.ok(!existsSync(lock), "the dead process's lock was taken over");
  });
});
