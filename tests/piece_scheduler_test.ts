/**
 * The piece scheduler's contract, on its own clock: queued pieces go out in
 * file order; once none is queued, a free connection takes the tail of the
 * request that would finish last (the split lands in the book.pieces, which keep
 * tiling the file); a straggler's small remainder is copied and the first copy
 * to finish cuts the other; and over a whole run every byte is handed out to
 * exactly one request, copies aside.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { type PieceRequest, PieceScheduler } from "../src/download/piece_scheduler.ts";
import { PieceBook, type PieceView } from "../src/download/piece_book.ts";
import type { Segment } from "../src/download/segment_plan.ts";

const MIB = 1024 * 1024;

/** `count` pieces of `size` bytes tiling a file, none downloaded. */
function pieces(count: number, size: number): Segment[] {
  return Array.from({ length: count }, (_, index) => ({
    start: index * size,
    end: (index + 1) * size - 1,
    next: index * size,
  }));
}

/** Asserts that `segments`, in order, tile bytes 0 to `size` without gap or overlap. */
function assertTiles(segments: readonly PieceView[], size: number): void {
  let front = 0;
  for (const segment of segments) {
    assert.equal(segment.start, front, `a segment starts at ${front}`);
    assert.ok(segment.end >= segment.start && segment.next <= segment.end + 1);
    front = segment.end + 1;
  }
  assert.equal(front, size, "the segments reach the end of the file");
}

/** A scheduler of `book` with a clock the test moves. */
function scheduled(book: PieceBook) {
  const clock = { now: 0 };
  const scheduler = new PieceScheduler(book, { minPiece: MIB, now: () => clock.now });
  const take = (): PieceRequest => {
    const next = scheduler.take();
    assert.equal(next.kind, "fetch");
    const { request } = next as { request: PieceRequest };
    scheduler.attempt(request);
    return request;
  };
  return { clock, scheduler, take };
}

/** `count` bytes land in `request`'s segment. */
function land(book: PieceBook, request: PieceRequest, count: number): void {
  book.advance(request.segment, request.segment.next + count);
  request.bytes += count;
}

describe("PieceScheduler", () => {
  it("hands out queued pieces in file order, then waits, then is done", () => {
    const book = new PieceBook(pieces(3, 4 * MIB));
    const { scheduler, take } = scheduled(book);
    const taken = [take(), take(), take()];
    assert.deepEqual(taken.map((request) => request.segment), book.pieces);
    assert.ok(taken.every((request) => request.original === request.segment));
    for (const request of taken) land(book, request, 4 * MIB);
    assert.equal(scheduler.take().kind, "wait", "complete requests not yet finished");
    for (const request of taken) scheduler.finish(request);
    assert.equal(scheduler.take().kind, "done");
  });

  it("gives a free connection the straggler's tail, keeping the segments a tiling", () => {
    const book = new PieceBook(pieces(2, 8 * MIB));
    const { clock, scheduler, take } = scheduled(book);
    const fast = take();
    const slow = take();
    clock.now = 1000;
    land(book, fast, 8 * MIB);
    scheduler.finish(fast);
    land(book, slow, MIB);
    const next = scheduler.take();
    assert.equal(next.kind, "fetch");
    const { request: tail, split } = next as { request: PieceRequest; split: boolean };
    assert.equal(split, true, "a split the caller saves before it starts the request");
    assert.equal(
      tail.segment.start,
      slow.segment.end + 1,
      "the tail starts where the straggler now ends",
    );
    assert.equal(tail.segment.end, 16 * MIB - 1);
    assert.ok(slow.segment.end + 1 > slow.segment.next, "the straggler keeps bytes to fetch");
    assert.ok(tail.segment.end - tail.segment.start + 1 >= MIB, "at least the smallest piece");
    assert.deepEqual(book.pieces, [fast.segment, slow.segment, tail.segment], "saved in the state");
    assertTiles(book.pieces, 16 * MIB);
  });

  it("leaves a request alone that is about to finish", () => {
    const book = new PieceBook(pieces(2, 16 * MIB));
    const { clock, scheduler, take } = scheduled(book);
    const fast = take();
    const nearlyDone = take();
    clock.now = 1000;
    land(book, fast, 16 * MIB);
    scheduler.finish(fast);
    // 2 MiB left at 14 MiB/s: done in about 140 ms, sooner than a new request would help.
    land(book, nearlyDone, 14 * MIB);
    assert.equal(scheduler.take().kind, "wait");
    assert.equal(book.pieces.length, 2, "not split");
  });

  it("copies a straggler's small remainder; the first copy to finish cuts the other", () => {
    const book = new PieceBook(pieces(2, 2 * MIB));
    const { clock, scheduler, take } = scheduled(book);
    const fast = take();
    const slow = take();
    clock.now = 1000;
    land(book, fast, 2 * MIB);
    scheduler.finish(fast);
    land(book, slow, MIB / 2);
    const copy = take();
    assert.notEqual(copy.segment, slow.segment);
    assert.equal(copy.original, slow.segment, "a copy of the straggler's segment");
    assert.deepEqual(copy.segment, {
      start: slow.segment.next,
      end: slow.segment.end,
      next: slow.segment.next,
    });
    assert.equal(scheduler.take().kind, "wait", "one copy at a time");
    land(book, copy, copy.segment.end + 1 - copy.segment.next);
    scheduler.finish(copy);
    assert.ok(slow.cut.signal.aborted, "the straggler is cut short");
    assert.ok(book.isComplete(), "its segment counts the copy's bytes");
    scheduler.finish(slow);
    assert.equal(scheduler.take().kind, "done");
  });

  it("lets the straggler go on alone when its copy fails", () => {
    const book = new PieceBook(pieces(2, 2 * MIB));
    const { clock, scheduler, take } = scheduled(book);
    const fast = take();
    const slow = take();
    clock.now = 1000;
    land(book, fast, 2 * MIB);
    scheduler.finish(fast);
    land(book, slow, MIB / 2);
    const copy = take();
    land(book, copy, 1000);
    scheduler.finish(copy);
    assert.equal(slow.cut.signal.aborted, false);
    assert.equal(slow.twin, undefined);
    assert.equal(slow.segment.next, MIB / 2 + 2 * MIB, "its own bytes only");
  });

  it("hands out every byte to exactly one request over a run with a straggler", () => {
    const size = 40 * MIB;
    const book = new PieceBook(pieces(10, 4 * MIB));
    const { clock, scheduler } = scheduled(book);
    const random = seeded(42);
    const slots: (PieceRequest | undefined)[] = [undefined, undefined, undefined, undefined];
    const written: { start: number; end: number; copy: boolean }[] = [];
    let done = 0;
    for (let tick = 0; done < slots.length; tick++) {
      assert.ok(tick < 100_000, "the run ends");
      clock.now += 10;
      done = 0;
      for (const [index, held] of slots.entries()) {
        let request = held;
        if (!request) {
          const next = scheduler.take();
          if (next.kind === "done") done++;
          if (next.kind !== "fetch") continue;
          request = slots[index] = next.request;
          scheduler.attempt(request);
        }
        if (request.cut.signal.aborted) {
          scheduler.finish(request);
          slots[index] = undefined;
          continue;
        }
        // Connection 0 crawls; the others vary around 1 MiB per tick.
        const rate = index === 0 ? 1024 : Math.round(MIB * (0.5 + random()));
        const count = Math.min(rate, request.segment.end + 1 - request.segment.next);
        const copy = request.segment !== request.original;
        written.push({ start: request.segment.next, end: request.segment.next + count, copy });
        land(book, request, count);
        if (request.segment.next > request.segment.end) {
          scheduler.finish(request);
          slots[index] = undefined;
        }
      }
    }
    assert.ok(book.isComplete());
    assertTiles(book.pieces, size);
    assert.ok(book.pieces.length > 10, "the straggler's piece was split");
    const own = written.filter((part) => !part.copy).sort((a, b) => a.start - b.start);
    for (let index = 1; index < own.length; index++) {
      assert.ok(own[index].start >= own[index - 1].end, `byte ${own[index].start} handed out once`);
    }
    const covered = [...written].sort((a, b) => a.start - b.start).reduce(
      (front, part) => part.start <= front ? Math.max(front, part.end) : front,
      0,
    );
    assert.equal(covered, size, "every byte was fetched");
  });
});

/** A small deterministic random number generator (mulberry32), answering [0, 1). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
