/**
 * Downloads on a disk that is too small, fills up, or is read-only: a
 * `storage` error (CLI exit 7) that says what to do, and a partial download
 * kept for the rerun. Uses small tmpfs mounts, so it needs root; elsewhere
 * the tests are skipped.
 */
import { describe, type TestContext } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statfsSync, writeSync } from "node:fs";
import { join } from "node:path";
import { bytesOf, QWEN, QWEN_FILE } from "./support/fixtures.ts";
import { finished } from "./support/cli_process.ts";
import {
  assertSameBytes,
  BIG,
  BIG_FILE,
  cancelBigDownloadAfter,
  managerFor,
  PARALLEL,
  partialOf,
  pathIn,
  rejectsWithCode,
  savedBytes,
  waitFor,
} from "./support/download_harness.ts";
import { mountTmpfs } from "./support/tmpfs.ts";
import { type Runtime, RuntimeDetector } from "../mod.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { skipTest } from "./support/skips.ts";

const MIB = 1024 * 1024;

function mib(bytes: number): string {
  return `${(bytes / MIB).toFixed(1)} MiB`;
}

/** Writes zeros into `dir` until its file system is full. */
function fillUp(dir: string): void {
  const fd = openSync(join(dir, "filler.bin"), "w");
  const block = new Uint8Array(64 * 1024);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOSPC") throw error;
  } finally {
    closeSync(fd);
  }
}

describe("downloads on a full or read-only disk", () => {
  const bed = useHubTestBed({ repos: [QWEN, BIG] });

  /** A fresh tmpfs of `sizeBytes`, or undefined (and the test skipped) where mounting is not allowed. */
  function smallDisk(
    t: TestContext,
    sizeBytes: number,
    options: { readOnly?: boolean } = {},
  ): string | undefined {
    const path = bed.newDir(options.readOnly ? "readonly" : "disk");
    mkdirSync(path);
    try {
      const mount = mountTmpfs(path, { sizeBytes, readOnly: options.readOnly });
      bed.defer(() => mount.unmount());
      return path;
    } catch {
      skipTest(t, `needs root to mount a ${options.readOnly ? "read-only" : "small"} tmpfs`);
      return undefined;
    }
  }

  it("refuses early when the bytes needed exceed the free space, stating both", async (t) => {
    const disk = smallDisk(t, 2 * MIB);
    if (!disk) return;
    const free = Number(statfsSync(disk).bavail) * Number(statfsSync(disk).bsize);
    const { manager } = managerFor(bed.hub, join(disk, "models"));
    const from = bed.hub.requests.length;
    const error = await rejectsWithCode(manager.downloadModel(QWEN.id), "storage");
    const needed = error.bytesNeeded as number;
    assert.ok(needed > bytesOf(QWEN, QWEN_FILE).length, `needs ${needed}`);
    const reported = error.freeBytes as number;
    // The repo directory and its lock take a few KiB of the tmpfs before the check.
    assert.ok(reported <= free && reported > free - 64 * 1024, `free ${reported} of ${free}`);
    assert.ok(error.message.includes(mib(needed)), error.message);
    assert.ok(error.message.includes(mib(reported)), error.message);
    assert.match(error.hint, /clean --partial/);
    assert.ok(
      bed.hub.requests.slice(from).every((request) =>
        request.origin === "hub" && request.path.startsWith("/api/")
      ),
      "no file was fetched",
    );
    assert.ok(!existsSync(partialOf(pathIn(join(disk, "models"), QWEN, QWEN_FILE)).part));

    const cli = await bed.cli(["download", QWEN.id, "--dir", join(disk, "models")]);
    assert.equal(cli.code, 7, cli.stderr);
    assert.ok(cli.stderr.includes(mib(reported)), cli.stderr);
  });

  it("exits 7 when the disk fills during a download, keeping the partial file", async (t) => {
    const disk = smallDisk(t, 6 * MIB);
    if (!disk) return;
    const dir = join(disk, "models");
    bed.hub.addFault({ origin: "cdn", bytesPerSecond: MIB });
    const from = bed.hub.requests.length;
    const child = bed.startCli(["download", QWEN.id, "--dir", dir]);
    const exited = finished(child);
    await waitFor(
      () =>
        bed.hub.requests.slice(from).some((request) =>
          request.origin === "cdn" && request.bodyBytes > 0
        ),
      "the model's bytes to flow",
    );
    fillUp(disk);
    const result = await exited;
    assert.equal(result.code, 7, result.stderr);
    assert.match(result.stderr, /disk is full/);
    assert.match(result.stderr, /hint: .*(free|clean)/);
    const partial = partialOf(pathIn(dir, QWEN, QWEN_FILE));
    assert.ok(
      existsSync(partial.part) && existsSync(partial.state),
      "the partial download is kept",
    );
    assert.ok(!existsSync(pathIn(dir, QWEN, QWEN_FILE)));

    rmSync(join(disk, "filler.bin"));
    bed.hub.clearFaults();
    const rerun = await bed.cli(["download", QWEN.id, "--dir", dir]);
    assert.equal(rerun.code, 0, rerun.stderr);
    assertSameBytes(pathIn(dir, QWEN, QWEN_FILE), bytesOf(QWEN, QWEN_FILE));
  });

  it("reports a read-only models directory as a storage error", async (t) => {
    const disk = smallDisk(t, MIB, { readOnly: true });
    if (!disk) return;
    const { manager } = managerFor(bed.hub, join(disk, "models"));
    const error = await rejectsWithCode(manager.downloadModel(QWEN.id), "storage");
    assert.ok(error.message.includes(join(disk, "models")), error.message);
    assert.match(error.hint, /--dir/);
    assert.deepEqual(await manager.listModels(), []);
  });

  it("keeps a partial download when the disk turns read-only, and resumes it later", async (t) => {
    const disk = smallDisk(t, 64 * MIB);
    if (!disk) return;
    const dir = join(disk, "models");
    const destination = pathIn(dir, BIG, BIG_FILE);
    bed.hub.addFault({ origin: "cdn", bytesPerSecond: 2 * MIB });
    const first = managerFor(bed.hub, dir);
    await cancelBigDownloadAfter(first.manager, 2 * MIB);
    const kept = savedBytes(destination);
    assert.ok(kept > 0);
    bed.hub.clearFaults();
    execFileSync("mount", ["-o", "remount,ro", disk]);
    try {
      const { manager } = managerFor(bed.hub, dir);
      const error = await rejectsWithCode(
        manager.downloadModel(BIG.id, undefined, PARALLEL),
        "storage",
      );
      assert.match(error.hint, /resume|--dir/);
      assert.equal(savedBytes(destination), kept, "the partial download is untouched");
    } finally {
      execFileSync("mount", ["-o", "remount,rw", disk]);
    }
    const last = managerFor(bed.hub, dir);
    const model = await last.manager.downloadModel(BIG.id, undefined, PARALLEL);
    assertSameBytes(model.path, bytesOf(BIG, BIG_FILE));
    const start = last.events.find((event) => event.event === "start" && event.file === BIG_FILE);
    assert.ok(start?.event === "start" && start.resumedBytes === kept, "resumed");
  });

  it("reports a progress file it cannot save as a storage error, not a crash", async () => {
    const base = RuntimeDetector.current();
    const full: Runtime = {
      ...base,
      open(path, options) {
        if (/\.part\.state\.tmp-/.test(path)) {
          return Promise.reject(
            Object.assign(new Error("no space left on device"), { code: "ENOSPC" }),
          );
        }
        return base.open(path, options);
      },
    };
    const modelsDir = bed.newDir();
    const { manager } = managerFor(bed.hub, modelsDir, { runtime: full });
    const error = await rejectsWithCode(manager.downloadModel(QWEN.id), "storage");
    assert.match(error.message, /disk is full/);
    assert.match(error.hint, /free some disk space/);
    assert.deepEqual(await manager.listModels(), []);
  });
});
