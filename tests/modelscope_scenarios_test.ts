/**
 * The Hub's download scenarios run against ModelScope too: one table of faults (resets and
 * short bodies mid-body, 5xx bursts, a storage host that keeps failing or refusing, altered
 * bytes, Range ignored, a 206 that starts early, a wrong Content-Range, a truncated listing,
 * a redirect loop) and the outcome each must have (bytes in the store, requests seen, typed
 * error codes), applied to the loopback Hub and to the loopback ModelScope alike; then the
 * scenarios that are driven step by step (a 429 with Retry-After and a stall on an injected
 * clock, work stealing around a held request, the token and the storage host), for both too.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { deterministicBytes } from "./support/hub_server.ts";
import { assertSameBytes, partialOf, rejectsWithCode } from "./support/download_harness.ts";
import {
  type Role,
  type RoleFault,
  type SeenRequest,
  type SharedRepo,
  type SourceBed,
  storageGets,
  useSourceBed,
} from "./support/source_beds.ts";
import type { DownloadEvent } from "../mod.ts";

const MIB = 1024 * 1024;
const SMALL_FILE = "Scenario-rk3588-w8a8.rkllm";
const SMALL: SharedRepo = {
  id: "test-org/Scenario-rk3588",
  files: [
    { path: "config.json", content: new TextEncoder().encode('{"model_type":"qwen2"}') },
    { path: SMALL_FILE, content: deterministicBytes(6 * MIB + 123, 611) },
  ],
};
const BIG_FILE = "Big-Scenario-rk3588-w8a8.rkllm";
const BIG: SharedRepo = {
  id: "test-org/Big-Scenario-rk3588",
  files: [
    { path: "config.json", content: new TextEncoder().encode('{"model_type":"qwen2"}') },
    { path: BIG_FILE, content: deterministicBytes(16 * MIB + 777, 4243) },
  ],
};
const REPOS = [SMALL, BIG];
/** Engine settings that make {@linkcode BIG} download in four parallel segments. */
const PARALLEL = { connections: 4, parallelThreshold: MIB };

/** What a scenario must end with. */
interface Expected {
  /** The typed error code; without it, the file lands byte-identical. */
  error?: string;
  /** Exactly this many GETs of the file reached the storage role. */
  storageGets?: number;
  /** The second GET of the file asks from at least this byte. */
  resumedFrom?: number;
  /** The last GET of the file asks from the byte the one before it asked from. */
  askedAgain?: boolean;
  /** The second GET of the file asks for the file from its first byte. */
  startedOver?: boolean;
  /** The second GET of the file was answered with this status. */
  secondStatus?: number;
  /** The last GET of the file asks without Range (the whole file). */
  wholeFileLast?: boolean;
  /** At least this many ranged GETs of the file. */
  rangedGets?: number;
  /** At least this many retry events. */
  retries?: number;
  /** No retry event at all. */
  noRetry?: boolean;
  /** A restart event (the file's download began again another way). */
  restarted?: boolean;
  /** No restart event. */
  noRestart?: boolean;
  /** The done event counts every byte of the file once. */
  transferredOnce?: boolean;
  /** The storage role sent more body bytes of the file than it has (overlapping answers). */
  overlapped?: boolean;
  /** Exactly this many listing requests. */
  listings?: number;
  /** At most this many GETs of the file reached the storage role (redirect hops included). */
  storageGetsAtMost?: number;
  /** The partial download stays to resume. */
  partialKept?: boolean;
  /** The file is not in the store, which lists no model. */
  notStored?: boolean;
  /** Neither the file nor its partial download stays, and the store lists no model. */
  nothingKept?: boolean;
}

/** One scenario: the faults (as data, by role) and the outcome. */
interface Scenario {
  name: string;
  repo: SharedRepo;
  file: string;
  /** `listing`: the api role, on the file listing only. */
  faults: { role: Role | "listing"; fault: RoleFault }[];
  parallel?: boolean;
  expect: Expected;
}

const resetOnce = (file: string): RoleFault => ({
  pathIncludes: file,
  times: 1,
  resetAfterBytes: 2 * MIB,
  bytesPerSecond: 8 * MIB,
});

const SCENARIOS: Scenario[] = [
  {
    name: "continues a body cut by a connection reset from the byte it reached",
    repo: SMALL,
    file: SMALL_FILE,
    faults: [{ role: "storage", fault: resetOnce(SMALL_FILE) }],
    expect: { storageGets: 2, resumedFrom: MIB, retries: 1 },
  },
  {
    name: "fetches only the rest of a body that ends short of its length",
    repo: SMALL,
    file: SMALL_FILE,
    faults: [{
      role: "storage",
      fault: {
        pathIncludes: SMALL_FILE,
        times: 1,
        shortAfterBytes: 2 * MIB,
        bytesPerSecond: 8 * MIB,
      },
    }],
    expect: { storageGets: 2, resumedFrom: MIB, transferredOnce: true },
  },
  {
    name: "rides out bursts of 503 from the API and the storage host",
    repo: SMALL,
    file: SMALL_FILE,
    faults: [
      { role: "api", fault: { pathIncludes: "/models/", times: 2, status: 503 } },
      { role: "storage", fault: { pathIncludes: SMALL_FILE, times: 3, status: 503 } },
    ],
    expect: { storageGets: 4, retries: 5 },
  },
  {
    name:
      "gives up after the attempts on a storage host that keeps answering 503, keeping the partial",
    repo: SMALL,
    file: SMALL_FILE,
    faults: [{ role: "storage", fault: { pathIncludes: SMALL_FILE, status: 503 } }],
    expect: { error: "network", storageGets: 4, partialKept: true },
  },
  {
    name: "stops when the storage host refuses a freshly resolved URL the same way",
    repo: SMALL,
    file: SMALL_FILE,
    faults: [{ role: "storage", fault: { pathIncludes: SMALL_FILE, status: 403 } }],
    expect: { error: "network", storageGets: 2 },
  },
  {
    name: "refuses altered bytes (one stream): integrity error, nothing kept",
    repo: SMALL,
    file: SMALL_FILE,
    faults: [{ role: "storage", fault: { pathIncludes: SMALL_FILE, corrupt: true } }],
    expect: { error: "integrity", nothingKept: true },
  },
  {
    name: "refuses altered bytes (parallel segments): integrity error, nothing kept",
    repo: BIG,
    file: BIG_FILE,
    parallel: true,
    faults: [{ role: "storage", fault: { pathIncludes: BIG_FILE, corrupt: true } }],
    expect: { error: "integrity", nothingKept: true },
  },
  {
    name: "downloads a file that failed its hash once more from the start, then stores it",
    repo: SMALL,
    file: SMALL_FILE,
    faults: [{ role: "storage", fault: { pathIncludes: SMALL_FILE, times: 1, corrupt: true } }],
    expect: { storageGets: 2, startedOver: true, restarted: true },
  },
  {
    name: "reads one stream past the bytes on disk when a resumed request gets the whole file",
    repo: SMALL,
    file: SMALL_FILE,
    faults: [
      { role: "storage", fault: resetOnce(SMALL_FILE) },
      {
        role: "storage",
        fault: { pathIncludes: SMALL_FILE, rangeRequestsOnly: true, ignoreRange: true },
      },
    ],
    expect: { secondStatus: 200, transferredOnce: true, restarted: true },
  },
  {
    name: "falls back from parallel segments to one stream when Range is ignored",
    repo: BIG,
    file: BIG_FILE,
    parallel: true,
    faults: [{ role: "storage", fault: { pathIncludes: BIG_FILE, ignoreRange: true } }],
    expect: { wholeFileLast: true, rangedGets: 1, restarted: true },
  },
  {
    name: "fetches in parallel ranges",
    repo: BIG,
    file: BIG_FILE,
    parallel: true,
    faults: [],
    expect: { rangedGets: 4, noRetry: true },
  },
  {
    name: "accepts a 206 that starts before the byte asked for and skips the overlap",
    repo: BIG,
    file: BIG_FILE,
    parallel: true,
    faults: [{
      role: "storage",
      fault: { pathIncludes: BIG_FILE, rangeRequestsOnly: true, rangeBlockBytes: MIB },
    }],
    expect: { rangedGets: 4, noRetry: true, overlapped: true },
  },
  {
    name: "retries a 206 whose Content-Range starts after the byte asked for",
    repo: SMALL,
    file: SMALL_FILE,
    faults: [
      {
        role: "storage",
        fault: { pathIncludes: SMALL_FILE, times: 1, shortAfterBytes: 2 * MIB },
      },
      {
        role: "storage",
        fault: {
          pathIncludes: SMALL_FILE,
          rangeRequestsOnly: true,
          times: 1,
          headers: { "Content-Range": `bytes ${2 * MIB + 4096}-${6 * MIB + 122}/${6 * MIB + 123}` },
        },
      },
    ],
    expect: { storageGets: 3, askedAgain: true, retries: 2, noRestart: true },
  },
  {
    name: "asks again for a listing whose body was cut short",
    repo: SMALL,
    file: SMALL_FILE,
    faults: [{ role: "listing", fault: { times: 1, shortAfterBytes: 40 } }],
    expect: { listings: 2 },
  },
  {
    name: "stops following a redirect loop of the storage host after a bounded number of hops",
    repo: SMALL,
    file: SMALL_FILE,
    faults: [{
      role: "storage",
      fault: { pathIncludes: SMALL_FILE, status: 302, headers: { Location: `./${SMALL_FILE}` } },
    }],
    expect: { error: "network", storageGetsAtMost: 10, notStored: true },
  },
];

/** The download of a scenario: the error it failed with, or none. */
async function run(bed: SourceBed, scenario: Scenario, modelsDir: string) {
  for (const { role, fault } of scenario.faults) {
    if (role === "listing") bed.addFault("api", { ...fault, pathIncludes: bed.listingPath });
    else bed.addFault(role, fault);
  }
  const { manager, events } = bed.managerFor(modelsDir);
  const from = bed.requestCount();
  const download = manager.downloadModel(
    scenario.repo.id,
    scenario.file,
    scenario.parallel ? PARALLEL : {},
  );
  const { error } = scenario.expect;
  if (error) await rejectsWithCode(download, error);
  else await download;
  return { manager, events, seen: bed.requestsSince(from) };
}

/** The first byte a request asked for (`Range: bytes=N-`), 0 without a Range header. */
function rangeStart(request: SeenRequest): number {
  return Number(/^bytes=(\d+)-/.exec(request.range ?? "")?.[1] ?? 0);
}

function checkRequests(
  seen: SeenRequest[],
  at: { scenario: Scenario; listingPath: string },
): void {
  const { scenario, listingPath } = at;
  const { expect, file } = scenario;
  const gets = storageGets(seen, file);
  const size = scenario.repo.files.find((entry) => entry.path === file)!.content.length;
  if (expect.storageGets !== undefined) assert.equal(gets.length, expect.storageGets, "GETs");
  if (expect.resumedFrom !== undefined) {
    assert.ok(rangeStart(gets[1]) >= expect.resumedFrom, `resumed at ${gets[1].range}`);
  }
  if (expect.askedAgain) assert.equal(rangeStart(gets.at(-1)!), rangeStart(gets.at(-2)!));
  if (expect.startedOver) assert.equal(rangeStart(gets[1]), 0, "from the first byte");
  if (expect.secondStatus !== undefined) assert.equal(gets[1].status, expect.secondStatus);
  if (expect.wholeFileLast) assert.equal(gets.at(-1)!.range, undefined, "the whole file");
  if (expect.rangedGets !== undefined) {
    const ranged = gets.filter((request) => request.range !== undefined);
    assert.ok(ranged.length >= expect.rangedGets, `${ranged.length} ranged GETs`);
  }
  if (expect.overlapped) {
    const sent = gets.reduce((sum, request) => sum + request.bodyBytes, 0);
    assert.ok(sent > size, `the early starts overlapped (${sent} of ${size})`);
  }
  if (expect.listings !== undefined) {
    const listings = seen.filter((request) =>
      request.role === "api" && request.path.includes(listingPath)
    );
    assert.equal(listings.length, expect.listings, "listing requests");
  }
  if (expect.storageGetsAtMost !== undefined) {
    assert.ok(gets.length > 0 && gets.length <= expect.storageGetsAtMost, `${gets.length} GETs`);
  }
}

function checkEvents(events: DownloadEvent[], scenario: Scenario): void {
  const { expect, file } = scenario;
  const retries = events.filter((event) => event.event === "retry").length;
  if (expect.retries !== undefined) assert.ok(retries >= expect.retries, `${retries} retries`);
  if (expect.noRetry) assert.equal(retries, 0, "no retry");
  if (expect.restarted) {
    assert.ok(events.some((event) => event.event === "restart" && event.file === file));
  }
  if (expect.noRestart) assert.ok(!events.some((event) => event.event === "restart"), "no restart");
  if (expect.transferredOnce) {
    const done = events.find((event) => event.event === "done" && event.file === file);
    const size = scenario.repo.files.find((entry) => entry.path === file)!.content.length;
    assert.ok(done?.event === "done" && done.transferred === size, "no byte counted twice");
  }
}

async function checkStore(
  manager: Awaited<ReturnType<typeof run>>["manager"],
  scenario: Scenario & { destination: string },
): Promise<void> {
  const { expect, destination } = scenario;
  if (!expect.error) {
    const content = scenario.repo.files.find((entry) => entry.path === scenario.file)!.content;
    assertSameBytes(destination, content, "the stored file");
  }
  if (expect.partialKept) {
    assert.ok(existsSync(partialOf(destination).state), "the partial state is kept");
    assert.ok(!existsSync(destination));
  }
  if (expect.notStored || expect.nothingKept) {
    assert.ok(!existsSync(destination), "the file is not in the store");
    assert.deepEqual(await manager.listModels(), []);
  }
  if (expect.nothingKept) assert.ok(!existsSync(partialOf(destination).part), "no partial file");
}

for (const source of ["huggingface", "modelscope"] as const) {
  describe(`download scenarios against ${source}`, () => {
    const bed = useSourceBed(source, REPOS);

    for (const scenario of SCENARIOS) {
      it(scenario.name, async () => {
        const modelsDir = bed.newDir();
        const { manager, events, seen } = await run(bed, scenario, modelsDir);
        const destination = join(modelsDir, ...scenario.repo.id.split("/"), scenario.file);
        checkRequests(seen, { scenario, listingPath: bed.listingPath });
        checkEvents(events, scenario);
        await checkStore(manager, { ...scenario, destination });
      });
    }
  });
}
