/**
 * The engine's piece scheduling and its hashing while downloading, on their
 * own: which bytes a free connection takes (queued pieces in file order, then
 * the tail of the request that would finish last, then a second copy of a
 * straggler's remainder), and a hash of the contiguous prefix that reads back
 * from the file only what did not arrive in order. Time is a fake clock.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deterministicBytes, sha256Hex } from "./support/hub_server.ts";
import { PieceBook } from "../src/download/piece_book.ts";
import { PieceScheduler } from "../src/download/piece_scheduler.ts";
import { PrefixHasher } from "../src/download/prefix_hasher.ts";
import { contiguousBytes, type Segment } from "../src/download/segment_plan.ts";
import { RuntimeDetector } from "../src/runtime/detect_runtime.ts";
import type { FileHandle } from "../src/runtime/runtime.ts";

const MIB = 1024 * 1024;

function pieces(count: number, size: number): Segment[] {
  return Array.from({ length: count }, (_, index) => ({
    start: index * size,
    end: (index + 1) * size - 1,
    next: index * size,
  }));
}

function fetched(assignment: ReturnType<PieceScheduler["take"]>) {
  assert.equal(assignment.kind, "fetch");
  return assignment.kind === "fetch" ? assignment : assert.fail("a fetch");
}

/**
 * Two requests of 1 MiB pieces after one second: the first finished its piece,
 * the second got 16 KiB of its own. Answers the scheduler and the straggler.
 */
function afterOneStraggles(book: PieceBook) {
  let now = 0;
  const scheduler = new PieceScheduler(book, { now: () => now, minPiece: MIB });
  const fast = fetched(scheduler.take()).request;
  const slow = fetched(scheduler.take()).request;
  now = 1000;
  fast.bytes = MIB;
  book.advance(fast.segment, fast.segment.end + 1);
  slow.bytes = 16 * 1024;
  book.advance(slow.segment, slow.segment.next + 16 * 1024);
  scheduler.finish(fast);
  return { scheduler, slow };
}

describe("piece scheduling", () => {
  it("hands out queued pieces in file order before splitting anything", () => {
    const book = new PieceBook(pieces(3, 8 * MIB));
    const scheduler = new PieceScheduler(book, { now: () => 0 });
    const starts = [0, 1, 2].map(() => fetched(scheduler.take()).request.segment.start);
    assert.deepEqual(starts, [0, 8 * MIB, 16 * MIB]);
    assert.equal(book.pieces.length, 3, "nothing split while pieces were queued");
  });

  it("splits the request that would finish last, leaving it a share as small as its rate", () => {
    let now = 0;
    const book = new PieceBook(pieces(2, 16 * MIB));
    const scheduler = new PieceScheduler(book, { now: () => now });
    const fast = fetched(scheduler.take()).request;
    const slow = fetched(scheduler.take()).request;
    now = 1000;
    // In one second the fast request fetched all of its 16 MiB, the slow one 1 MiB.
    fast.bytes = 16 * MIB;
    book.advance(fast.segment, fast.segment.end + 1);
    slow.bytes = MIB;
    book.advance(slow.segment, slow.segment.next + MIB);
    scheduler.finish(fast);

    const next = fetched(scheduler.take());
    assert.equal(next.split, true);
    const tail = next.request.segment;
    assert.equal(tail.end, 32 * MIB - 1, "the tail reaches the slow piece's old end");
    assert.equal(slow.segment.end, tail.start - 1, "the slow request now stops where it begins");
    const kept = slow.segment.end + 1 - slow.segment.next;
    assert.ok(kept < 2 * MIB, `the slow request keeps about a sixteenth (${kept} bytes)`);
    assert.deepEqual(
      book.pieces,
      [...book.pieces].sort((a, b) => a.start - b.start),
      "still in order",
    );
    assert.equal(book.contiguous(), 17 * MIB);
  });

  it("never splits off less than the minimum piece, and copies a straggler's remainder instead", () => {
    const book = new PieceBook(pieces(2, MIB));
    const { scheduler, slow } = afterOneStraggles(book);

    const copy = fetched(scheduler.take());
    assert.equal(copy.split, false);
    assert.equal(book.pieces.length, 2, "too short to split");
    assert.deepEqual(copy.request.segment, {
      start: MIB + 16 * 1024,
      end: 2 * MIB - 1,
      next: MIB + 16 * 1024,
    });
    assert.equal(copy.request.original, slow.segment);
    assert.equal(scheduler.take().kind, "wait", "one copy at a time");

    // The copy finishes first: the original counts its bytes and is cut short.
    book.advance(copy.request.segment, copy.request.segment.end + 1);
    scheduler.finish(copy.request);
    assert.equal(slow.segment.next, slow.segment.end + 1);
    assert.equal(slow.cut.signal.aborted, true);
    scheduler.finish(slow);
    assert.equal(scheduler.take().kind, "done");
  });

  it("lets a straggler be copied again when its first copy failed", () => {
    const { scheduler, slow } = afterOneStraggles(new PieceBook(pieces(2, MIB)));
    const failed = fetched(scheduler.take()).request;
    scheduler.finish(failed);
    assert.equal(slow.cut.signal.aborted, false, "the straggler goes on");
    assert.equal(slow.segment.next, MIB + 16 * 1024, "and still owns its bytes");
    const again = fetched(scheduler.take()).request;
    assert.equal(again.original, slow.segment);
  });

  it("leaves requests alone that keep pace with the others", () => {
    let now = 0;
    const book = new PieceBook(pieces(2, 4 * MIB));
    const scheduler = new PieceScheduler(book, { now: () => now, minPiece: MIB });
    const first = fetched(scheduler.take()).request;
    const second = fetched(scheduler.take()).request;
    now = 1000;
    first.bytes = 4 * MIB;
    book.advance(first.segment, first.segment.end + 1);
    second.bytes = 4 * MIB - 64 * 1024;
    book.advance(second.segment, second.segment.end + 1 - 64 * 1024);
    scheduler.finish(first);
    assert.equal(scheduler.take().kind, "wait");
  });
});

/** A file handle that counts the bytes read through it. */
function countingReads(handle: FileHandle): FileHandle & { bytesRead: number } {
  const counting = {
    bytesRead: 0,
    write: (data: Uint8Array, position: number) => handle.write(data, position),
    read: async (buffer: Uint8Array, position: number) => {
      const count = await handle.read(buffer, position);
      counting.bytesRead += count;
      return count;
    },
    truncate: (size: number) => handle.truncate(size),
    sync: () => handle.sync(),
    close: () => handle.close(),
  };
  return counting;
}

describe("hashing while downloading", () => {
  const runtime = RuntimeDetector.current();
  const size = 3 * MIB + 123;
  const content = deterministicBytes(size, 31);
  const expected = { algorithm: "sha256" as const, hex: sha256Hex(content) };

  async function hashWrites(order: number[][], preWritten = 0) {
    const dir = mkdtempSync(join(tmpdir(), "prefix-hash-"));
    const handle = countingReads(
      await runtime.open(join(dir, "part"), { write: true, create: true }),
    );
    try {
      const segments: Segment[] = [{ start: 0, end: size - 1, next: preWritten }];
      if (preWritten > 0) await handle.write(content.subarray(0, preWritten), 0);
      const hasher = new PrefixHasher(expected, {
        handle,
        size,
        contiguous: () => contiguousBytes(segments),
        file: "model.rkllm",
      });
      hasher.readBackPrefix();
      await hasher.caughtUp();
      // Writes land in the given order; the segment counts the contiguous bytes on disk.
      const landed = new Uint8Array(size);
      landed.fill(1, 0, preWritten);
      for (const [start, end] of order) {
        await handle.write(content.subarray(start, end), start);
        landed.fill(1, start, end);
        const front = landed.indexOf(0);
        segments[0].next = front === -1 ? size : front;
        hasher.written(start, content.subarray(start, end));
        await hasher.caughtUp();
      }
      return { hex: await hasher.digest(), bytesRead: handle.bytesRead };
    } finally {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it("hashes bytes that arrive in order from memory, reading nothing back", async () => {
    const result = await hashWrites([[0, MIB], [MIB, 2 * MIB], [2 * MIB, size]]);
    assert.equal(result.hex, expected.hex);
    assert.equal(result.bytesRead, 0);
  });

  it("reads back only the bytes that landed ahead of the hashed front", async () => {
    const result = await hashWrites([[MIB, 2 * MIB], [0, MIB], [2 * MIB, size]]);
    assert.equal(result.hex, expected.hex);
    assert.equal(result.bytesRead, MIB, "the second MiB, which came first, is read back once");
  });

  it("reads back what an earlier process wrote before continuing from memory", async () => {
    const result = await hashWrites([[2 * MIB, size]], 2 * MIB);
    assert.equal(result.hex, expected.hex);
    assert.equal(result.bytesRead, 2 * MIB);
  });

  it("answers another hash when a byte on disk differs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "prefix-hash-"));
    const handle = await runtime.open(join(dir, "part"), { write: true, create: true });
    try {
      const altered = content.slice();
      altered[5] ^= 0xff;
      await handle.write(altered, 0);
      const segments: Segment[] = [{ start: 0, end: size - 1, next: size }];
      const hasher = new PrefixHasher(expected, {
        handle,
        size,
        contiguous: () => contiguousBytes(segments),
        file: "model.rkllm",
      });
      assert.equal(await hasher.digest(), sha256Hex(altered));
    } finally {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
