/**
 * The download engine on a network that misbehaves: cut and short bodies,
 * bursts of server errors, rate limiting, stalls, servers that ignore Range,
 * corrupted bytes and a CDN URL that expires mid-download. Each test checks
 * the bytes that land in the store.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type FaultSpec, gitBlobSha1, type HubRepoSpec, sha256Hex } from "./support/hub_server.ts";
import { bytesOf, QWEN, QWEN_FILE } from "./support/fixtures.ts";
import {
  assertSameBytes,
  BIG,
  BIG_FILE,
  bodyBytes,
  cdnGets,
  managerFor,
  PARALLEL,
  partialOf,
  pathIn,
  rejectsWithCode,
  resetOnceAfter,
  rewritingFetch,
} from "./support/download_harness.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";

const MIB = 1024 * 1024;
const QWEN_SIZE = bytesOf(QWEN, QWEN_FILE).length;

/** The first byte a request asked for (`Range: bytes=N-`), 0 without a Range header. */
function rangeStart(headers: Record<string, string>): number {
  const match = /^bytes=(\d+)-/.exec(headers.range ?? "");
  return match ? Number(match[1]) : 0;
}

describe("the download engine on a flaky network", () => {
  const bed = useHubTestBed({ repos: [QWEN, BIG] });
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
    const result = await manager.download(QWEN.id);
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

  it("gives up on a link that drops every request after a few KiB, after a bounded number of requests", async () => {
    const modelsDir = newDir();
    const { manager, events } = managerFor(bed.hub, modelsDir, { idleTimeoutMs: 150 });
    // Every request of the 3 MiB model delivers 16 KiB of its body, then nothing.
    bed.hub.addFault({ origin: "cdn", pathIncludes: QWEN_FILE, stallAfterBytes: 16 * 1024 });
    const from = bed.hub.requests.length;
    const error = await rejectsWithCode(manager.downloadModel(QWEN.id), "network");
    assert.match(error.hint, /resume/);
    const gets = modelGets(from);
    // Four attempts (managerFor's policy), each continuing from where the last one stopped.
    assert.deepEqual(
      gets.map((request) => rangeStart(request.headers)),
      [0, 16 * 1024, 32 * 1024, 48 * 1024],
      "four requests, each delivering a little",
    );
    assert.equal(events.filter((event) => event.event === "retry").length, 3);
    assert.ok(existsSync(partialOf(pathIn(modelsDir, QWEN, QWEN_FILE)).state), "kept for resume");
  });

  it("starts the retry count again after each attempt that brought 1 MiB or more", async () => {
    const modelsDir = newDir();
    const { manager } = managerFor(bed.hub, modelsDir, { idleTimeoutMs: 150 });
    // Six requests of the 16 MiB model in a row deliver over 1 MiB each, then stall: more
    // failures than the four attempts allow, but each one made real progress.
    bed.hub.addFault({
      origin: "cdn",
      pathIncludes: BIG_FILE,
      times: 6,
      stallAfterBytes: MIB + 256 * 1024,
    });
    const from = bed.hub.requests.length;
    const model = await manager.downloadModel(BIG.id);
    assertSameBytes(model.path, bytesOf(BIG, BIG_FILE));
    assert.equal(modelGets(from, BIG_FILE).length, 7, "six retries, past the attempt limit");
  });

  it("waits as long as Retry-After and RateLimit t= ask on a 429", async () => {
    const modelsDir = newDir();
    const { manager, events } = managerFor(bed.hub, modelsDir, { retry: { baseDelayMs: 5 } });
    bed.hub.addFault({
      origin: "hub",
      pathIncludes: "/api/models/",
      times: 1,
      status: 429,
      headers: { "RateLimit": '"api";r=0;t=1' },
    });
    bed.hub.addFault({ origin: "cdn", times: 1, status: 429, headers: { "Retry-After": "1" } });
    const model = await manager.downloadModel(QWEN.id);
    assertSameBytes(model.path, bytesOf(QWEN, QWEN_FILE));
    const retries = events.filter((event) => event.event === "retry");
    assert.equal(retries.length, 2, JSON.stringify(retries));
    for (const retry of retries) {
      assert.ok(
        retry.event === "retry" && retry.delayMs >= 1000,
        `waited ${JSON.stringify(retry)}`,
      );
    }
  });

  it("restarts a stalled request from its last byte after the idle timeout", async () => {
    const modelsDir = newDir();
    const { manager, events } = managerFor(bed.hub, modelsDir, { idleTimeoutMs: 300 });
    bed.hub.addFault({ origin: "cdn", times: 1, stallAfterBytes: 512 * 1024 });
    const from = bed.hub.requests.length;
    const model = await manager.downloadModel(QWEN.id);
    assertSameBytes(model.path, bytesOf(QWEN, QWEN_FILE));
    const retry = events.find((event) => event.event === "retry");
    assert.ok(retry?.event === "retry");
    assert.match(retry.message, /no data for 0\.3 s/);
    const gets = modelGets(from);
    assert.equal(gets.length, 2);
    assert.equal(rangeStart(gets[1].headers), 512 * 1024, "the restart continues at the last byte");
  });

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

  it("resolves again when the signed CDN URL expires during a download", async () => {
    const modelsDir = newDir();
    let expired = false;
    const { manager } = managerFor(bed.hub, modelsDir, {
      fetch: rewritingFetch({
        async after(url) {
          if (url.origin === bed.hub.cdnOrigin && !expired) {
            expired = true;
            bed.hub.expireSignedUrls();
          }
          // A slow Hub: the fresh URL arrives well after the retry's backoff.
          if (expired && url.pathname.includes("/resolve/")) {
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          return undefined;
        },
      }),
    });
    bed.hub.addFault(resetOnceAfter(MIB));
    const from = bed.hub.requests.length;
    const model = await manager.downloadModel(QWEN.id);
    assertSameBytes(model.path, bytesOf(QWEN, QWEN_FILE));
    const expiredGets = modelGets(from).filter((request) => request.status === 403);
    assert.equal(expiredGets.length, 1, "the expired URL is used once, then the new one");
    const resolves = bed.hub.requests.slice(from).filter((request) =>
      request.origin === "hub" && request.path.endsWith(`/resolve/${model.revision}/${QWEN_FILE}`)
    );
    assert.ok(resolves.length >= 2, `resolved again (${resolves.length})`);
  });
});
