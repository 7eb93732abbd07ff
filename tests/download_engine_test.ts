/**
 * The download engine on a network that misbehaves: cut and short bodies,
 * bursts of server errors, rate limiting, stalls, servers that ignore Range,
 * corrupted bytes and a CDN URL that expires mid-download. Each test checks
 * the bytes that land in the store.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  type FaultSpec,
  gitBlobSha1,
  type HubRepoSpec,
  type HubServer,
  sha256Hex,
} from "./support/hub_server.ts";
import { bytesOf, QWEN, QWEN_FILE } from "./support/fixtures.ts";
import {
  assertSameBytes,
  BIG,
  BIG_FILE,
  bodyBytes,
  cdnGets,
  countingRuntime,
  managerFor,
  PARALLEL,
  partialOf,
  pathIn,
  rejectsWithCode,
  resetOnceAfter,
  rewritingFetch,
  waitFor,
} from "./support/download_harness.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { ManualClock } from "./support/manual_clock.ts";
import { forceGc } from "./support/force_gc.ts";

const MIB = 1024 * 1024;
const QWEN_SIZE = bytesOf(QWEN, QWEN_FILE).length;
/**
 * A test that waits for the engine to stall or to sleep fails after this, by
 * name, when it never does (instead of hanging the run).
 */
const UNLESS_IT_HANGS = { timeout: 90_000 };

/** A repository holding only its model: no other file's request runs beside it while the clock jumps. */
const ALONE_FILE = "Alone-rk3588-w8a8.rkllm";
const ALONE: HubRepoSpec = {
  id: "test-org/Alone-rk3588",
  files: [{ path: ALONE_FILE, source: { size: 16 * MIB + 333, seed: 5151 } }],
};

/** Lets every callback already queued run (timers, I/O and promise jobs). */
function anotherTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * A download of {@linkcode ALONE} on a manual clock, with `idleTimeoutMs`, and a
 * way to wait until the engine has read a number of its bytes.
 */
function stallableDownload(bed: { hub: HubServer; newDir(): string }, idleTimeoutMs: number) {
  const clock = new ManualClock();
  const counting = countingRuntime();
  const modelsDir = bed.newDir();
  const { manager, events } = managerFor(bed.hub, modelsDir, {
    idleTimeoutMs,
    clock,
    runtime: counting.runtime,
  });
  return {
    clock,
    events,
    manager,
    modelsDir,
    /** Resolves once the engine has read `bytes` of the model in all. */
    read: (bytes: number) =>
      waitFor(() => counting.bytesRead(ALONE_FILE) >= bytes, `${bytes} bytes read`),
  };
}

/** The first byte a request asked for (`Range: bytes=N-`), 0 without a Range header. */
function rangeStart(headers: Record<string, string>): number {
  const match = /^bytes=(\d+)-/.exec(headers.range ?? "");
  return match ? Number(match[1]) : 0;
}

describe("the download engine on a flaky network", () => {
  const bed = useHubTestBed({ repos: [QWEN, BIG, ALONE] });
  const { newDir } = bed;
  const modelGets = (from: number, file = QWEN_FILE) => cdnGets(bed.hub.requests.slice(from), file);

  it("continues a body cut by a connection reset from the byte it reached", async () => {
    const modelsDir = newDir();
    const { manager, events } = managerFor(bed.hub, modelsDir);
    bed.hub.addFault(resetOnceAfter(2 * MIB));
    const from = bed.hub.requests.length;
    const model = await manager.downloadModel(QWEN.id);
    assertSameBytes(model.path, bytesOf(QWEN, QWEN_FILE));
    assert.ok(events.some((event) => event.event === "retry" && event.file === QWEN_FILE));
    const gets = modelGets(from);
    assert.equal(gets.length, 2, "one retry");
    assert.ok(
      rangeStart(gets[1].headers) >= MIB,
      `the retry asks for the rest (${gets[1].headers.range})`,
    );
    const served = bodyBytes(gets);
    assert.ok(served <= QWEN_SIZE + 2 * MIB, `no byte fetched twice beyond the cut (${served})`);
  });

  it("treats a body that ends early as a retryable failure and fetches only the rest", async () => {
    const modelsDir = newDir();
    const { manager, events } = managerFor(bed.hub, modelsDir);
    bed.hub.addFault({
      origin: "cdn",
      times: 1,
      shortAfterBytes: 2 * MIB,
      bytesPerSecond: 8 * MIB,
    });
    const from = bed.hub.requests.length;
    const result = await manager.downloadWithPlan(QWEN.id);
    assertSameBytes(result.model.path, bytesOf(QWEN, QWEN_FILE));
    const gets = modelGets(from);
    assert.equal(gets.length, 2);
    assert.ok(rangeStart(gets[1].headers) >= MIB, `resumed at ${gets[1].headers.range}`);
    const done = events.find((event) => event.event === "done" && event.file === QWEN_FILE);
    assert.ok(done?.event === "done" && done.transferred === QWEN_SIZE, "no byte counted twice");
  });

  it("rides out bursts of 500 and 503 answers from the Hub and the CDN", async () => {
    const modelsDir = newDir();
    const { manager, events } = managerFor(bed.hub, modelsDir);
    bed.hub.addFault({ origin: "hub", pathIncludes: "/api/models/", times: 2, status: 503 });
    bed.hub.addFault({ origin: "hub", pathIncludes: QWEN_FILE, times: 2, status: 500 });
    bed.hub.addFault({ origin: "cdn", times: 3, status: 503 });
    bed.hub.addFault({
      origin: "hub",
      pathIncludes: "config.json",
      method: "GET",
      times: 2,
      status: 502,
    });
    const model = await manager.downloadModel(QWEN.id);
    assertSameBytes(model.path, bytesOf(QWEN, QWEN_FILE));
    assertSameBytes(join(model.dir, "config.json"), bytesOf(QWEN, "config.json"));
    const retries = events.filter((event) => event.event === "retry");
    assert.ok(retries.length >= 9, `every failed attempt was retried (${retries.length})`);
  });

  it("gives up after the configured number of attempts and keeps the partial file", async () => {
    const modelsDir = newDir();
    const { manager } = managerFor(bed.hub, modelsDir, {
      retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
    });
    bed.hub.addFault({ origin: "cdn", status: 503 });
    const from = bed.hub.requests.length;
    const error = await rejectsWithCode(manager.downloadModel(QWEN.id), "network");
    assert.match(error.message, /503/);
    assert.equal(modelGets(from).length, 3, "exactly three attempts");
    const destination = pathIn(modelsDir, QWEN, QWEN_FILE);
    assert.ok(existsSync(partialOf(destination).state), "the partial state is kept for resume");
    assert.ok(!existsSync(destination));
    assert.deepEqual(await manager.listModels(), []);
  });

  it(
    "gives up on a link that drops every request after a few KiB, after a bounded number of requests",
    UNLESS_IT_HANGS,
    async () => {
      const { clock, events, manager, modelsDir, read } = stallableDownload(bed, 150);
      // Every request of the model delivers 16 KiB of its body, then nothing.
      bed.hub.addFault({ origin: "cdn", pathIncludes: ALONE_FILE, stallAfterBytes: 16 * 1024 });
      const from = bed.hub.requests.length;
      const download = rejectsWithCode(manager.downloadModel(ALONE.id), "network");
      for (let attempt = 1; attempt <= 4; attempt++) {
        await read(attempt * 16 * 1024);
        clock.advance(300);
        if (attempt < 4) (await clock.nextSleep()).release();
      }
      const error = await download;
      assert.match(error.hint, /resume/);
      const gets = modelGets(from, ALONE_FILE);
      // Four attempts (managerFor's policy), each continuing from where the last one stopped.
      assert.deepEqual(
        gets.map((request) => rangeStart(request.headers)),
        [0, 16 * 1024, 32 * 1024, 48 * 1024],
        "four requests, each delivering a little",
      );
      assert.equal(events.filter((event) => event.event === "retry").length, 3);
      assert.ok(
        existsSync(partialOf(pathIn(modelsDir, ALONE, ALONE_FILE)).state),
        "kept for resume",
      );
    },
  );

  it(
    "starts the retry count again after each attempt that brought 1 MiB or more",
    UNLESS_IT_HANGS,
    async () => {
      const { clock, manager, read } = stallableDownload(bed, 150);
      // Six requests in a row deliver over 1 MiB each, then stall: more failures than the
      // four attempts allow, but each one made real progress.
      const delivered = MIB + 256 * 1024;
      bed.hub.addFault({
        origin: "cdn",
        pathIncludes: ALONE_FILE,
        times: 6,
        stallAfterBytes: delivered,
      });
      const from = bed.hub.requests.length;
      const download = manager.downloadModel(ALONE.id);
      for (let attempt = 1; attempt <= 6; attempt++) {
        await read(attempt * delivered);
        clock.advance(300);
        (await clock.nextSleep()).release();
      }
      const model = await download;
      assertSameBytes(model.path, bytesOf(ALONE, ALONE_FILE));
      assert.equal(modelGets(from, ALONE_FILE).length, 7, "six retries, past the attempt limit");
    },
  );

  it(
    "waits as long as Retry-After and RateLimit t= ask on a 429, sending nothing meanwhile",
    UNLESS_IT_HANGS,
    async () => {
      const clock = new ManualClock();
      const { manager, events } = managerFor(bed.hub, newDir(), {
        retry: { baseDelayMs: 5 },
        clock,
      });
      bed.hub.addFault({
        origin: "hub",
        pathIncludes: "/api/models/",
        times: 1,
        status: 429,
        headers: { "RateLimit": '"api";r=0;t=1' },
      });
      bed.hub.addFault({ origin: "cdn", times: 1, status: 429, headers: { "Retry-After": "1" } });
      const from = bed.hub.requests.length;
      const infoRequests = () =>
        bed.hub.requests.slice(from).filter((request) => request.path.startsWith("/api/models/"));
      const download = manager.downloadModel(QWEN.id);

      const rateLimited = await clock.nextSleep();
      assert.equal(rateLimited.ms, 1000, "RateLimit t=1 waits 1 s");
      await anotherTurn();
      assert.equal(infoRequests().length, 1, "no request to the Hub before the wait ends");
      rateLimited.release();

      const retryAfter = await clock.nextSleep();
      assert.equal(retryAfter.ms, 1000, "Retry-After: 1 waits 1 s");
      await anotherTurn();
      assert.equal(modelGets(from).length, 1, "no request to the CDN before the wait ends");
      retryAfter.release();

      const model = await download;
      assertSameBytes(model.path, bytesOf(QWEN, QWEN_FILE));
      assert.equal(modelGets(from).length, 2);
      const retries = events.filter((event) => event.event === "retry");
      assert.deepEqual(retries.map((retry) => retry.event === "retry" && retry.delayMs), [
        1000,
        1000,
      ]);
      assert.equal(clock.sleeps.length, 2, "no other wait");
    },
  );

  it(
    "restarts a stalled request from its last byte after the idle timeout",
    UNLESS_IT_HANGS,
    async () => {
      const { clock, events, manager, read } = stallableDownload(bed, 300);
      bed.hub.addFault({ origin: "cdn", times: 1, stallAfterBytes: 512 * 1024 });
      const from = bed.hub.requests.length;
      const download = manager.downloadModel(ALONE.id);
      await read(512 * 1024);
      clock.advance(300);
      await anotherTurn();
      assert.ok(
        !events.some((event) => event.event === "retry"),
        "not restarted within the window",
      );
      clock.advance(75);
      (await clock.nextSleep()).release();
      const model = await download;
      assertSameBytes(model.path, bytesOf(ALONE, ALONE_FILE));
      const retry = events.find((event) => event.event === "retry");
      assert.ok(retry?.event === "retry");
      assert.match(retry.message, /no data for 0\.3 s/);
      const gets = modelGets(from, ALONE_FILE);
      assert.equal(gets.length, 2);
      assert.equal(
        rangeStart(gets[1].headers),
        512 * 1024,
        "the restart continues at the last byte",
      );
    },
  );

  it(
    "restarts a stalled body even after a garbage collection while it stalled",
    UNLESS_IT_HANGS,
    async () => {
      const { clock, events, manager, read } = stallableDownload(bed, 300);
      bed.hub.addFault({ origin: "cdn", times: 1, stallAfterBytes: 64 * 1024 });
      const download = manager.downloadModel(ALONE.id);
      await read(64 * 1024);
      // Deno collects a combined AbortSignal a fetch no longer holds once its headers came.
      forceGc();
      clock.advance(375);
      (await clock.nextSleep()).release();
      const model = await download;
      assertSameBytes(model.path, bytesOf(ALONE, ALONE_FILE));
      const retry = events.find((event) => event.event === "retry");
      assert.ok(retry?.event === "retry" && /no data for 0\.3 s/.test(retry.message));
    },
  );

  it("reads a single stream past the bytes on disk when the server ignores Range, never appending", async () => {
    const modelsDir = newDir();
    const { manager, events } = managerFor(bed.hub, modelsDir);
    bed.hub.addFault(resetOnceAfter(2 * MIB));
    bed.hub.addFault({ origin: "cdn", rangeRequestsOnly: true, ignoreRange: true });
    const from = bed.hub.requests.length;
    const model = await manager.downloadModel(QWEN.id);
    assertSameBytes(model.path, bytesOf(QWEN, QWEN_FILE));
    const gets = modelGets(from);
    assert.equal(gets[1].status, 200, "the ranged retry got the whole file");
    assert.ok(
      events.some((event) => event.event === "restart" && /Range/.test(event.reason)),
      "a restart event says why",
    );
  });

  it("falls back from parallel segments to one stream when the server ignores Range", async () => {
    const modelsDir = newDir();
    const { manager, events } = managerFor(bed.hub, modelsDir);
    bed.hub.addFault({ origin: "cdn", ignoreRange: true });
    const from = bed.hub.requests.length;
    const model = await manager.downloadModel(BIG.id, undefined, PARALLEL);
    assertSameBytes(model.path, bytesOf(BIG, BIG_FILE));
    const start = events.find((event) => event.event === "start" && event.file === BIG_FILE);
    assert.ok(start?.event === "start" && start.connections === 4, "it began with 4 connections");
    assert.ok(events.some((event) => event.event === "restart" && /one stream/.test(event.reason)));
    const gets = modelGets(from, BIG_FILE);
    assert.ok(gets.some((request) => request.headers.range !== undefined));
    assert.equal(gets.at(-1)!.headers.range, undefined, "the fallback asks for the whole file");
  });

  const corruptions: [string, HubRepoSpec, string, FaultSpec, object][] = [
    ["one stream", QWEN, QWEN_FILE, { origin: "cdn", corrupt: true }, {}],
    ["parallel segments", BIG, BIG_FILE, { origin: "cdn", corrupt: true }, PARALLEL],
    ["a small file", QWEN, "config.json", {
      origin: "hub",
      method: "GET",
      pathIncludes: "config.json",
      corrupt: true,
    }, {}],
  ];
  for (const [label, repo, file, fault, options] of corruptions) {
    it(`rejects corrupted bytes (${label}): integrity error with both hashes, nothing kept`, async () => {
      const modelsDir = newDir();
      const { manager } = managerFor(bed.hub, modelsDir);
      bed.hub.addFault(fault);
      const error = await rejectsWithCode(
        manager.downloadModel(repo.id, undefined, options),
        "integrity",
      );
      const lfs = file.endsWith(".rkllm");
      const expected = lfs ? sha256Hex(bytesOf(repo, file)) : gitBlobSha1(bytesOf(repo, file));
      assert.ok(error.message.includes(file), error.message);
      assert.ok(error.message.includes(lfs ? "sha256" : "git-sha1"), error.message);
      assert.ok(error.message.includes(expected), "names the expected hash");
      const actual = error.actual as string;
      assert.match(actual, lfs ? /^[0-9a-f]{64}$/ : /^[0-9a-f]{40}$/);
      assert.notEqual(actual, expected);
      assert.ok(error.message.includes(actual), "names the hash it got");
      const destination = pathIn(modelsDir, repo, file);
      assert.ok(!existsSync(destination), "no bad file in the store");
      assert.ok(!existsSync(partialOf(destination).part), "the partial file was removed");
      assert.ok(!existsSync(partialOf(destination).state), "and its state");
      assert.deepEqual(await manager.listModels(), []);
      const partials = await manager.listPartialDownloads();
      assert.ok(partials.every((partial) => partial.file !== file), "no partial of the bad file");
    });
  }

  it(
    "resolves again when the signed CDN URL expires during a download",
    UNLESS_IT_HANGS,
    async () => {
      const modelsDir = newDir();
      const clock = new ManualClock();
      let expired = false;
      const freshUrl = Promise.withResolvers<void>();
      const { manager } = managerFor(bed.hub, modelsDir, {
        clock,
        fetch: rewritingFetch({
          async after(url) {
            if (url.origin === bed.hub.cdnOrigin && !expired) {
              expired = true;
              bed.hub.expireSignedUrls();
            }
            // A slow Hub: the fresh URL arrives only after the retry's backoff ended.
            if (expired && url.pathname.includes("/resolve/")) await freshUrl.promise;
            return undefined;
          },
        }),
      });
      bed.hub.addFault(resetOnceAfter(MIB));
      const from = bed.hub.requests.length;
      const download = manager.downloadModel(QWEN.id);
      (await clock.nextSleep()).release(); // after the cut
      (await clock.nextSleep()).release(); // after the expired URL's 403
      await anotherTurn();
      freshUrl.resolve();
      const model = await download;
      assertSameBytes(model.path, bytesOf(QWEN, QWEN_FILE));
      const expiredGets = modelGets(from).filter((request) => request.status === 403);
      assert.equal(expiredGets.length, 1, "the expired URL is used once, then the new one");
      const resolves = bed.hub.requests.slice(from).filter((request) =>
        request.origin === "hub" && request.path.endsWith(`/resolve/${model.revision}/${QWEN_FILE}`)
      );
      assert.ok(resolves.length >= 2, `resolved again (${resolves.length})`);
    },
  );
});
