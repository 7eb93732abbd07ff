/**
 * The download engine against a hostile or quirky server: trickles that never
 * fall silent, listings without hashes or with masked ones, metadata that
 * disagrees, content that changes under an unchanged identity, Range ignored
 * mid-file, a 206 that starts early, a CDN that refuses a fresh URL too, and a
 * CDN that refuses HEAD. Each test checks the bytes that land in the store and
 * the requests the emulator saw.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { DownloadEvent } from "../mod.ts";
import {
  deterministicBytes,
  gitBlobSha1,
  type HubRepoSpec,
  sha256Hex,
} from "./support/hub_server.ts";
import { bytesOf, QWEN, QWEN_FILE } from "./support/fixtures.ts";
import {
  assertSameBytes,
  BIG,
  BIG_FILE,
  bodyBytes,
  cancelBigDownloadAfter,
  cdnGets,
  countingRuntime,
  managerFor,
  PARALLEL,
  partialOf,
  pathIn,
  rejectsWithCode,
  resetOnceAfter,
  rewritingFetch,
  savedBytes,
  waitFor,
} from "./support/download_harness.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { ManualClock } from "./support/manual_clock.ts";

const MIB = 1024 * 1024;
const QWEN_SIZE = bytesOf(QWEN, QWEN_FILE).length;
const BIG_SIZE = bytesOf(BIG, BIG_FILE).length;

/** A repository whose one small model downloads in about two seconds at 24 KiB/s. */
const SLOW_FILE = "Slow-Link-rk3588-w8a8.rkllm";
const SLOW: HubRepoSpec = {
  id: "test-org/Slow-Link-rk3588",
  files: [{ path: SLOW_FILE, content: deterministicBytes(48 * 1024, 77) }],
};
/** A test driven by a manual clock fails after this, by name, when the engine never gets on. */
const UNLESS_IT_HANGS = { timeout: 90_000 };

/** A repository whose model is replaced under the same commit while a download runs. */
const CHANGING_FILE = "Changing-rk3588-w8a8.rkllm";
function changingRepo(size: number, seed: number): HubRepoSpec {
  return {
    id: "test-org/Changing-rk3588",
    sha: "c".repeat(40),
    files: [
      { path: "config.json", content: "{}" },
      { path: CHANGING_FILE, content: deterministicBytes(size, seed) },
    ],
  };
}

/** The first byte a request asked for (`Range: bytes=N-`), 0 without a Range header. */
function rangeStart(headers: Record<string, string>): number {
  const match = /^bytes=(\d+)-/.exec(headers.range ?? "");
  return match ? Number(match[1]) : 0;
}

/** The registry record of a repository in the store. */
function recordOf(modelsDir: string, repo: HubRepoSpec) {
  const path = join(modelsDir, ...repo.id.split("/"), ".rkllm-models.json");
  return JSON.parse(readFileSync(path, "utf8")) as {
    files: Record<string, { size: number; sha256?: string; gitSha1?: string }>;
  };
}

function doneEvent(events: DownloadEvent[], file: string) {
  const done = events.find((event) => event.event === "done" && event.file === file);
  assert.ok(done?.event === "done", `a done event for ${file}`);
  return done;
}

describe("the download engine against hostile servers", () => {
  const bed = useHubTestBed({ repos: [QWEN, BIG, SLOW] });
  const { newDir } = bed;
  const since = (from: number) => bed.hub.requests.slice(from);

  /** Leaves a partial download of {@linkcode BIG} in `modelsDir`; answers its saved bytes. */
  async function partialBigDownload(modelsDir: string): Promise<number> {
    // Throttled, so that the cancel comes well before the end.
    bed.hub.addFault({ origin: "cdn", bytesPerSecond: 8 * MIB });
    await cancelBigDownloadAfter(managerFor(bed.hub, modelsDir).manager, 4 * MIB);
    bed.hub.clearFaults();
    const saved = savedBytes(pathIn(modelsDir, BIG, BIG_FILE));
    assert.ok(saved >= 4 * MIB && saved < BIG_SIZE, `a partial download to resume (${saved})`);
    return saved;
  }

  describe("a minimum speed per request", () => {
    /** A manager for {@linkcode SLOW} on a manual clock, and what the engine has read of it. */
    function slowLink(idleTimeoutMs: number) {
      const clock = new ManualClock();
      const counting = countingRuntime();
      const modelsDir = newDir();
      const { manager, events } = managerFor(bed.hub, modelsDir, {
        idleTimeoutMs,
        clock,
        runtime: counting.runtime,
      });
      return { clock, manager, events, modelsDir, read: () => counting.bytesRead(SLOW_FILE) };
    }

    it(
      "restarts a trickle below 1 KiB/s from its last byte, and gives up after the retry limit",
      UNLESS_IT_HANGS,
      async () => {
        const { clock, manager, modelsDir, read } = slowLink(400);
        bed.hub.addFault({
          origin: "cdn",
          pathIncludes: SLOW_FILE,
          bytesPerSecond: 200,
          chunkBytes: 20,
        });
        const from = bed.hub.requests.length;
        let finished = false;
        const download = rejectsWithCode(manager.downloadModel(SLOW.id), "network")
          .finally(() => (finished = true));
        // 100 ms on the clock for each batch of bytes (20 from the emulator, unless a busy
        // machine joins some): never silent for the idle timeout, far below 1 KiB/s.
        let seen = 0;
        while (!finished) {
          await waitFor(
            () => finished || read() > seen || clock.pendingSleeps().length > 0,
            "bytes, a retry or the end",
          );
          const retry = clock.pendingSleeps()[0];
          if (retry) retry.release();
          else if (read() > seen) {
            seen = read();
            clock.advance(100);
          }
        }
        const error = await download;
        assert.match(error.message, /slower than 1 KiB\/s/);
        const starts = cdnGets(since(from), SLOW_FILE).map((request) =>
          rangeStart(request.headers)
        );
        assert.equal(
          starts.length,
          4,
          "the attempts that made no progress count against the limit",
        );
        for (let i = 1; i < starts.length; i++) {
          assert.ok(
            starts[i] > starts[i - 1],
            `each retry continues from its last byte (${starts})`,
          );
        }
        assert.ok(
          existsSync(partialOf(pathIn(modelsDir, SLOW, SLOW_FILE)).state),
          "kept to resume",
        );
      },
    );

    it("never trips on a slow but real link (tens of KiB/s)", UNLESS_IT_HANGS, async () => {
      const { clock, manager, events, read } = slowLink(300);
      bed.hub.addFault({ origin: "cdn", bytesPerSecond: 24 * 1024 });
      let finished = false;
      const download = manager.downloadModel(SLOW.id).finally(() => (finished = true));
      // The clock moves as a 24 KiB/s link would for the bytes read, in steps shorter than
      // the idle timeout (a busy machine may hand several writes over at once).
      let seen = 0;
      while (!finished && clock.sleeps.length === 0) {
        await waitFor(
          () => finished || read() > seen || clock.sleeps.length > 0,
          "bytes, a retry or the end",
        );
        clock.advance(Math.min(100, ((read() - seen) * 1000) / (24 * 1024)));
        seen = read();
      }
      assert.deepEqual(events.filter((event) => event.event === "retry"), []);
      assert.deepEqual(clock.sleeps, [], "no retry waited for");
      const model = await download;
      assertSameBytes(model.path, bytesOf(SLOW, SLOW_FILE));
    });
  });

  describe("the best hash available", () => {
    it("verifies against X-Linked-Etag when the listing has no hash, so altered bytes are refused", async () => {
      const modelsDir = newDir();
      const { manager } = managerFor(bed.hub, modelsDir);
      bed.hub.addFault({ origin: "hub", pathIncludes: "/tree/", listingHashes: "omit" });
      bed.hub.addFault({ origin: "cdn", corrupt: true });
      const error = await rejectsWithCode(manager.downloadModel(QWEN.id), "integrity");
      assert.ok(error.message.includes(sha256Hex(bytesOf(QWEN, QWEN_FILE))), error.message);
      assert.ok(!existsSync(pathIn(modelsDir, QWEN, QWEN_FILE)), "no altered file in the store");
      assert.deepEqual(await manager.listModels(), []);
    });

    it("records the hash resolve gave (X-Linked-Etag, small files' ETag) and verify checks it", async () => {
      const modelsDir = newDir();
      const { manager } = managerFor(bed.hub, modelsDir);
      bed.hub.addFault({ origin: "hub", pathIncludes: "/tree/", listingHashes: "omit" });
      const model = await manager.downloadModel(QWEN.id);
      assertSameBytes(model.path, bytesOf(QWEN, QWEN_FILE));
      const record = recordOf(modelsDir, QWEN);
      assert.equal(record.files[QWEN_FILE].sha256, sha256Hex(bytesOf(QWEN, QWEN_FILE)));
      assert.equal(record.files["config.json"].gitSha1, gitBlobSha1(bytesOf(QWEN, "config.json")));
      const [verdict] = await manager.verifyModel(QWEN.id);
      assert.equal(verdict.ok, true);
      assert.deepEqual(verdict.sizeOnly, []);
      assert.equal(verdict.files.find((file) => file.file === QWEN_FILE)?.checkedBy, "sha256");
    });

    it("checks a file by size only when the Hub states no hash at all, and info and verify say so", async () => {
      const dir = newDir();
      bed.hub.addFault({ origin: "hub", pathIncludes: "/tree/", listingHashes: "omit" });
      bed.hub.addFault({
        origin: "hub",
        pathIncludes: "/resolve/",
        headers: { "X-Linked-Etag": "", "ETag": "" },
      });
      const download = await bed.cli(["download", QWEN.id, "--dir", dir]);
      assert.equal(download.code, 0, download.stderr);
      bed.hub.clearFaults();
      const info = await bed.cli(["info", "Qwen2.5", "--dir", dir]);
      assert.equal(info.code, 0, info.stderr);
      assert.match(info.stdout, /^verified: +checked by size only \(the Hub stated no hash for /m);
      assert.doesNotMatch(info.stdout, /^verified: +yes$/m);
      const verify = await bed.cli(["verify", "--dir", dir]);
      assert.equal(verify.code, 0, verify.stderr);
      assert.match(verify.stdout, /^ {6}checked by size only: model\b/m);
      const json = JSON.parse((await bed.cli(["info", "Qwen2.5", "--dir", dir, "--json"])).stdout);
      assert.equal(json.verified, false, "never reported as verified");
      assert.ok(json.checkedBySizeOnly.includes(QWEN_FILE));
    });

    it("ignores hashes masked as '*' (gated repos): verifies by resolve's hash, keeps a good file", async () => {
      const modelsDir = newDir();
      const { manager } = managerFor(bed.hub, modelsDir);
      bed.hub.addFault({ origin: "hub", pathIncludes: "/tree/", listingHashes: "mask" });
      const model = await manager.downloadModel(QWEN.id);
      assertSameBytes(model.path, bytesOf(QWEN, QWEN_FILE));
      assert.equal(recordOf(modelsDir, QWEN).files[QWEN_FILE].sha256, model.sha256);
      assert.equal(model.sha256, sha256Hex(bytesOf(QWEN, QWEN_FILE)));
      // Downloading again with the hashes still masked keeps the good file and fetches nothing.
      const from = bed.hub.requests.length;
      const again = await manager.downloadModel(QWEN.id);
      assertSameBytes(again.path, bytesOf(QWEN, QWEN_FILE));
      assert.deepEqual(cdnGets(since(from), QWEN_FILE), []);
    });
  });

  describe("metadata that disagrees", () => {
    it("keeps the partial download over a one-off X-Linked-Size lie and resolves again", async () => {
      const modelsDir = newDir();
      const saved = await partialBigDownload(modelsDir);
      bed.hub.addFault({
        origin: "hub",
        method: "HEAD",
        pathIncludes: BIG_FILE,
        times: 1,
        headers: { "X-Linked-Size": "12345" },
      });
      const { manager: resumer, events } = managerFor(bed.hub, modelsDir);
      const from = bed.hub.requests.length;
      const model = await resumer.downloadModel(BIG.id, undefined, PARALLEL);
      assertSameBytes(model.path, bytesOf(BIG, BIG_FILE));
      assert.ok(
        events.some((event) => event.event === "retry" && /X-Linked-Size/.test(event.message)),
        "the disagreement was retried",
      );
      const fetched = bodyBytes(cdnGets(since(from), BIG_FILE));
      assert.ok(fetched <= BIG_SIZE - saved, `only the rest was fetched (${fetched})`);
    });

    it("stops with a clear error and keeps the partial when the Hub keeps disagreeing", async () => {
      const modelsDir = newDir();
      const saved = await partialBigDownload(modelsDir);
      const destination = pathIn(modelsDir, BIG, BIG_FILE);
      const { manager } = managerFor(bed.hub, modelsDir);
      bed.hub.addFault({
        origin: "hub",
        method: "HEAD",
        pathIncludes: BIG_FILE,
        headers: { "X-Linked-Size": "12345" },
      });
      const from = bed.hub.requests.length;
      const error = await rejectsWithCode(
        manager.downloadModel(BIG.id, undefined, PARALLEL),
        "integrity",
      );
      assert.match(error.message, /12345/);
      assert.match(error.hint, /partial download was kept/);
      assert.equal(savedBytes(destination), saved, "the partial download is intact");
      assert.ok(statSync(partialOf(destination).part).size >= saved);
      assert.deepEqual(cdnGets(since(from), BIG_FILE), [], "no byte fetched meanwhile");
    });

    it("downloads the new file when the listing and resolve agree it changed", async () => {
      const modelsDir = newDir();
      const before = changingRepo(300_000, 1);
      const after = changingRepo(200_000, 2);
      bed.hub.setRepo(before);
      let changed = false;
      const { manager } = managerFor(bed.hub, modelsDir, {
        fetch: rewritingFetch({
          after(url) {
            // The file changes (same commit) right after the first listing.
            if (!changed && url.pathname.includes("/tree/")) {
              changed = true;
              bed.hub.setRepo(after);
            }
            return undefined;
          },
        }),
      });
      const from = bed.hub.requests.length;
      const model = await manager.downloadModel(before.id);
      assertSameBytes(model.path, bytesOf(after, CHANGING_FILE));
      assert.equal(recordOf(modelsDir, after).files[CHANGING_FILE].size, 200_000);
      const listings = since(from).filter((request) => request.path.includes("/tree/"));
      assert.equal(listings.length, 2, "the listing was asked again to confirm the change");
    });
  });

  describe("content that changes on the CDN", () => {
    it("downloads a file that fails its hash once more from the start, then stores it", async () => {
      const modelsDir = newDir();
      const { manager, events } = managerFor(bed.hub, modelsDir);
      bed.hub.addFault({ origin: "cdn", times: 1, corrupt: true });
      const from = bed.hub.requests.length;
      const model = await manager.downloadModel(QWEN.id);
      assertSameBytes(model.path, bytesOf(QWEN, QWEN_FILE));
      const gets = cdnGets(since(from), QWEN_FILE);
      assert.equal(gets.length, 2, "the whole file once more");
      assert.equal(rangeStart(gets[1].headers), 0);
      assert.ok(
        events.some((event) => event.event === "restart" && /sha256 check/.test(event.reason)),
      );
    });
  });

  describe("Range ignored mid-file", () => {
    it("reads past the bytes on disk in one stream instead of writing them again", async () => {
      const modelsDir = newDir();
      const { manager, events } = managerFor(bed.hub, modelsDir);
      bed.hub.addFault(resetOnceAfter(2 * MIB));
      bed.hub.addFault({ origin: "cdn", rangeRequestsOnly: true, ignoreRange: true });
      const model = await manager.downloadModel(QWEN.id);
      assertSameBytes(model.path, bytesOf(QWEN, QWEN_FILE));
      assert.equal(doneEvent(events, QWEN_FILE).transferred, QWEN_SIZE, "no byte written twice");
      const progress = events.filter((event) =>
        event.event === "progress" && event.file === QWEN_FILE
      )
        .map((event) => event.event === "progress" ? event.bytes : 0);
      assert.deepEqual(progress, [...progress].sort((a, b) => a - b), "progress never goes back");
      assert.ok(
        events.some((event) => event.event === "restart" && /reading past/.test(event.reason)),
      );
    });

    it("keeps the segments already on disk when falling back from parallel to one stream", async () => {
      const modelsDir = newDir();
      const saved = await partialBigDownload(modelsDir);
      bed.hub.addFault({ origin: "cdn", ignoreRange: true });
      const { manager: resumer, events } = managerFor(bed.hub, modelsDir);
      const model = await resumer.downloadModel(BIG.id, undefined, PARALLEL);
      assertSameBytes(model.path, bytesOf(BIG, BIG_FILE));
      const start = events.find((event) => event.event === "start" && event.file === BIG_FILE);
      assert.ok(start?.event === "start" && start.resumedBytes === saved);
      assert.equal(doneEvent(events, BIG_FILE).transferred, BIG_SIZE - saved, "kept the rest");
    });
  });

  describe("CDN answers", () => {
    it("accepts a 206 that starts before the requested byte and skips the overlap", async () => {
      const modelsDir = newDir();
      const { manager, events } = managerFor(bed.hub, modelsDir);
      bed.hub.addFault({ origin: "cdn", rangeRequestsOnly: true, rangeBlockBytes: MIB });
      const from = bed.hub.requests.length;
      const model = await manager.downloadModel(BIG.id, undefined, PARALLEL);
      assertSameBytes(model.path, bytesOf(BIG, BIG_FILE));
      const gets = cdnGets(since(from), BIG_FILE);
      assert.ok(gets.length >= 4, "a request per planned piece (and maybe one taking over a tail)");
      assert.ok(!events.some((event) => event.event === "retry"), "no retry");
      assert.ok(bodyBytes(gets) > BIG_SIZE, "the early starts overlapped");
    });

    it("stops when a freshly resolved URL is refused the same way, reporting the answer", async () => {
      const modelsDir = newDir();
      const { manager } = managerFor(bed.hub, modelsDir);
      bed.hub.addFault({
        origin: "cdn",
        status: 403,
        headers: { "X-Cache": "Error from cloudfront" },
      });
      const from = bed.hub.requests.length;
      const error = await rejectsWithCode(manager.downloadModel(QWEN.id), "network");
      assert.match(error.message, /403/);
      assert.match(error.message, /X-Cache: Error from cloudfront/);
      assert.match(error.message, /Forbidden/, "quotes the start of the body");
      assert.equal(cdnGets(since(from), QWEN_FILE).length, 2, "the old URL, then one fresh URL");
      const resolves = since(from).filter((request) =>
        request.origin === "hub" && request.path.includes(`/resolve/`) &&
        request.path.endsWith(QWEN_FILE)
      );
      assert.equal(resolves.length, 2, "resolved once more");
    });

    for (const status of [405, 403]) {
      it(`never sends HEAD to the CDN nor Range to a redirecting resolve (CDN HEAD answers ${status})`, async () => {
        const modelsDir = newDir();
        const { manager } = managerFor(bed.hub, modelsDir);
        bed.hub.addFault({ origin: "cdn", method: "HEAD", status });
        const from = bed.hub.requests.length;
        const model = await manager.downloadModel(QWEN.id);
        assertSameBytes(model.path, bytesOf(QWEN, QWEN_FILE));
        const seen = since(from);
        assert.deepEqual(seen.filter((r) => r.origin === "cdn" && r.method === "HEAD"), []);
        const rangedRedirects = seen.filter((r) =>
          r.origin === "hub" && r.status >= 300 && r.status < 400 && r.headers.range !== undefined
        );
        assert.deepEqual(rangedRedirects, []);
      });
    }
  });
});
