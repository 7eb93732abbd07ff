/**
 * The Hub's download scenarios that a test drives step by step, run against the loopback
 * Hub and the loopback ModelScope alike: a 429 with `Retry-After` and a stalled body on an
 * injected clock, work stealing around a request the emulator holds, the token kept from
 * the storage host; and the one scenario whose outcome differs by source, a listing
 * without hashes (the Hub still states one when resolving, ModelScope does not).
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { deterministicBytes } from "./support/hub_server.ts";
import {
  assertSameBytes,
  countingRuntime,
  rejectsWithCode,
  waitFor,
} from "./support/download_harness.ts";
import { ManualClock } from "./support/manual_clock.ts";
import {
  BED_TOKEN,
  type SharedRepo,
  type SourceBed,
  storageGets,
  useSourceBed,
} from "./support/source_beds.ts";

const MIB = 1024 * 1024;
const MODEL_FILE = "Driven-rk3588-w8a8.rkllm";
const MODEL: SharedRepo = {
  id: "test-org/Driven-rk3588",
  files: [
    { path: "config.json", content: new TextEncoder().encode("{}") },
    { path: MODEL_FILE, content: deterministicBytes(6 * MIB + 99, 7171) },
  ],
};
/** A repository holding only its model: no other file's request runs beside it while the clock moves. */
const ALONE_FILE = "Driven-Alone-rk3588-w8a8.rkllm";
const ALONE: SharedRepo = {
  id: "test-org/Driven-Alone-rk3588",
  files: [{ path: ALONE_FILE, content: deterministicBytes(4 * MIB + 333, 5153) }],
};
const BIG_FILE = "Driven-Big-rk3588-w8a8.rkllm";
const BIG: SharedRepo = {
  id: "test-org/Driven-Big-rk3588",
  files: [{ path: BIG_FILE, content: deterministicBytes(16 * MIB + 777, 4244) }],
};
/** A test driven step by step fails after this, by name, when the engine never gets on. */
const UNLESS_IT_HANGS = { timeout: 90_000 };

function contentOf(repo: SharedRepo, path: string): Uint8Array {
  return repo.files.find((file) => file.path === path)!.content;
}

/** The first byte a request asked for (`Range: bytes=N-`), 0 without a Range header. */
function rangeStart(range: string | undefined): number {
  return Number(/^bytes=(\d+)-/.exec(range ?? "")?.[1] ?? 0);
}

/** Lets every callback already queued run (timers, I/O and promise jobs). */
function anotherTurn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function drivenScenarios(bed: SourceBed): void {
  it(
    "waits as long as Retry-After asks on a 429 of the API and of the storage host, sending nothing meanwhile",
    UNLESS_IT_HANGS,
    async () => {
      const clock = new ManualClock();
      const modelsDir = bed.newDir();
      const { manager, events } = bed.managerFor(modelsDir, { retry: { baseDelayMs: 5 }, clock });
      const limited = { times: 1, status: 429, headers: { "Retry-After": "1" } };
      bed.addFault("api", { ...limited, pathIncludes: bed.listingPath });
      bed.addFault("storage", { ...limited, pathIncludes: MODEL_FILE });
      const from = bed.requestCount();
      const listings = () =>
        bed.requestsSince(from).filter((request) => request.path.includes(bed.listingPath));
      const download = manager.downloadModel(MODEL.id, MODEL_FILE);

      const apiWait = await clock.nextSleep();
      assert.equal(apiWait.ms, 1000, "Retry-After: 1 waits 1 s");
      await anotherTurn();
      assert.equal(listings().length, 1, "no listing asked again before the wait ends");
      apiWait.release();

      const storageWait = await clock.nextSleep();
      assert.equal(storageWait.ms, 1000, "Retry-After: 1 waits 1 s");
      await anotherTurn();
      assert.equal(storageGets(bed.requestsSince(from), MODEL_FILE).length, 1, "nothing meanwhile");
      storageWait.release();

      const model = await download;
      assertSameBytes(model.path, contentOf(MODEL, MODEL_FILE));
      const retries = events.filter((event) => event.event === "retry");
      assert.deepEqual(retries.map((retry) => retry.event === "retry" && retry.delayMs), [
        1000,
        1000,
      ]);
      assert.equal(clock.sleeps.length, 2, "no other wait");
    },
  );

  it(
    "restarts a stalled body from its last byte after the idle timeout",
    UNLESS_IT_HANGS,
    async () => {
      const clock = new ManualClock();
      const counting = countingRuntime();
      const { manager, events } = bed.managerFor(bed.newDir(), {
        idleTimeoutMs: 300,
        clock,
        runtime: counting.runtime,
      });
      bed.addFault("storage", { pathIncludes: ALONE_FILE, times: 1, stallAfterBytes: 512 * 1024 });
      const from = bed.requestCount();
      const download = manager.downloadModel(ALONE.id);
      await waitFor(
        () => counting.bytesRead(ALONE_FILE) >= 512 * 1024,
        "the bytes before the stall",
      );
      clock.advance(300);
      await anotherTurn();
      assert.ok(
        !events.some((event) => event.event === "retry"),
        "not restarted within the window",
      );
      clock.advance(75);
      (await clock.nextSleep()).release();
      const model = await download;
      assertSameBytes(model.path, contentOf(ALONE, ALONE_FILE));
      const gets = storageGets(bed.requestsSince(from), ALONE_FILE);
      assert.equal(gets.length, 2);
      assert.equal(rangeStart(gets[1].range), 512 * 1024, "the restart continues at the last byte");
    },
  );

  it(
    "lets the other connections take over a range the storage host holds",
    UNLESS_IT_HANGS,
    async () => {
      const held = 512 * 1024;
      bed.addFault("storage", {
        pathIncludes: BIG_FILE,
        rangeRequestsOnly: true,
        times: 1,
        stallAfterBytes: held,
      });
      const from = bed.requestCount();
      const { manager } = bed.managerFor(bed.newDir());
      // No stall restart either: only the other connections can fetch the held bytes.
      const model = await manager.downloadModel(BIG.id, undefined, {
        connections: 4,
        parallelThreshold: MIB,
        idleTimeoutMs: 10 * 60_000,
      });
      assertSameBytes(model.path, contentOf(BIG, BIG_FILE));
      const gets = storageGets(bed.requestsSince(from), BIG_FILE);
      const first = gets.find((request) => request.range !== undefined)!;
      assert.equal(first.bodyBytes, held, "the held request sent no more than it was let");
      const [start, end] = /^bytes=(\d+)-(\d+)$/.exec(first.range!)!.slice(1).map(Number);
      const takers = gets.filter((request) => {
        const at = rangeStart(request.range);
        return request !== first && at > start && at <= end;
      });
      assert.ok(takers.length >= 1, "other requests fetched the rest of the held range");
    },
  );

  it("sends the token to the API host and never to the storage host it redirects to", async () => {
    const { manager } = bed.managerFor(bed.newDir(), { token: BED_TOKEN });
    const from = bed.requestCount();
    const model = await manager.downloadModel(MODEL.id);
    assertSameBytes(model.path, contentOf(MODEL, MODEL_FILE));
    const seen = bed.requestsSince(from);
    const api = seen.filter((request) => request.role === "api");
    const storage = seen.filter((request) => request.role === "storage");
    assert.ok(api.length > 0 && storage.length > 0);
    for (const request of api) assert.equal(request.authorization, `Bearer ${BED_TOKEN}`);
    for (const request of storage) {
      assert.equal(request.authorization, undefined, `no token at ${request.path}`);
      assert.equal(request.cookie, undefined, `no cookie at ${request.path}`);
    }
  });
}

for (const source of ["huggingface", "modelscope"] as const) {
  describe(`step-driven download scenarios against ${source}`, () => {
    drivenScenarios(useSourceBed(source, [MODEL, ALONE, BIG]));
  });
}

describe("a listing without hashes", () => {
  const hub = useSourceBed("huggingface", [MODEL]);
  const ms = useSourceBed("modelscope", [MODEL]);

  it("on the Hub: resolve still states the sha256, so altered bytes are refused", async () => {
    hub.addFault("api", { pathIncludes: hub.listingPath, listingHashes: "omit" });
    hub.addFault("storage", { pathIncludes: MODEL_FILE, corrupt: true });
    const { manager } = hub.managerFor(hub.newDir());
    await rejectsWithCode(manager.downloadModel(MODEL.id, MODEL_FILE), "integrity");
  });

  for (const hashes of ["omit", "mask"] as const) {
    it(`on ModelScope (Sha256 ${hashes === "omit" ? "left out" : "null"}): downloads checking the size only, and verify says so`, async () => {
      ms.addFault("api", { pathIncludes: ms.listingPath, listingHashes: hashes });
      const modelsDir = ms.newDir();
      const { manager } = ms.managerFor(modelsDir);
      const model = await manager.downloadModel(MODEL.id, MODEL_FILE);
      assertSameBytes(model.path, contentOf(MODEL, MODEL_FILE));
      const [verdict] = await manager.verifyModel(MODEL.id);
      assert.equal(verdict.ok, true);
      assert.ok(verdict.sizeOnly.includes(MODEL_FILE), `checked by size only: ${verdict.sizeOnly}`);
      assert.equal(
        verdict.files.find((file) => file.file === MODEL_FILE)?.checkedBy,
        "size",
      );
    });
  }
});
