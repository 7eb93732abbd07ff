/**
 * The transfer tracker's contract: the state it saves never claims bytes a
 * reboot could lose. Where the runtime cannot tell boots apart, each save
 * flushes first and claims only what the flush made durable; where it can, each
 * save claims the bytes written for this boot and the flushed ones for any
 * boot, and the partial file is flushed every few seconds beside the saves.
 * Saves land in order; it saves after enough new bytes or enough time, as its
 * clock says; progress reports the bytes on disk; a failed flush is a storage
 * error and saves nothing; a runtime that can collect its garbage is asked to
 * every 64 MiB.
 */
import { after, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { setImmediate } from "node:timers";
import type { DownloadEvent } from "../mod.ts";
import { PieceBook } from "../src/download/piece_book.ts";
import { TransferTracker } from "../src/download/transfer_tracker.ts";
import {
  type DownloadState,
  type FileIdentity,
  readDownloadState,
  writeDownloadState,
} from "../src/store/partial_state.ts";
import { RuntimeDetector } from "../src/runtime/detect_runtime.ts";
import type { Runtime } from "../src/runtime/runtime.ts";
import { ModelManagerError } from "../src/errors.ts";
import { gate, MemoryFile } from "./support/memory_file.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

const here = RuntimeDetector.current();

/** This runtime, as if the machine's boot were `bootId` (`undefined`: cannot be told). */
function onBoot(bootId: string | undefined): Runtime {
  return Object.assign(Object.create(here), { bootId: () => bootId });
}

const runtime = onBoot(undefined);
const MIB = 1024 * 1024;
const SIZE = 32 * MIB;

function freshState(identity: FileIdentity = { size: SIZE }): DownloadState {
  return {
    version: 1,
    file: "model.rkllm",
    commit: "c".repeat(40),
    identity,
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

/**
 * Asserts that every byte the saved state claims, as read on `reader`'s boot, is in
 * `bytes` (a file's durable content by default); answers how many it claims.
 */
async function assertSavedIsDurable(
  destination: string,
  file: MemoryFile,
  options: { reader?: Runtime; bytes?: Uint8Array } = {},
): Promise<number> {
  const { reader = runtime, bytes = file.durable } = options;
  const saved = await readDownloadState(reader, destination);
  assert.ok(saved, "a saved state");
  let claimed = 0;
  for (const [index, segment] of saved.segments.entries()) {
    const held = bytes.subarray(segment.start, segment.next);
    assert.equal(held.length, segment.next - segment.start, `segment ${index} is held`);
    assert.ok(held.every((byte) => byte === index + 1), `segment ${index} holds its bytes`);
    claimed += segment.next - segment.start;
  }
  return claimed;
}

describe("TransferTracker where boots cannot be told apart", () => {
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

  it("asks a runtime that can collect its garbage to, after every 64 MiB received", () => {
    let collections = 0;
    const collecting: Runtime = Object.assign(Object.create(runtime), {
      collectGarbage: () => collections++,
    });
    const state = freshState();
    const tracker = new TransferTracker(collecting, {
      destination: destinationOf(),
      state,
      book: new PieceBook(state.segments),
      handle: new MemoryFile(),
      emit() {},
      now: () => 0,
    });
    const counts: number[] = [];
    for (let received = 0; received < 200 * MIB; received += MIB) {
      tracker.onBytes(MIB);
      counts.push(collections);
    }
    assert.equal(counts[62], 0, "not before 64 MiB");
    assert.equal(counts[63], 1, "at 64 MiB");
    assert.equal(counts[126], 1, "not again before 128 MiB");
    assert.equal(collections, 3, "at 64, 128 and 192 MiB");
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

describe("TransferTracker where the machine's boot is known", () => {
  const dir = makeTempDir();
  after(() => removeDir(dir));
  let count = 0;
  const destinationOf = () => join(dir, `model-${++count}.rkllm`);
  const thisBoot = onBoot("boot-1");
  const nextBoot = onBoot("boot-2");
  const HASHED = { size: SIZE, sha256: "a".repeat(64) };

  /** A tracker on `thisBoot`, whose clock reads `clock.now`, from `state` (a new download's). */
  function trackerOf(
    file: MemoryFile,
    clock: { now: number },
    state: DownloadState = freshState(HASHED),
  ) {
    const destination = destinationOf();
    const book = new PieceBook(state.segments);
    const tracker = new TransferTracker(thisBoot, {
      destination,
      state,
      book,
      handle: file,
      emit() {},
      now: () => clock.now,
    });
    return { destination, book, tracker };
  }

  it("saves written bytes without a flush; a later boot trusts none of them", async () => {
    const file = new MemoryFile();
    const clock = { now: 0 };
    const { destination, book, tracker } = trackerOf(file, clock);
    clock.now = 500;
    await land(file, book, 0, 4 * MIB);
    tracker.onBytes(4 * MIB);
    await tracker.settled();
    assert.equal(file.syncs, 0, "no flush for a save within the first second");
    const bytes = file.content;
    assert.equal(
      await assertSavedIsDurable(destination, file, { reader: thisBoot, bytes }),
      4 * MIB,
    );
    assert.equal(await assertSavedIsDurable(destination, file, { reader: nextBoot }), 0);
  });

  it("flushes beside the saves every second; a later boot trusts what it flushed", async () => {
    const file = new MemoryFile();
    const clock = { now: 0 };
    const { destination, book, tracker } = trackerOf(file, clock);
    const held = gate();
    file.holdSync = held;
    clock.now = 5000;
    await land(file, book, 0, 4 * MIB);
    tracker.onBytes(4 * MIB);
    await tracker.settled();
    assert.equal(file.syncs, 1, "a flush started beside the save");
    // The flush holds; bytes landing now are not in it, and the saves do not wait for it.
    clock.now = 5200;
    await land(file, book, 1, 4 * MIB);
    tracker.onBytes(4 * MIB);
    await tracker.settled();
    const bytes = file.content;
    assert.equal(
      await assertSavedIsDurable(destination, file, { reader: thisBoot, bytes }),
      8 * MIB,
    );
    assert.equal(await assertSavedIsDurable(destination, file, { reader: nextBoot }), 0);
    held.open();
    await new Promise((resolve) => setImmediate(resolve)); // the flush ends: no I/O is left to wait for
    clock.now = 5400;
    await land(file, book, 1, 4 * MIB);
    tracker.onBytes(4 * MIB);
    await tracker.settled();
    assert.equal(file.syncs, 1, "one flush in a second");
    assert.equal(await assertSavedIsDurable(destination, file, { reader: nextBoot }), 4 * MIB);
  });

  it("flushes on an explicit save, which a later boot trusts up to the flush", async () => {
    const file = new MemoryFile();
    const clock = { now: 0 };
    const { destination, book, tracker } = trackerOf(file, clock);
    await land(file, book, 0, MIB);
    const held = gate();
    file.holdSync = held;
    const saving = tracker.save();
    await held.reached;
    await land(file, book, 1, MIB);
    held.open();
    await saving;
    assert.equal(file.syncs, 1);
    assert.equal(await assertSavedIsDurable(destination, file, { reader: nextBoot }), MIB);
    const bytes = file.content;
    assert.equal(
      await assertSavedIsDurable(destination, file, { reader: thisBoot, bytes }),
      2 * MIB,
    );
    await tracker.save();
    assert.equal(await assertSavedIsDurable(destination, file, { reader: nextBoot }), 2 * MIB);
  });
  it("claims only flushed bytes for a file without a hash, which nothing checks later", async () => {
    const file = new MemoryFile();
    const clock = { now: 0 };
    const { destination, book, tracker } = trackerOf(file, clock, freshState());
    clock.now = 500;
    await land(file, book, 0, 4 * MIB);
    tracker.onBytes(4 * MIB);
    await tracker.settled();
    assert.equal(file.syncs, 1, "the save flushed first");
    assert.equal(await assertSavedIsDurable(destination, file, { reader: thisBoot }), 4 * MIB);
  });

  it("resumes in the same boot with the durable progress it was saved with", async () => {
    const file = new MemoryFile(new Uint8Array(SIZE));
    const clock = { now: 0 };
    const resumed = freshState(HASHED);
    const written = resumed.segments.map((segment) => ({ ...segment, next: segment.start + MIB }));
    const { destination, tracker } = trackerOf(file, clock, {
      ...resumed,
      segments: written,
      bootId: "boot-1",
      durableSegments: resumed.segments,
    });
    clock.now = 500;
    tracker.onBytes(4 * MIB);
    await tracker.settled();
    assert.equal(await assertSavedIsDurable(destination, file, { reader: nextBoot }), 0);
  });

  it("after a failed flush claims only flushed bytes and fails the next save", async () => {
    const file = new MemoryFile();
    const clock = { now: 0 };
    const { destination, book, tracker } = trackerOf(file, clock);
    await land(file, book, 0, MIB);
    await tracker.save();
    file.sync = () => Promise.reject(Object.assign(new Error("lost write"), { code: "EIO" }));
    clock.now = 1500;
    await land(file, book, 1, 4 * MIB);
    tracker.onBytes(4 * MIB);
    await tracker.settled();
    // The file system reports a lost write once: a later flush that succeeds proves nothing.
    file.sync = MemoryFile.prototype.sync;
    await assert.rejects(tracker.save(), (error) => {
      assert.ok(error instanceof ModelManagerError && error.code === "storage");
      return true;
    });
    const bytes = file.content;
    assert.equal(await assertSavedIsDurable(destination, file, { reader: thisBoot, bytes }), MIB);
    assert.equal(await assertSavedIsDurable(destination, file, { reader: thisBoot }), MIB);
  });
  it("reads a state of a file without a hash with its durable progress, even in its boot", async () => {
    const destination = destinationOf();
    const state = freshState();
    const written = state.segments.map((segment) => ({ ...segment, next: segment.start + MIB }));
    const saved = {
      ...state,
      segments: written,
      bootId: "boot-1",
      durableSegments: state.segments,
    };
    await writeDownloadState(thisBoot, { destination, state: saved });
    assert.deepEqual((await readDownloadState(thisBoot, destination))?.segments, state.segments);
    const hashed = { ...saved, identity: HASHED };
    await writeDownloadState(thisBoot, { destination, state: hashed });
    assert.deepEqual((await readDownloadState(thisBoot, destination))?.segments, written);
  });
});
