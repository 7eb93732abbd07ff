/**
 * The transfer tracker's contract: the state it saves never claims bytes that
 * a flush has not made durable; saves land in order; it saves after enough new
 * bytes or enough time, as its clock says; progress reports the bytes on disk;
 * a failed flush is a storage error and saves nothing.
 */
import { after, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import type { DownloadEvent } from "../mod.ts";
import { PieceBook } from "../src/download/piece_book.ts";
import { TransferTracker } from "../src/download/transfer_tracker.ts";
import { type DownloadState, readDownloadState } from "../src/store/partial_state.ts";
import { RuntimeDetector } from "../src/runtime/detect_runtime.ts";
import { ModelManagerError } from "../src/errors.ts";
import { gate, MemoryFile } from "./support/memory_file.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

const runtime = RuntimeDetector.current();
const MIB = 1024 * 1024;
const SIZE = 32 * MIB;

function freshState(): DownloadState {
  return {
    version: 1,
    file: "model.rkllm",
    commit: "c".repeat(40),
    identity: { size: SIZE },
    segments: [
      { start: 0, end: SIZE / 2 - 1, next: 0 },
      { start: SIZE / 2, end: SIZE - 1, next: SIZE / 2 },
    ],
  };
}

/** Writes `length` bytes of piece `index` into `file` and tells the book, as the body writer does. */
async function land(file: MemoryFile, book: PieceBook, index: number, length: number) {
  const piece = book.pieces[index];
  await file.write(new Uint8Array(length).fill(index + 1), piece.next);
  book.advance(piece, piece.next + length);
}

/** Asserts that every byte the saved state claims is durable in `file`. */
async function assertSavedIsDurable(destination: string, file: MemoryFile): Promise<number> {
  const saved = await readDownloadState(runtime, destination);
  assert.ok(saved, "a saved state");
  let claimed = 0;
  for (const [index, segment] of saved.segments.entries()) {
    const durable = file.durable.subarray(segment.start, segment.next);
    assert.equal(durable.length, segment.next - segment.start, `segment ${index} is durable`);
    assert.ok(durable.every((byte) => byte === index + 1), `segment ${index} holds its bytes`);
    claimed += segment.next - segment.start;
  }
  return claimed;
}

describe("TransferTracker", () => {
  const dir = makeTempDir();
  after(() => removeDir(dir));
  let count = 0;
  const destinationOf = () => join(dir, `model-${++count}.rkllm`);

  it("never saves bytes that land while the flush before the save runs", async () => {
    const destination = destinationOf();
    const file = new MemoryFile();
    const state = freshState();
    const book = new PieceBook(state.segments);
    const tracker = new TransferTracker(runtime, {
      destination,
      state,
      book,
      handle: file,
      emit() {},
    });
    await land(file, book, 0, MIB);
    const held = gate();
    file.holdSync = held;
    const saving = tracker.save();
    await held.reached;
    // Bytes that land during the flush are not durable: the state must not count them yet.
    await land(file, book, 0, MIB);
    await land(file, book, 1, MIB);
    held.open();
    await saving;
    assert.equal(await assertSavedIsDurable(destination, file), MIB);

    await tracker.save();
    assert.equal(await assertSavedIsDurable(destination, file), 3 * MIB, "the next save has them");
  });

  it("lands queued saves in order, the newest last", async () => {
    const destination = destinationOf();
    const file = new MemoryFile();
    const state = freshState();
    const book = new PieceBook(state.segments);
    const tracker = new TransferTracker(runtime, {
      destination,
      state,
      book,
      handle: file,
      emit() {},
    });
    const held = gate();
    file.holdSync = held;
    const first = tracker.save();
    await held.reached;
    await land(file, book, 1, 2 * MIB);
    const second = tracker.save();
    held.open();
    await Promise.all([first, second]);
    assert.equal(await assertSavedIsDurable(destination, file), 2 * MIB);
  });

  it("saves on its own after 4 MiB of new bytes or a second, at most every 100 ms", async () => {
    const destination = destinationOf();
    const file = new MemoryFile();
    const state = freshState();
    const book = new PieceBook(state.segments);
    let now = 0;
    const tracker = new TransferTracker(runtime, {
      destination,
      state,
      book,
      handle: file,
      emit() {},
      now: () => now,
    });
    /**
     * Lands `length` bytes in segment 0 and tells the tracker at time `at`; answers whether
     * that made it save on its own (an explicit save queued after it waits for it).
     */
    const savesOnItsOwn = async (at: number, length: number) => {
      const before = file.syncs;
      now = at;
      await land(file, book, 0, length);
      tracker.onBytes(length);
      await tracker.save();
      return file.syncs - before === 2;
    };
    assert.equal(await savesOnItsOwn(500, 4 * MIB - 1), false, "neither 4 MiB nor a second yet");
    assert.equal(await savesOnItsOwn(700, 4 * MIB), true, "due by bytes");
    assert.equal(await savesOnItsOwn(1750, 1), true, "due by time");
    assert.equal(await savesOnItsOwn(1800, 4 * MIB), false, "too soon after the last save");
    assert.equal(await assertSavedIsDurable(destination, file), book.pieces[0].next);
  });

  it("reports the bytes on disk as progress", async () => {
    const events: DownloadEvent[] = [];
    const file = new MemoryFile();
    const state = freshState();
    const book = new PieceBook(state.segments);
    const tracker = new TransferTracker(runtime, {
      destination: destinationOf(),
      state,
      book,
      handle: file,
      emit: (event) => events.push(event),
      now: () => 0,
    });
    await land(file, book, 1, 1000);
    tracker.onBytes(1000);
    assert.deepEqual(events, [{
      event: "progress",
      file: "model.rkllm",
      bytes: 1000,
      total: SIZE,
    }]);
    tracker.onBytes(10);
    assert.equal(events.length, 1, "no second progress event within the same instant");
    assert.equal(tracker.transferred, 1010);
  });

  it("fails a save whose flush fails with a storage error, and saves nothing", async () => {
    const destination = destinationOf();
    const file = new MemoryFile();
    const state = freshState();
    const book = new PieceBook(state.segments);
    file.sync = () => Promise.reject(Object.assign(new Error("disk gone"), { code: "EIO" }));
    const tracker = new TransferTracker(runtime, {
      destination,
      state,
      book,
      handle: file,
      emit() {},
    });
    await land(file, book, 0, MIB);
    await assert.rejects(tracker.save(), (error) => {
      assert.ok(error instanceof ModelManagerError && error.code === "storage");
      return true;
    });
    assert.equal(await readDownloadState(runtime, destination), undefined);
  });
});
