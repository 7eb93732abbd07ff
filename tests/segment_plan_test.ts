/** How a file is cut into ranged segments, and how their progress is counted. */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { PieceBook } from "../src/download/piece_book.ts";
import { type PieceRequest, PieceScheduler } from "../src/download/piece_scheduler.ts";
import { isComplete, planSegments } from "../src/download/segment_plan.ts";
import { completedBytes } from "../src/store/partial_state.ts";

const MIB = 1024 * 1024;
const PARALLEL = { connections: 8, parallelThreshold: 64 * MIB };

/** The segments cover [0, size) exactly once, in order, none started. */
function assertCovers(segments: { start: number; end: number; next: number }[], size: number) {
  assert.equal(segments[0].start, 0);
  assert.equal(segments.at(-1)!.end, size - 1);
  for (let index = 1; index < segments.length; index++) {
    assert.equal(segments[index].start, segments[index - 1].end + 1, `gap before ${index}`);
  }
  assert.ok(segments.every((segment) => segment.next === segment.start));
}

describe("planSegments", () => {
  it("fetches an empty file as one complete segment", () => {
    const [only, ...rest] = planSegments(0, PARALLEL);
    assert.deepEqual([only, rest], [{ start: 0, end: -1, next: 0 }, []]);
    assert.equal(isComplete([only]), true);
  });

  it("fetches a file below the threshold, or with one connection, in one stream", () => {
    assert.deepEqual(planSegments(64 * MIB - 1, PARALLEL), [
      { start: 0, end: 64 * MIB - 2, next: 0 },
    ]);
    assert.deepEqual(planSegments(200 * MIB, { ...PARALLEL, connections: 1 }), [
      { start: 0, end: 200 * MIB - 1, next: 0 },
    ]);
  });

  it("cuts a large file in four pieces per connection, in file order, covering every byte", () => {
    const size = 256 * MIB + 3;
    const segments = planSegments(size, PARALLEL);
    assert.equal(segments.length, 32);
    assertCovers(segments, size);
  });

  it("keeps pieces at 32 MiB or less, so a huge file still fills from the front", () => {
    const size = 4096 * MIB;
    const segments = planSegments(size, PARALLEL);
    assert.equal(segments.length, 132);
    assert.ok(segments.every((segment) => segment.end - segment.start + 1 <= 32 * MIB));
    assertCovers(segments, size);
  });

  it("keeps segments at 4 MiB or more when the file is just above the threshold", () => {
    const size = 66 * MIB;
    const segments = planSegments(size, { ...PARALLEL, connections: 64 });
    assert.equal(segments.length, Math.floor(size / (4 * MIB)));
    assertCovers(segments, size);
  });

  it("takes a fractional connection count as its whole part", () => {
    assert.equal(planSegments(256 * MIB, { ...PARALLEL, connections: 3.9 }).length, 12);
  });
});

/**
 * Downloads `size` bytes planned by {@linkcode planSegments} over `connections`
 * requests that each land `perTick` bytes a tick (the scheduler's clock moves
 * 10 ms a tick); answers the most bytes ever on disk beyond the contiguous
 * prefix, and how many were beyond it just before the last byte landed.
 */
function bytesAheadOfPrefix(size: number, connections: number, perTick: number) {
  let now = 0;
  const book = new PieceBook(planSegments(size, { ...PARALLEL, connections }));
  const scheduler = new PieceScheduler(book, { now: () => now });
  const slots: (PieceRequest | undefined)[] = Array(connections).fill(undefined);
  let most = 0;
  let atLastByte = 0;
  while (!book.isComplete()) {
    now += 10;
    for (const [index, held] of slots.entries()) {
      const next = held ? undefined : scheduler.take();
      const request = held ?? (next?.kind === "fetch" ? next.request : undefined);
      if (!request) continue;
      slots[index] = request;
      const count = Math.min(perTick, request.segment.end + 1 - request.segment.next);
      atLastByte = book.completed() - book.contiguous();
      book.advance(request.segment, request.segment.next + count);
      request.bytes += count;
      most = Math.max(most, book.completed() - book.contiguous());
      if (request.segment.next > request.segment.end) {
        scheduler.finish(request);
        slots[index] = undefined;
      }
    }
  }
  return { most, atLastByte, piece: Math.max(...book.pieces.map((p) => p.end + 1 - p.start)) };
}

describe("filling from the front", () => {
  it("keeps what is on disk ahead of the contiguous prefix to half the connections' pieces", () => {
    const { most, piece } = bytesAheadOfPrefix(512 * MIB, 8, MIB / 4);
    // Pieces planned all alike finish in waves: seven of eight pieces wait on the first.
    assert.ok(most <= 4.5 * piece, `${most} bytes ahead, pieces of ${piece}`);
  });

  it("leaves at most one piece ahead of the prefix when the last byte lands", () => {
    const { atLastByte, piece } = bytesAheadOfPrefix(512 * MIB, 8, MIB / 4);
    assert.ok(atLastByte <= piece, `${atLastByte} bytes ahead, pieces of ${piece}`);
  });
});

describe("segment progress", () => {
  it("counts the bytes fetched and says when every segment is done", () => {
    const segments = [{ start: 0, end: 9, next: 4 }, { start: 10, end: 19, next: 20 }];
    assert.equal(completedBytes(segments), 14);
    assert.equal(isComplete(segments), false);
    segments[0].next = 10;
    assert.equal(isComplete(segments), true);
    assert.equal(completedBytes(segments), 20);
  });
});
