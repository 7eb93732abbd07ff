/**
 * What a partial download's saved state leads to on the next run: a file that
 * changed on the Hub starts over (and says so), a stale partial (416, or one
 * shorter than its state) starts over, an expired URL is resolved again, a
 * cancelled download resumes with only the missing bytes (after a reboot, only
 * those a flush made durable count), and a file the Hub describes
 * inconsistently is refused before its bytes are fetched.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync, readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deterministicBytes } from "./support/hub_server.ts";
import { bytesOf, QWEN, QWEN_FILE } from "./support/fixtures.ts";
import {
  assertSameBytes,
  BIG,
  BIG_FILE,
  bodyBytes,
  cancelBigDownloadAfter,
  cdnGets,
  managerFor,
  PARALLEL,
  partialOf,
  pathIn,
  rejectsWithCode,
  resetOnceAfter,
  rewritingFetch,
  savedBytes,
} from "./support/download_harness.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { partialProgress } from "../src/store/partial_state.ts";
import { RuntimeDetector } from "../src/runtime/detect_runtime.ts";

const MIB = 1024 * 1024;
const QWEN_SIZE = bytesOf(QWEN, QWEN_FILE).length;

describe("resuming a partial download", () => {
  const bed = useHubTestBed({ repos: [QWEN, BIG] });
  const { newDir } = bed;
  const modelGets = (from: number, file = QWEN_FILE) => cdnGets(bed.hub.requests.slice(from), file);

  /**
   * Resumes the big model in `modelsDir` and answers the bytes its start event
   * says were kept and the body bytes the CDN sent. One connection takes the saved
   * segments' missing ranges one after the other: no split, no endgame copy, no
   * request cut short, so the bytes served are exactly the missing ones.
   */
  async function resumeOnOneConnection(modelsDir: string) {
    const from = bed.hub.requests.length;
    const second = managerFor(bed.hub, modelsDir);
    const result = await second.manager.downloadWithPlan(BIG.id, undefined, {
      ...PARALLEL,
      connections: 1,
    });
    assertSameBytes(result.model.path, bytesOf(BIG, BIG_FILE));
    const start = second.events.find((event) => event.event === "start" && event.file === BIG_FILE);
    return {
      resumedBytes: start?.event === "start" ? start.resumedBytes : undefined,
      served: bodyBytes(modelGets(from, BIG_FILE)),
    };
  }

  it("starts a file over, and says so, when it changed on the Hub between runs", async () => {
    const id = "test-org/Changing-rk3588";
    const file = "Changing-rk3588-w8a8.rkllm";
    const versions = [
      deterministicBytes(3 * MIB, 1),
      deterministicBytes(3 * MIB + 4096, 2), // another size
      deterministicBytes(3 * MIB + 4096, 3), // same size, other bytes
    ];
    const modelsDir = newDir();
    const destination = join(modelsDir, "test-org", "Changing-rk3588", file);
    bed.hub.setRepo({ id, files: [{ path: file, content: versions[0] }] });
    for (const next of versions.slice(1)) {
      const { manager } = managerFor(bed.hub, modelsDir, { retry: { attempts: 1 } });
      bed.hub.addFault(resetOnceAfter(MIB));
      await rejectsWithCode(manager.downloadModel(id), "network");
      assert.ok(savedBytes(destination) > 0, "a partial download was left behind");
      bed.hub.setRepo({ id, files: [{ path: file, content: next }] });
      const from = bed.hub.requests.length;
      const again = managerFor(bed.hub, modelsDir);
      const model = await again.manager.downloadModel(id);
      assertSameBytes(model.path, next);
      const restart = again.events.find((event) => event.event === "restart");
      assert.ok(restart?.event === "restart" && /changed/.test(restart.reason), "says so");
      const start = again.events.find((event) => event.event === "start");
      assert.ok(start?.event === "start" && start.resumedBytes === 0, "from byte 0");
      const fetched = modelGets(from, file);
      assert.deepEqual(
        fetched.map((request) => request.headers.range ?? "bytes=0-"),
        ["bytes=0-"],
        "one request, from byte 0",
      );
      assert.equal(bodyBytes(fetched), next.length, "the new file, nothing of the old kept");
      await again.manager.removeModel(id);
    }
  });

  it("resolves again on resume, so an expired URL from the first run does no harm", async () => {
    const modelsDir = newDir();
    const first = managerFor(bed.hub, modelsDir, { retry: { attempts: 1 } });
    bed.hub.addFault(resetOnceAfter(MIB));
    await rejectsWithCode(first.manager.downloadModel(QWEN.id), "network");
    const kept = savedBytes(pathIn(modelsDir, QWEN, QWEN_FILE));
    assert.ok(kept > 0);
    bed.hub.expireSignedUrls();
    const from = bed.hub.requests.length;
    const second = managerFor(bed.hub, modelsDir);
    const result = await second.manager.downloadWithPlan(QWEN.id);
    assertSameBytes(result.model.path, bytesOf(QWEN, QWEN_FILE));
    assert.ok(modelGets(from).every((request) => request.status === 206), "no expired URL used");
    const start = second.events.find((event) =>
      event.event === "start" && event.file === QWEN_FILE
    );
    assert.ok(start?.event === "start" && start.resumedBytes === kept, "resumed");
    const served = bodyBytes(modelGets(from));
    assert.equal(served, QWEN_SIZE - kept, "only the missing bytes were fetched");
  });

  it("stops on an AbortSignal and keeps a partial download the next run resumes", async () => {
    const modelsDir = newDir();
    const first = managerFor(bed.hub, modelsDir);
    bed.hub.addFault({ origin: "cdn", bytesPerSecond: 2 * MIB });
    await cancelBigDownloadAfter(first.manager, 2 * MIB);
    const destination = pathIn(modelsDir, BIG, BIG_FILE);
    const kept = savedBytes(destination);
    assert.ok(kept >= 2 * MIB, `the state records what arrived (${kept})`);
    assert.ok(existsSync(partialOf(destination).part));
    bed.hub.clearFaults();
    const { resumedBytes, served } = await resumeOnOneConnection(modelsDir);
    assert.equal(resumedBytes, kept);
    assert.equal(served, bytesOf(BIG, BIG_FILE).length - kept, "only the missing bytes");
  });

  it("after a reboot resumes from the bytes a flush made durable, in the same boot from all written", async () => {
    const runtime = RuntimeDetector.current();
    for (const boot of ["same", "earlier"]) {
      const modelsDir = newDir();
      const first = managerFor(bed.hub, modelsDir);
      bed.hub.addFault({ origin: "cdn", bytesPerSecond: 2 * MIB });
      await cancelBigDownloadAfter(first.manager, 2 * MIB);
      bed.hub.clearFaults();
      const destination = pathIn(modelsDir, BIG, BIG_FILE);
      const kept = savedBytes(destination);
      assert.ok(kept >= 2 * MIB, `the state records what arrived (${kept})`);
      // As if the process had died before any flush: nothing is durable yet.
      const state = JSON.parse(readFileSync(partialOf(destination).state, "utf8"));
      const unflushed = state.segments.map((segment: { start: number }) => ({
        ...segment,
        next: segment.start,
      }));
      const bootId = boot === "same" ? runtime.bootId() ?? "no boot id here" : "an earlier boot";
      writeFileSync(
        partialOf(destination).state,
        JSON.stringify({ ...state, bootId, durableSegments: unflushed }),
      );
      const { resumedBytes, served } = await resumeOnOneConnection(modelsDir);
      const resumed = boot === "same" && runtime.bootId() !== undefined ? kept : 0;
      assert.equal(resumedBytes, resumed, `${boot} boot`);
      assert.equal(served, bytesOf(BIG, BIG_FILE).length - resumed, `${boot} boot: bytes fetched`);
    }
  });

  it("tells how far a partial download got from its state, not from the partial file's size", async () => {
    const modelsDir = newDir();
    const { manager } = managerFor(bed.hub, modelsDir);
    bed.hub.addFault({ origin: "cdn", bytesPerSecond: 2 * MIB });
    await cancelBigDownloadAfter(manager, 2 * MIB);
    bed.hub.clearFaults();
    const runtime = RuntimeDetector.current();
    const destination = pathIn(modelsDir, BIG, BIG_FILE);
    const kept = savedBytes(destination);
    const total = bytesOf(BIG, BIG_FILE).length;
    assert.ok(kept > 0 && kept < total, `some bytes were saved (${kept})`);
    assert.deepEqual(await partialProgress(runtime, destination), { bytes: kept, total });
    // A partial file shorter than its state counts is started over: nothing of it is kept.
    truncateSync(partialOf(destination).part, 1);
    assert.deepEqual(await partialProgress(runtime, destination), { bytes: 0, total });
    assert.equal(await partialProgress(runtime, pathIn(modelsDir, QWEN, QWEN_FILE)), undefined);
  });

  it("starts a file over when the server answers 416 to a resumed request", async () => {
    const modelsDir = newDir();
    const first = managerFor(bed.hub, modelsDir, { retry: { attempts: 1 } });
    bed.hub.addFault(resetOnceAfter(MIB));
    await rejectsWithCode(first.manager.downloadModel(QWEN.id), "network");
    assert.ok(savedBytes(pathIn(modelsDir, QWEN, QWEN_FILE)) > 0);
    let refused = 0;
    const second = managerFor(bed.hub, modelsDir, {
      fetch: rewritingFetch({
        before(url, init) {
          const ranged = new Headers(init?.headers).has("range");
          if (url.origin !== bed.hub.cdnOrigin || !ranged || refused++ > 0) return undefined;
          return new Response(null, {
            status: 416,
            headers: { "Content-Range": `bytes */${QWEN_SIZE}` },
          });
        },
      }),
    });
    const from = bed.hub.requests.length;
    const model = await second.manager.downloadModel(QWEN.id);
    assertSameBytes(model.path, bytesOf(QWEN, QWEN_FILE));
    assert.equal(refused, 1, "one ranged request, answered 416");
    const gets = modelGets(from);
    assert.equal(gets.length, 1);
    assert.equal(gets[0].headers.range, undefined, "then a fresh start from byte 0");
    const restart = second.events.find((event) => event.event === "restart");
    assert.ok(restart?.event === "restart" && /416|stale/.test(restart.reason), "says so");
  });

  it("refuses a file whose resolve states another sha256 than the listing, before fetching it", async () => {
    const other = "ab".repeat(32);
    const { manager } = managerFor(bed.hub, newDir(), {
      fetch: rewritingFetch({
        after(url, response) {
          if (!url.pathname.endsWith(`/${QWEN_FILE}`) || !response.headers.has("x-linked-etag")) {
            return undefined;
          }
          const headers = new Headers(response.headers);
          headers.set("X-Linked-Etag", `"${other}"`);
          return new Response(null, { status: response.status, headers });
        },
      }),
    });
    const from = bed.hub.requests.length;
    const error = await rejectsWithCode(manager.downloadModel(QWEN.id), "integrity");
    assert.ok(error.message.includes(other) && error.message.includes(QWEN_FILE), error.message);
    assert.deepEqual(modelGets(from), [], "no byte of it was fetched");
  });

  it("starts over when the partial file holds fewer bytes than its state counts", async () => {
    const modelsDir = newDir();
    const first = managerFor(bed.hub, modelsDir, { retry: { attempts: 1 } });
    bed.hub.addFault(resetOnceAfter(2 * MIB));
    await rejectsWithCode(first.manager.downloadModel(QWEN.id), "network");
    const destination = pathIn(modelsDir, QWEN, QWEN_FILE);
    const kept = savedBytes(destination);
    assert.ok(kept > 0);
    truncateSync(partialOf(destination).part, Math.floor(kept / 2));
    const second = managerFor(bed.hub, modelsDir);
    const model = await second.manager.downloadModel(QWEN.id);
    assertSameBytes(model.path, bytesOf(QWEN, QWEN_FILE));
    const start = second.events.find((event) =>
      event.event === "start" && event.file === QWEN_FILE
    );
    assert.ok(start?.event === "start" && start.resumedBytes === 0, "from byte 0");
    assert.ok(
      second.events.some((event) => event.event === "restart" && /shorter/.test(event.reason)),
    );
  });

  it("starts over, byte-identical, when the saved state is not JSON or not a state", async () => {
    const rewrites = [
      () => "{ not json",
      () => JSON.stringify({ version: 1, segments: "all" }),
      (saved: string) =>
        JSON.stringify({ ...JSON.parse(saved), bootId: "b", durableSegments: "all" }),
      (saved: string) => JSON.stringify({ ...JSON.parse(saved), bootId: "b", durableSegments: 5 }),
      (saved: string) => JSON.stringify({ ...JSON.parse(saved), durableSegments: {} }),
      (saved: string) => JSON.stringify({ ...JSON.parse(saved), bootId: 7, durableSegments: [] }),
    ];
    for (const rewrite of rewrites) {
      const modelsDir = newDir();
      const first = managerFor(bed.hub, modelsDir, { retry: { attempts: 1 } });
      bed.hub.addFault(resetOnceAfter(2 * MIB));
      await rejectsWithCode(first.manager.downloadModel(QWEN.id), "network");
      const destination = pathIn(modelsDir, QWEN, QWEN_FILE);
      assert.ok(savedBytes(destination) > 0, "the first run saved its progress");
      const written = rewrite(readFileSync(partialOf(destination).state, "utf8"));
      writeFileSync(partialOf(destination).state, written);
      const second = managerFor(bed.hub, modelsDir);
      const model = await second.manager.downloadModel(QWEN.id);
      assertSameBytes(model.path, bytesOf(QWEN, QWEN_FILE));
      const start = second.events.find((event) =>
        event.event === "start" && event.file === QWEN_FILE
      );
      assert.ok(start?.event === "start" && start.resumedBytes === 0, `from byte 0: ${written}`);
    }
  });
});
