/**
 * Downloads that outlive their process: `kill -9` and Ctrl-C of the real CLI
 * followed by a rerun that fetches only what is missing, two CLI processes
 * racing on one model, locks left by dead processes, and the commands that
 * deal with what a failed download leaves (`list`, `clean --partial`, `verify`).
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import process from "node:process";
import {
  deterministicBytes,
  type HubRepoSpec,
  sha256Hex,
  startHubServer,
} from "./support/hub_server.ts";
import { bytesOf, QWEN, QWEN_FILE } from "./support/fixtures.ts";
import { finished, runCli } from "./support/cli_process.ts";
import {
  assertSameBytes,
  BIG,
  BIG_FILE,
  bodyBytes,
  filesUnder,
  managerFor,
  partialOf,
  pathIn,
  rejectsWithCode,
  resetOnceAfter,
  savedBytes,
  waitFor,
} from "./support/download_harness.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { removeDir } from "./support/temp_dir.ts";
import { formatBytes } from "../src/units.ts";

const MIB = 1024 * 1024;
const TOKEN = "hf_CliSecretThatMustNeverLeak9876543210";

/** A 64 MiB model: sixteen planned 4 MiB pieces. */
const HALVED_SIZE = 64 * MIB;
const HALVED_SEED = 256;
const HALVED: HubRepoSpec = {
  id: "test-org/Halved-Model-rk3588",
  files: [
    { path: "config.json", content: JSON.stringify({ model_type: "llama" }) },
    { path: "Halved-Model-rk3588-w4a16.rkllm", source: { size: HALVED_SIZE, seed: HALVED_SEED } },
  ],
};
const HALVED_FILE = "Halved-Model-rk3588-w4a16.rkllm";
/** Bytes each request after the first eight sends before the emulator holds it. */
const HELD_AFTER = 3 * MIB;

/** The segments a partial download's state saves, or none without a readable state. */
function savedSegments(destination: string): { start: number; end: number; next: number }[] {
  try {
    return JSON.parse(readFileSync(partialOf(destination).state, "utf8")).segments;
  } catch {
    return [];
  }
}

/** Asserts that every byte the saved state claims is on disk and the right one. */
function assertClaimedBytesOnDisk(destination: string, expected: Uint8Array): void {
  const fd = openSync(partialOf(destination).part, "r");
  try {
    for (const { start, next } of savedSegments(destination)) {
      const onDisk = new Uint8Array(next - start);
      const read = next === start ? 0 : readSync(fd, onDisk, 0, onDisk.length, start);
      assert.equal(read, onDisk.length, `bytes ${start}-${next} are on disk`);
      assert.ok(
        Buffer.from(onDisk).equals(expected.subarray(start, next)),
        `bytes ${start}-${next} are the right ones`,
      );
    }
  } finally {
    closeSync(fd);
  }
}

describe("downloads across process death, interrupts and concurrent processes", () => {
  const bed = useHubTestBed({ repos: [QWEN, BIG, HALVED] });
  const { newDir, cli, startCli } = bed;
  const servedSince = (from: number, file: string) =>
    bodyBytes(
      bed.hub.requests.slice(from).filter((request) =>
        request.path.endsWith(file) && request.status >= 200 && request.status < 300
      ),
    );

  it("resumes after kill -9 once half of a download is saved, fetching only what the state lacks", {
    timeout: 90_000,
  }, async () => {
    const dir = newDir();
    const destination = pathIn(dir, HALVED, HALVED_FILE);
    // Four connections take the sixteen pieces in file order. The first eight pieces come
    // whole; the next requests send 3 MiB each (at 1 MiB/s, so the state is saved as they
    // arrive) and are then held until the client goes. With four held requests and pieces
    // still queued, no connection is free to split or copy one: the download cannot end.
    bed.hub.addFault({
      origin: "cdn",
      pathIncludes: HALVED_FILE,
      rangeRequestsOnly: true,
      skip: 8,
      stallAfterBytes: HELD_AFTER,
      bytesPerSecond: MIB,
    });
    const child = startCli(["download", HALVED.id, "--dir", dir, "--quiet", "--connections", "4"]);
    const exited = finished(child);
    await waitFor(() => savedBytes(destination) >= HALVED_SIZE / 2, "half of the file to be saved");
    child.kill("SIGKILL");
    const killed = await exited;
    assert.equal(killed.code, 137, killed.stderr);
    const lock = join(dir, ...HALVED.id.split("/"), ".rkllm-models.lock");
    assert.equal(
      JSON.parse(readFileSync(lock, "utf8")).pid,
      child.pid,
      "the killed process left its lock behind",
    );
    bed.hub.clearFaults();
    const expected = deterministicBytes(HALVED_SIZE, HALVED_SEED);
    assertClaimedBytesOnDisk(destination, expected);
    const claimed = savedBytes(destination);
    assert.ok(claimed >= HALVED_SIZE / 2 && claimed < HALVED_SIZE, `the state claims ${claimed}`);

    // One connection takes the missing ranges one after the other: nothing is split or
    // fetched twice, so every byte served is one the state did not claim.
    const from = bed.hub.requests.length;
    const rerun = await cli(["download", HALVED.id, "--dir", dir, "--json", "--connections", "1"]);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.equal(servedSince(from, HALVED_FILE), HALVED_SIZE - claimed, "only the missing bytes");
    const model = JSON.parse(rerun.stdout);
    assertSameBytes(model.path, expected, "the resumed model");
    const tree = await fetch(`${bed.hub.endpoint}/api/models/${HALVED.id}/tree/main`);
    const listed = await tree.json();
    assert.equal(
      model.sha256,
      listed.find((entry: { path: string }) => entry.path === HALVED_FILE).lfs.oid,
    );
    assert.ok(
      !existsSync(join(model.dir, ".rkllm-models.lock")),
      "the dead process's lock was taken over",
    );
    removeDir(dir);
  });

  it("stops on Ctrl-C with exit 130, keeping a partial download the rerun resumes", async () => {
    const dir = newDir();
    const size = bytesOf(BIG, BIG_FILE).length;
    bed.hub.addFault({ origin: "cdn", bytesPerSecond: 2 * MIB });
    let from = bed.hub.requests.length;
    const child = startCli(["download", BIG.id, "--dir", dir]);
    const exited = finished(child);
    await waitFor(() => servedSince(from, BIG_FILE) >= 2 * MIB, "the download to be under way");
    child.kill("SIGINT");
    const stopped = await exited;
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /resume/);
    const destination = pathIn(dir, BIG, BIG_FILE);
    const kept = savedBytes(destination);
    assert.ok(kept >= MIB, `the partial state was saved on the way out (${kept})`);
    assert.ok(!existsSync(destination));
    bed.hub.clearFaults();

    from = bed.hub.requests.length;
    const rerun = await cli(["download", BIG.id, "--dir", dir]);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stderr, /resuming/);
    assert.equal(servedSince(from, BIG_FILE), size - kept, "only the missing bytes were fetched");
    assertSameBytes(destination, bytesOf(BIG, BIG_FILE));
  });

  it("lets a second process wait for the first, then find the model done", async () => {
    const dir = newDir();
    bed.hub.addFault({ origin: "cdn", bytesPerSecond: 2 * MIB });
    const from = bed.hub.requests.length;
    const children = [
      startCli(["download", QWEN.id, "--dir", dir]),
      startCli(["download", QWEN.id, "--dir", dir]),
    ];
    const results = await Promise.all(children.map(finished));
    for (const result of results) assert.equal(result.code, 0, result.stderr);
    const waited = results.findIndex((result) => /waiting for process/.test(result.stderr));
    assert.notEqual(waited, -1, "one of them waited");
    const holder = children[1 - waited].pid;
    assert.match(results[waited].stderr, new RegExp(`waiting for process ${holder} on `));
    assert.match(results[waited].stderr, /already complete|0 B transferred|0\.0 MiB transferred/);
    const model = pathIn(dir, QWEN, QWEN_FILE);
    assertSameBytes(model, bytesOf(QWEN, QWEN_FILE));
    const served = servedSince(from, QWEN_FILE);
    const size = bytesOf(QWEN, QWEN_FILE).length;
    assert.ok(served >= size && served < size * 1.1, `the file was sent about once (${served})`);
  });

  // Without the wait event the lock is never let go: the timeout fails the test by name.
  it("takes over a lock left by a dead process, and waits for a live one", {
    timeout: 90_000,
  }, async () => {
    const modelsDir = newDir();
    const repoDir = join(modelsDir, ...QWEN.id.split("/"));
    const lock = join(repoDir, ".rkllm-models.lock");
    mkdirSync(repoDir, { recursive: true });
    // Above the kernel's largest pid, so certainly not alive.
    const deadPid = 4_194_304 + 4242;
    const holder = (pid: number, host = hostname()) =>
      JSON.stringify({ pid, host, since: new Date().toISOString(), purpose: "download" });
    writeFileSync(lock, holder(deadPid));
    const first = managerFor(bed.hub, modelsDir);
    await first.manager.downloadModel(QWEN.id);
    assert.ok(
      !first.events.some((event) => event.event === "wait"),
      "a dead holder is not waited for",
    );
    assert.ok(!existsSync(lock), "the lock is released");

    await first.manager.removeModel(QWEN.id);
    mkdirSync(repoDir, { recursive: true });
    writeFileSync(lock, holder(process.pid));
    const second = managerFor(bed.hub, modelsDir, {
      onProgress(event) {
        second.events.push(event);
        // The holder lets go once the download says it waits for it.
        if (event.event === "wait") removeDir(lock);
      },
    });
    const model = await second.manager.downloadModel(QWEN.id);
    const wait = second.events.find((event) => event.event === "wait");
    assert.ok(wait?.event === "wait" && wait.holder.pid === process.pid, "told who holds it");
    assertSameBytes(model.path, bytesOf(QWEN, QWEN_FILE));

    // A holder that died while writing the lock leaves it empty; after a grace period it is stale.
    await second.manager.removeModel(QWEN.id);
    mkdirSync(repoDir, { recursive: true });
    writeFileSync(lock, "");
    const minuteAgo = new Date(Date.now() - 60_000);
    utimesSync(lock, minuteAgo, minuteAgo);
    await managerFor(bed.hub, modelsDir).manager.downloadModel(QWEN.id);
    assert.ok(!existsSync(lock));
  });

  it("does not take over a lock held on another host", async () => {
    const modelsDir = newDir();
    const repoDir = join(modelsDir, ...QWEN.id.split("/"));
    mkdirSync(repoDir, { recursive: true });
    const lock = join(repoDir, ".rkllm-models.lock");
    const since = new Date().toISOString();
    writeFileSync(lock, JSON.stringify({ pid: 4_194_304 + 1, host: "another-board", since }));
    const controller = new AbortController();
    const { manager, events } = managerFor(bed.hub, modelsDir, {
      onProgress(event) {
        events.push(event);
        if (event.event === "wait") controller.abort();
      },
    });
    await rejectsWithCode(
      manager.downloadModel(QWEN.id, undefined, { signal: controller.signal }),
      "cancelled",
    );
    const wait = events.find((event) => event.event === "wait");
    assert.ok(wait?.event === "wait" && wait.holder.host === "another-board");
    assert.ok(existsSync(lock), "the other host's lock is left alone");
  });

  it("exits 6 on corrupted bytes, naming the file and both hashes, and keeps nothing", async () => {
    const dir = newDir();
    bed.hub.addFault({ origin: "cdn", corrupt: true });
    const result = await cli(["download", QWEN.id, "--dir", dir]);
    assert.equal(result.code, 6, result.stderr);
    const expected = sha256Hex(bytesOf(QWEN, QWEN_FILE));
    assert.ok(result.stderr.includes(QWEN_FILE), result.stderr);
    assert.ok(result.stderr.includes(expected), "the expected hash");
    const hashes = result.stderr.match(/\b[0-9a-f]{64}\b/g) ?? [];
    assert.ok(hashes.some((hash) => hash !== expected), "and the hash it got");
    const destination = pathIn(dir, QWEN, QWEN_FILE);
    assert.ok(!existsSync(destination) && !existsSync(partialOf(destination).part));
    const list = await cli(["list", "--json", "--dir", dir]);
    assert.deepEqual(JSON.parse(list.stdout), []);
  });

  it("lists partial downloads, and clean --partial removes only them", async () => {
    const dir = newDir();
    assert.equal((await cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
    bed.hub.addFault({
      origin: "cdn",
      pathIncludes: BIG_FILE,
      resetAfterBytes: MIB,
      bytesPerSecond: 8 * MIB,
    });
    const failed = await cli(["download", BIG.id, "--dir", dir, "--retries", "0"]);
    assert.equal(failed.code, 5, failed.stderr);
    const partial = partialOf(pathIn(dir, BIG, BIG_FILE));
    assert.ok(existsSync(partial.part) && existsSync(partial.state));

    const list = await cli(["list", "--dir", dir]);
    assert.equal(list.code, 0, list.stderr);
    const downloaded = formatBytes(savedBytes(pathIn(dir, BIG, BIG_FILE)));
    assert.ok(
      list.stderr.includes(
        `partial download: ${BIG.id}/${BIG_FILE} (${downloaded} of 16.0 MiB downloaded; download again to resume)`,
      ),
      list.stderr,
    );
    assert.match(list.stdout, /Qwen2\.5-0\.5B-Instruct/);

    const before = filesUnder(dir);
    const cleaned = await cli(["clean", "--partial", "--yes", "--dir", dir]);
    assert.equal(cleaned.code, 0, cleaned.stderr);
    const gone = before.filter((file) => !filesUnder(dir).includes(file));
    assert.ok(
      gone.length > 0 && gone.every((file) => /\.part(\.state)?$/.test(file)),
      `removed ${gone}`,
    );
    assert.ok(!existsSync(partial.part) && !existsSync(partial.state));
    const after = await cli(["list", "--dir", dir]);
    assert.doesNotMatch(after.stdout + after.stderr, /partial download/);
    const verify = await cli(["verify", "--dir", dir]);
    assert.equal(verify.code, 0, "the complete model is untouched: " + verify.stdout);
  });

  it("verify passes on a good model and exits 6 on a corrupted one", async () => {
    const dir = newDir();
    assert.equal((await cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
    const good = await cli(["verify", "--dir", dir, "--json"]);
    assert.equal(good.code, 0, good.stdout + good.stderr);
    assert.equal(JSON.parse(good.stdout)[0].ok, true);
    const path = pathIn(dir, QWEN, QWEN_FILE);
    const fd = openSync(path, "r+");
    writeSync(fd, new Uint8Array([readFileSync(path)[1000] ^ 0xff]), 0, 1, 1000);
    closeSync(fd);
    const bad = await cli(["verify", "--dir", dir]);
    assert.equal(bad.code, 6, bad.stdout + bad.stderr);
    assert.match(
      bad.stdout,
      new RegExp(
        `^FAIL +${QWEN_FILE.replace(/\.rkllm$/, "").replaceAll(".", "\\.")}\n +model: mismatch`,
        "m",
      ),
    );
  });

  it("stops verifying at once with a cancelled error when the signal is aborted", async () => {
    const dir = newDir();
    assert.equal((await cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
    const { manager } = managerFor(bed.hub, dir, { signal: AbortSignal.abort() });
    const error = await rejectsWithCode(manager.verifyModel(), "cancelled");
    assert.match(error.hint, /again/);
  });

  it("never prints or stores the token", async () => {
    const dir = newDir();
    bed.hub.addFault(resetOnceAfter(MIB));
    const outputs: string[] = [];
    const download = await cli(["download", QWEN.id, "--dir", dir, "--progress", "json"], {
      HF_TOKEN: TOKEN,
    });
    assert.equal(download.code, 0, download.stderr);
    assert.match(download.stderr, /"event":"retry"/);
    outputs.push(download.stdout, download.stderr);
    for (const args of [["list"], ["info", "Qwen2.5"], ["verify"], ["files", QWEN.id]]) {
      const result = await cli([...args, "--dir", dir, "--json"], { HF_TOKEN: TOKEN });
      outputs.push(result.stdout, result.stderr);
    }
    const strict = await startHubServer({ repos: [QWEN], tokens: { valid: ["hf_other"] } });
    try {
      const rejected = await runCli(["download", QWEN.id, "--dir", newDir(), "--token", TOKEN], {
        env: { HF_ENDPOINT: strict.endpoint },
        cwd: bed.root,
      });
      assert.equal(rejected.code, 4, rejected.stderr);
      outputs.push(rejected.stdout, rejected.stderr);
    } finally {
      await strict.close();
    }
    assert.ok(!outputs.join("\n").includes(TOKEN), "not in any output");
    for (const file of filesUnder(dir)) {
      assert.ok(!readFileSync(join(dir, file)).includes(TOKEN), `not in ${file}`);
    }
  });
});
