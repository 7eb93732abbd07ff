/**
 * The emulator's injected faults, repositories changed while it runs, and its command line.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import {
  type HubServer,
  type HubServerOptions,
  type RequestRecord,
  sha256Hex,
  startHubServer,
} from "./support/hub_server.ts";
import { testClock } from "./support/hub/clock.ts";
import { parseArguments } from "./support/hub_main.ts";
import {
  assertHubError,
  bytesOf,
  cdnLocation,
  CONFIG,
  MODEL,
  rawGet,
  readCounting,
  server,
  statusOf,
  url,
  useSharedHub,
} from "./support/hub_server_fixture.ts";

useSharedHub();

/** A fresh emulator serving `o/m` with the shared model file, for tests that set its clock. */
async function withModelHub(
  options: Omit<HubServerOptions, "repos">,
  test: (hub: HubServer) => Promise<void>,
): Promise<void> {
  const hub = await startHubServer({
    ...options,
    repos: [{ id: "o/m", files: [{ path: "model.rkllm", content: MODEL }] }],
  });
  try {
    await test(hub);
  } finally {
    await hub.close();
  }
}

/** The emulator's record of the model body the CDN sends. */
function modelRecord(hub: HubServer): RequestRecord {
  const record = hub.requests.find((r) => r.origin === "cdn" && r.path.endsWith("model.rkllm"));
  return record ?? assert.fail("the CDN sent no model body");
}

/** One full request to the emulator: it has handled every event queued before this answer. */
async function roundTrip(hub: HubServer): Promise<void> {
  const answer = fetch(`${hub.endpoint}/api/models/o/m`).then((r) => r.arrayBuffer());
  await within(answer, "an answer to another request");
}

function bodyReader(response: Response): ReadableStreamDefaultReader<Uint8Array> {
  return (response.body as ReadableStream<Uint8Array>).getReader();
}

/** Reads until at least `count` bytes came; how many did. */
async function readAtLeast(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  count: number,
): Promise<number> {
  let received = 0;
  while (received < count) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.length;
  }
  return received;
}

/** Reads to the end of the body, counting `first` (a read already made) in; the bytes read. */
async function readToEnd(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  first?: ReadableStreamReadResult<Uint8Array>,
): Promise<number> {
  let received = first?.value?.length ?? 0;
  if (first?.done) return received;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return received;
    received += value.length;
  }
}

/** A read started now, and whether it has settled yet. */
function watchedRead(reader: ReadableStreamDefaultReader<Uint8Array>) {
  let settled = false;
  const value = reader.read().finally(() => (settled = true));
  return { value, settled: () => settled };
}

/** The promise's value, or a failure naming what never happened (a bound, not a timing). */
async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} never came`)), 20_000);
  });
  try {
    return await Promise.race([promise, bound]);
  } finally {
    clearTimeout(timer);
  }
}

describe("faults", () => {
  const cdnModel = "model.rkllm";

  it("answers a status with its headers a given number of times, after skipping some", async () => {
    server.addFault({
      pathIncludes: "tokenizer.json",
      skip: 1,
      times: 1,
      status: 429,
      headers: { "Retry-After": "1", "RateLimit": '"api";r=0;t=1' },
    });
    try {
      const path = "/owner/model/resolve/main/tokenizer.json";
      assert.equal(await statusOf(path), 200);
      const limited = await fetch(url(path));
      assert.equal(limited.headers.get("retry-after"), "1");
      assert.equal(limited.headers.get("ratelimit"), '"api";r=0;t=1');
      await assertHubError(limited, 429, null);
      assert.equal(await statusOf(path), 200);
    } finally {
      server.clearFaults();
    }
  });

  it("filters by origin, method and Range", async () => {
    server.addFault({ origin: "cdn", method: "GET", rangeRequestsOnly: true, status: 503 });
    try {
      const plain = await fetch(url("/owner/model/resolve/main/model.rkllm"));
      assert.equal(plain.status, 200);
      await plain.arrayBuffer();
      const ranged = await fetch(url("/owner/model/resolve/main/model.rkllm"), {
        headers: { Range: "bytes=0-9" },
      });
      assert.equal(ranged.status, 503);
      assert.equal(server.requests.at(-1)?.origin, "cdn");
      await ranged.arrayBuffer();
      const head = await fetch(url("/owner/model/resolve/main/config.json"), {
        method: "HEAD",
        headers: { Range: "bytes=0-9" },
      });
      assert.equal(head.status, 206);
    } finally {
      server.clearFaults();
    }
  });

  it("resets the connection after N body bytes", async () => {
    const location = await cdnLocation("/owner/model/resolve/main/model.rkllm");
    server.addFault({ origin: "cdn", pathIncludes: cdnModel, times: 2, resetAfterBytes: 70_000 });
    const raw = await rawGet(location);
    assert.equal(raw.statusLine, "HTTP/1.1 200 OK");
    assert.match(raw.headers, new RegExp(`^content-length: ${MODEL.length}$`, "im"));
    assert.equal(raw.error, "ECONNRESET");
    assert.ok(raw.bodyBytes <= 70_000);
    assert.equal(server.requests.at(-1)?.bodyBytes, 70_000);

    const response = await fetch(url("/owner/model/resolve/main/model.rkllm"));
    const { received, failed } = await readCounting(response);
    assert.ok(failed || received < MODEL.length, "fetch does not get the body whole");
    const retry = await fetch(url("/owner/model/resolve/main/model.rkllm"));
    assert.deepEqual(await bytesOf(retry), MODEL, "the fault was used up");
    server.clearFaults();
  });

  it("ends a body short of its Content-Length and closes cleanly", async () => {
    const location = await cdnLocation("/owner/model/resolve/main/model.rkllm");
    server.addFault({ origin: "cdn", times: 2, shortAfterBytes: 1000 });
    const raw = await rawGet(location);
    assert.match(raw.headers, new RegExp(`^content-length: ${MODEL.length}$`, "im"));
    assert.equal(raw.bodyBytes, 1000);
    assert.equal(raw.error, null);

    const response = await fetch(url("/owner/model/resolve/main/model.rkllm"));
    assert.equal(Number(response.headers.get("content-length")), MODEL.length);
    const { received, failed } = await readCounting(response);
    assert.ok(failed || received < MODEL.length, "fetch does not get the body whole");
    assert.ok(received <= 1000);
    server.clearFaults();
  });

  it("stalls for stallMs after N bytes: nothing more comes until its time has passed", async () => {
    const clock = testClock();
    await withModelHub(
      { clock, faults: [{ origin: "cdn", times: 1, stallAfterBytes: 1000, stallMs: 300 }] },
      async (hub) => {
        const reader = bodyReader(await fetch(`${hub.endpoint}/o/m/resolve/main/model.rkllm`));
        const stall = await within(hub.waitForStall(), "a stall");
        assert.equal(stall.afterBytes, 1000);
        assert.equal(await readAtLeast(reader, 1000), 1000);
        const rest = watchedRead(reader);
        clock.advance(299);
        await roundTrip(hub);
        assert.equal(rest.settled(), false, "bytes came before stallMs had passed");
        assert.equal(modelRecord(hub).bodyBytes, 1000);
        clock.advance(1);
        assert.equal(await stall.ended, "timer");
        assert.equal(1000 + await readToEnd(reader, await rest.value), MODEL.length);
      },
    );
  });

  it("stalls before the first body byte, after sending the headers", async () => {
    const clock = testClock();
    await withModelHub(
      { clock, faults: [{ origin: "cdn", times: 1, stallMs: 300 }] },
      async (hub) => {
        const answer = fetch(`${hub.endpoint}/o/m/resolve/main/model.rkllm`);
        const stall = await within(hub.waitForStall(), "a stall");
        assert.equal(stall.afterBytes, 0);
        // The stall lasts until the clock moves, so the headers can only have come before it.
        const response = await within(answer, "the headers during the stall");
        assert.equal(response.status, 200);
        const reader = bodyReader(response);
        const first = watchedRead(reader);
        await roundTrip(hub);
        assert.equal(first.settled(), false, "a body byte came during the stall");
        clock.advance(300);
        assert.equal(await stall.ended, "timer");
        assert.equal(await readToEnd(reader, await first.value), MODEL.length);
      },
    );
  });

  it("stalls until the client gives up, and keeps serving others", async () => {
    const stallsBefore = server.stalls.length;
    server.addFault({ origin: "cdn", times: 1, stallAfterBytes: 5000 });
    try {
      const controller = new AbortController();
      const response = await fetch(url("/owner/model/resolve/main/model.rkllm"), {
        signal: controller.signal,
      });
      const stall = await within(server.waitForStall(stallsBefore + 1), "a stall");
      assert.equal(stall.afterBytes, 5000);
      const reader = bodyReader(response);
      assert.equal(await readAtLeast(reader, 5000), 5000);
      const rest = watchedRead(reader);
      const next = await fetch(url("/owner/model/resolve/main/config.json"));
      assert.equal(await next.text(), CONFIG);
      assert.equal(rest.settled(), false, "bytes came during the stall");
      controller.abort();
      await rest.value.catch(() => {});
      assert.equal(await stall.ended, "closed");
    } finally {
      server.clearFaults();
    }
  });

  it("ignores Range and answers 200 with the whole body", async () => {
    server.addFault({ origin: "cdn", times: 1, ignoreRange: true });
    const response = await fetch(url("/owner/model/resolve/main/model.rkllm"), {
      headers: { Range: "bytes=100-" },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-range"), null);
    assert.deepEqual(await bytesOf(response), MODEL);
    server.clearFaults();
  });

  it("corrupts the body without changing its length", async () => {
    server.addFault({ origin: "cdn", times: 1, corrupt: true });
    const body = await bytesOf(await fetch(url("/owner/model/resolve/main/model.rkllm")));
    assert.equal(body.length, MODEL.length);
    assert.notEqual(sha256Hex(body), sha256Hex(MODEL));
    server.clearFaults();
  });

  it("caps the body rate", async () => {
    const clock = testClock({ auto: true });
    const bytesPerSecond = 500_000;
    await withModelHub(
      { clock, faults: [{ origin: "cdn", times: 1, bytesPerSecond }] },
      async (hub) => {
        const response = await fetch(`${hub.endpoint}/o/m/resolve/main/model.rkllm`);
        assert.deepEqual(await bytesOf(response), MODEL);
        // The last write is due when all but its own bytes were sent at the rate.
        const fullMs = (MODEL.length / bytesPerSecond) * 1000;
        assert.ok(clock.now() > fullMs * 0.9, `${clock.now()} ms for ${fullMs} ms at the rate`);
        assert.ok(clock.now() <= fullMs, `${clock.now()} ms for ${fullMs} ms at the rate`);
      },
    );
  });

  it("adds headers to the normal answer, e.g. a weak ETag", async () => {
    server.addFault({ origin: "hub", pathIncludes: "config.json", headers: { etag: 'W/"weak"' } });
    const response = await fetch(url("/owner/model/resolve/main/config.json"));
    assert.equal(response.headers.get("etag"), 'W/"weak"');
    assert.equal(await response.text(), CONFIG);
    server.clearFaults();
  });

  it("counts bytes served per path", async () => {
    const before = server.bytesServed(cdnModel);
    const response = await fetch(url("/owner/model/resolve/main/model.rkllm"), {
      headers: { Range: "bytes=0-99" },
    });
    await response.arrayBuffer();
    assert.equal(server.bytesServed(cdnModel) - before, 100);
    assert.ok(server.bytesServed() >= server.bytesServed(cdnModel));
  });

  it("survives clients that disconnect in the middle of a large body", async () => {
    const big = await startHubServer({
      repos: [{
        id: "o/big",
        files: [{ path: "big.rkllm", source: { size: 256 * 1024 * 1024, seed: 1 } }],
      }],
    });
    try {
      for (let i = 0; i < 3; i++) {
        const controller = new AbortController();
        const response = await fetch(`${big.endpoint}/o/big/resolve/main/big.rkllm`, {
          signal: controller.signal,
        });
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        await reader.read();
        controller.abort();
        await reader.read().catch(() => {});
      }
      const part = await fetch(`${big.endpoint}/o/big/resolve/main/big.rkllm`, {
        headers: { Range: "bytes=200000000-200000099" },
      });
      assert.equal(part.status, 206);
      assert.equal((await bytesOf(part)).length, 100);
      assert.ok(
        big.bytesServed("big.rkllm") < 256 * 1024 * 1024,
        "aborted bodies were not sent whole",
      );
    } finally {
      await big.close();
    }
  });
});

describe("changing repositories", () => {
  it("replaces a repo with setRepo, with a new commit and content", async () => {
    const local = await startHubServer({
      repos: [{ id: "o/r", files: [{ path: "m.txt", content: "first" }] }],
    });
    try {
      const first = await fetch(`${local.endpoint}/o/r/resolve/main/m.txt`);
      const firstCommit = first.headers.get("x-repo-commit");
      assert.equal(await first.text(), "first");
      local.setRepo({ id: "o/r", files: [{ path: "m.txt", content: "second" }] });
      const second = await fetch(`${local.endpoint}/o/r/resolve/main/m.txt`);
      assert.notEqual(second.headers.get("x-repo-commit"), firstCommit);
      assert.equal(await second.text(), "second");
    } finally {
      await local.close();
    }
  });

  it("closes even while a client holds a stalled connection", async () => {
    const local = await startHubServer({
      repos: [{ id: "o/r", files: [{ path: "m.bin", content: "x".repeat(10_000), lfs: false }] }],
      faults: [{ stallAfterBytes: 10 }],
    });
    const reader = bodyReader(await fetch(`${local.endpoint}/o/r/resolve/main/m.bin`));
    const stall = await within(local.waitForStall(), "a stall");
    assert.equal(await readAtLeast(reader, 10), 10);
    await local.close();
    assert.equal(await stall.ended, "closed");
    assert.equal(10 + await readToEnd(reader).catch(() => 0), 10, "no byte came after the stall");
  });
});

describe("command line", () => {
  it("parses repos, large lazy files and rates", () => {
    const options = parseArguments([
      "--port",
      "0",
      "--sample",
      "--large",
      "me/big:dir/model.rkllm:2G",
      "--bytes-per-second",
      "1000",
    ]);
    assert.equal(options.port, 0);
    assert.equal(options.bytesPerSecond, 1000);
    const big = options.repos.find((repo) => repo.id === "me/big");
    assert.equal(big?.files[0].path, "dir/model.rkllm");
    assert.equal(big?.files[0].source?.size, 2 * 1024 ** 3);
    assert.ok(
      options.repos.some((repo) => repo.id === "limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4"),
    );
    assert.throws(() => parseArguments(["--nope"]), /unknown option/);
    assert.throws(() => parseArguments([]), /add --sample/);
  });
});
