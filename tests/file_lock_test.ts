/**
 * The lock between processes that download into one repo directory: who holds
 * it, when a holder is gone for sure (its process ended, or the machine booted
 * since), and a lock directory removed by another process meanwhile.
 */
import { after, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { acquireLock } from "../src/store/file_lock.ts";
import { RuntimeDetector } from "../src/runtime/detect_runtime.ts";
import { BOOT_ID_PATH, type Runtime } from "../src/runtime/runtime.ts";
import { rejectsWithCode } from "./support/download_harness.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

/** The real runtime, on a machine whose current boot is `bootId`. */
function bootedAs(bootId: string | undefined): Runtime {
  return { ...RuntimeDetector.current(), bootId: () => bootId };
}

/** A lock file held by this very process (alive) on this host, taken during boot `bootId`. */
function heldByMe(path: string, bootId: string): void {
  const runtime = RuntimeDetector.current();
  writeFileSync(
    path,
    JSON.stringify({
      pid: process.pid,
      host: runtime.hostname(),
      bootId,
      since: new Date(Date.now() - 3_600_000).toISOString(),
      purpose: "download",
    }),
  );
}

function holderOf(path: string): { pid: number; bootId?: string } {
  return JSON.parse(readFileSync(path, "utf8"));
}

describe("the download lock", () => {
  const root = makeTempDir();
  after(() => removeDir(root));
  let count = 0;
  const newLock = () => join(root, `lock-${count++}.lock`);

  it("takes over a lock whose process id is alive but was taken before the machine booted", async () => {
    const path = newLock();
    heldByMe(path, "boot-before-the-power-cut");
    const runtime = bootedAs("boot-after-the-power-cut");
    const lock = await acquireLock(runtime, path, { pollMs: 10, timeoutMs: 2000 });
    assert.equal(holderOf(path).bootId, "boot-after-the-power-cut", "the lock is ours now");
    await lock.release();
    assert.ok(!existsSync(path));
  });

  it("waits for a live process of the same boot, and for one whose boot is unknown", async () => {
    for (const [theirs, ours] of [["boot-a", "boot-a"], ["boot-a", undefined]] as const) {
      const path = newLock();
      heldByMe(path, theirs);
      const waited: number[] = [];
      await rejectsWithCode(
        acquireLock(bootedAs(ours), path, {
          pollMs: 10,
          timeoutMs: 100,
          onWait: (holder) => waited.push(holder.pid),
        }),
        "locked",
      );
      assert.deepEqual(waited, [process.pid], `told who holds it (${theirs} / ${ours})`);
      assert.equal(holderOf(path).bootId, theirs, "the live holder's lock is left alone");
    }
  });

  it("records the boot id of this machine where the system states one", async () => {
    const runtime = RuntimeDetector.current();
    const path = newLock();
    const lock = await acquireLock(runtime, path);
    const expected = existsSync(BOOT_ID_PATH)
      ? readFileSync(BOOT_ID_PATH, "utf8").trim()
      : undefined;
    assert.equal(runtime.bootId(), expected);
    assert.equal(holderOf(path).bootId, expected);
    assert.equal(holderOf(path).pid, process.pid);
    await lock.release();
  });

  it("creates the lock's directory again when another process removed it meanwhile", async () => {
    const dir = join(root, "owner", "repo");
    const path = join(dir, ".rkllm-models.lock");
    rmSync(join(root, "owner"), { recursive: true, force: true });
    const lock = await acquireLock(RuntimeDetector.current(), path, { timeoutMs: 2000 });
    assert.ok(existsSync(path), "the lock file exists in the recreated directory");
    assert.equal(holderOf(path).pid, process.pid);
    await lock.release();
    assert.ok(!existsSync(path));
  });
});
