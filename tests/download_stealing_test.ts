/**
 * Work stealing: a connection that turns slow does not hold the download back.
 * Free connections take over the tail of its range (the slow request is cut
 * short), and a straggler's last bytes are fetched again by a fresh request.
 * A split is saved before its request starts, so a process killed with
 * `kill -9` during or after a split resumes to a byte-identical file, and its
 * saved state never claims bytes that are not on disk. The emulator holds the
 * straggler (it sends a set number of bytes, then nothing until the client
 * goes), so the race is decided by the emulator, not by speed; the tests count
 * the requests and bytes it served.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import process from "node:process";
import { deterministicBytes, type HubRepoSpec, type RequestRecord } from "./support/hub_server.ts";
import { finished } from "./support/cli_process.ts";
import {
  assertSameBytes,
  BIG,
  BIG_FILE,
  cdnGets,
  managerFor,
  PARALLEL,
  partialOf,
  pathIn,
  waitFor,
} from "./support/download_harness.ts";
import { bytesOf } from "./support/fixtures.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { openDescriptorsOn } from "./support/open_files.ts";

const MIB = 1024 * 1024;

/** A model of 64 MiB: the CLI fetches it in sixteen 4 MiB pieces over eight connections. */
const SPLIT_SIZE = 64 * MIB;
const SPLIT_SEED = 6464;
const SPLIT: HubRepoSpec = {
  id: "test-org/Split-Model-rk3588",
  files: [
    { path: "config.json", content: "{}" },
    { path: "Split-Model-rk3588-w8a8.rkllm", source: { size: SPLIT_SIZE, seed: SPLIT_SEED } },
  ],
};
const SPLIT_FILE = "Split-Model-rk3588-w8a8.rkllm";
const PLANNED_PIECES = 16;
const PIECE = SPLIT_SIZE / PLANNED_PIECES;
/** Bytes the emulator lets a straggling request send before it holds it. */
const HELD_AFTER = 512 * 1024;

/** The byte range a request asked for (`Range: bytes=A-B`). */
function askedRange(request: RequestRecord): { start: number; end: number } {
  const match = /^bytes=(\d+)-(\d+)$/.exec(request.headers.range ?? "");
  assert.ok(match, `a ranged request: ${request.headers.range}`);
  return { start: Number(match[1]), end: Number(match[2]) };
}

interface SavedSegment {
  start: number;
  end: number;
  next: number;
}

function savedSegments(destination: string): SavedSegment[] {
  try {
    return JSON.parse(readFileSync(partialOf(destination).state, "utf8")).segments;
  } catch {
    return [];
  }
}

/** Asserts that every byte the saved state counts is on disk and right. */
function assertStateHoldsItsBytes(destination: string, expected: Uint8Array): SavedSegment[] {
  const segments = savedSegments(destination);
  assert.ok(segments.length > 0, "a saved state");
  const fd = openSync(partialOf(destination).part, "r");
  try {
    for (const segment of segments) {
      const length = segment.next - segment.start;
      const onDisk = new Uint8Array(length);
      const read = length === 0 ? 0 : readSync(fd, onDisk, 0, length, segment.start);
      assert.equal(read, length, `bytes ${segment.start}-${segment.next} are on disk`);
      assert.ok(
        Buffer.from(onDisk).equals(expected.subarray(segment.start, segment.next)),
        `bytes ${segment.start}-${segment.next} are the right ones`,
      );
    }
  } finally {
    closeSync(fd);
  }
  return segments;
}

describe("work stealing", () => {
  const bed = useHubTestBed({ repos: [BIG, SPLIT] });
  const { newDir } = bed;

  it("lets the other connections take over a straggling connection's range", {
    timeout: 90_000,
  }, async () => {
    // The emulator holds the first ranged request after 512 KiB until the client goes: it
    // cannot finish its piece, however fast or slow the machine runs.
    bed.hub.addFault({
      origin: "cdn",
      pathIncludes: BIG_FILE,
      rangeRequestsOnly: true,
      times: 1,
      stallAfterBytes: HELD_AFTER,
    });
    const from = bed.hub.requests.length;
    const dir = newDir();
    const { manager } = managerFor(bed.hub, dir);
    // No stall restart either: only the other connections can fetch the held bytes.
    await manager.downloadModel(BIG.id, undefined, { ...PARALLEL, idleTimeoutMs: 10 * 60_000 });
    assertSameBytes(pathIn(dir, BIG, BIG_FILE), bytesOf(BIG, BIG_FILE), "the model");

    const gets = cdnGets(bed.hub.requests.slice(from), BIG_FILE);
    const held = gets[0];
    const asked = askedRange(held);
    assert.equal(held.bodyBytes, HELD_AFTER, "the held request sent no more than it was let");
    // Requests asked after the held one fetched the rest of its range.
    const takers = gets.slice(1).map(askedRange).filter((range) =>
      range.start > asked.start && range.start <= asked.end
    );
    assert.ok(takers.length >= 1, "other requests fetched the rest of the held range");
    const covered = takers.sort((a, b) => a.start - b.start).reduce(
      (front, range) => range.start <= front ? Math.max(front, range.end + 1) : front,
      asked.start + HELD_AFTER,
    );
    assert.equal(covered, asked.end + 1, "the held range's missing bytes were all asked for");
    // Every connection's handle on the partial file is closed, the cut request's too.
    if (process.platform === "linux") {
      assert.equal(openDescriptorsOn(pathIn(dir, BIG, BIG_FILE)), 0, "descriptors left open");
    }
  });

  for (const moment of ["during", "after"] as const) {
    it(`resumes byte-identical after kill -9 ${moment} a split`, { timeout: 150_000 }, async () => {
      const expected = deterministicBytes(SPLIT_SIZE, SPLIT_SEED);
      const ranged = { origin: "cdn", pathIncludes: SPLIT_FILE, rangeRequestsOnly: true } as const;
      // The first planned piece is held after 1 MiB until the client goes; the other fifteen
      // come whole. The requests after them (the held piece's split-off tail, copies) are held:
      // before their first byte ("during"), or after 1 MiB sent slowly enough that the state
      // is saved while it arrives ("after"). Either way the download cannot end before the kill.
      bed.hub.addFault({ ...ranged, times: 1, stallAfterBytes: MIB });
      bed.hub.addFault(
        moment === "during"
          ? { ...ranged, skip: PLANNED_PIECES - 1, stallAfterBytes: 0 }
          : { ...ranged, skip: PLANNED_PIECES - 1, stallAfterBytes: MIB, bytesPerSecond: MIB / 4 },
      );
      const dir = newDir();
      const destination = pathIn(dir, SPLIT, SPLIT_FILE);
      const child = bed.startCli(["download", SPLIT.id, "--dir", dir, "--quiet"]);
      const exited = finished(child);
      const split = () => savedSegments(destination).length > PLANNED_PIECES;
      // A piece split off starts off the planned 4 MiB grid; once it has bytes, its request ran.
      const tailFetched = () =>
        savedSegments(destination).some((segment) =>
          segment.start % PIECE !== 0 && segment.next > segment.start
        );
      // A hang guard only: on a busy 2-core machine the fifteen whole pieces can take a while.
      await waitFor(moment === "during" ? split : tailFetched, `a split ${moment} kill`, 100_000);
      child.kill("SIGKILL");
      assert.equal((await exited).code, 137);
      bed.hub.clearFaults();

      const segments = assertStateHoldsItsBytes(destination, expected);
      assert.ok(segments.length > PLANNED_PIECES, "the split was saved");
      const saved = segments.reduce((sum, segment) => sum + segment.next - segment.start, 0);
      const from = bed.hub.requests.length;
      // One connection: the missing ranges one after the other, none split or fetched twice.
      const rerun = await bed.cli(["download", SPLIT.id, "--dir", dir, "--connections", "1"]);
      assert.equal(rerun.code, 0, rerun.stderr);
      assertSameBytes(destination, expected, "the resumed model");
      const served = cdnGets(bed.hub.requests.slice(from), SPLIT_FILE);
      assert.equal(
        served.reduce((sum, request) => sum + request.bodyBytes, 0),
        SPLIT_SIZE - saved,
        "only the bytes the state did not claim were fetched again",
      );
    });
  }
});
