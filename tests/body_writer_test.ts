/**
 * The body writer's contract: body bytes land at their file positions in
 * batches, a segment's `next` moves only over bytes written and never back,
 * bytes past a segment's end (its tail taken by another request) are dropped,
 * a failed write is a storage error that leaves `next` where it was, and the
 * one told about written bytes (the hasher) can hold the writer; a released
 * writer's buffer serves the next one.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { setImmediate } from "node:timers";
import { BodyWriter, chunkReaderOf } from "../src/download/body_writer.ts";
import { PieceBook } from "../src/download/piece_book.ts";
import { ModelManagerError } from "../src/errors.ts";
import { gate, MemoryFile } from "./support/memory_file.ts";

const BATCH = 1024;

/** Bytes whose value tells their file position. */
function bytesAt(position: number, length: number): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length }, (_, index) => (position + index) % 251);
}

/** A writer into `file` whose book holds one piece, `start`-`end`, nothing of it on disk. */
function writerOn(file: MemoryFile, range: { start: number; end: number }) {
  const book = new PieceBook([{ ...range, next: range.start }]);
  const counted: number[] = [];
  const landed: { position: number; length: number }[] = [];
  const writer = new BodyWriter({
    handle: file,
    book,
    file: "model.rkllm",
    onBytes: (count) => counted.push(count),
    onWritten: (position, bytes) => void landed.push({ position, length: bytes.length }),
  }, BATCH);
  return { writer, counted, landed, book, segment: book.pieces[0] };
}

describe("BodyWriter", () => {
  it("writes small chunks in whole batches and moves next only over written bytes", async () => {
    const file = new MemoryFile();
    const { writer, counted, landed, segment } = writerOn(file, { start: 100, end: 3099 });
    let position = 100;
    for (const length of [300, 300, 300]) {
      await writer.put(segment, bytesAt(position, length), position);
      position += length;
    }
    assert.deepEqual(file.writes, [], "nothing written before a batch is full");
    assert.equal(segment.next, 100, "buffered bytes are not counted");
    assert.equal(writer.front(segment), 1000, "but the writer knows what it holds");
    await writer.put(segment, bytesAt(position, 300), position);
    position += 300;
    assert.deepEqual(file.writes, [{ position: 100, length: BATCH }]);
    assert.equal(segment.next, 100 + BATCH);
    await writer.flush();
    assert.equal(segment.next, position);
    assert.deepEqual(file.content.subarray(100, position), bytesAt(100, position - 100));
    assert.deepEqual(counted, [BATCH, position - 100 - BATCH]);
    assert.deepEqual(landed, [
      { position: 100, length: BATCH },
      { position: 100 + BATCH, length: position - 100 - BATCH },
    ]);
  });

  it("writes a chunk of a batch or more at once", async () => {
    const file = new MemoryFile();
    const { writer, segment } = writerOn(file, { start: 0, end: 9999 });
    await writer.put(segment, bytesAt(0, 3 * BATCH), 0);
    assert.deepEqual(file.writes, [{ position: 0, length: 3 * BATCH }]);
    assert.equal(segment.next, 3 * BATCH);
  });

  it("drops bytes past a segment's end when its tail was taken meanwhile", async () => {
    const file = new MemoryFile();
    const { writer, counted, landed, book, segment } = writerOn(file, { start: 0, end: 9999 });
    await writer.put(segment, bytesAt(0, 800), 0);
    // Another request took bytes 500- while these were buffered.
    book.split(segment, 500);
    await writer.flush();
    assert.deepEqual(file.writes, [{ position: 0, length: 500 }]);
    assert.equal(file.content.length, 500, "no byte of the other request's range was written");
    assert.equal(segment.next, 500);
    assert.deepEqual(landed, [{ position: 0, length: 500 }]);
    assert.deepEqual(counted, [500]);
    await writer.put(segment, bytesAt(800, 100), 800);
    await writer.flush();
    assert.equal(file.content.length, 500, "later bytes past the end are dropped too");
  });

  it("never moves next back when another copy finished the segment first", async () => {
    const file = new MemoryFile();
    const { writer, book, segment } = writerOn(file, { start: 0, end: 999 });
    await writer.put(segment, bytesAt(0, 200), 0);
    book.advance(segment, 1000);
    await writer.flush();
    assert.equal(segment.next, 1000);
    assert.equal(writer.front(segment), 1000);
  });

  it("fails a write with a storage error and keeps next where it was", async () => {
    const file = new MemoryFile();
    file.failWrites = Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
    const { writer, segment } = writerOn(file, { start: 0, end: 9999 });
    await assert.rejects(writer.put(segment, bytesAt(0, 2 * BATCH), 0), (error) => {
      assert.ok(error instanceof ModelManagerError && error.code === "storage");
      return true;
    });
    assert.equal(segment.next, 0);
  });

  it("hands its batch buffer to the next writer once released, and takes no more bytes", async () => {
    const file = new MemoryFile();
    const written: ArrayBufferLike[] = [];
    const write = file.write.bind(file);
    file.write = (data, position) => {
      written.push(data.buffer);
      return write(data, position);
    };
    const first = writerOn(file, { start: 0, end: 999 });
    await first.writer.put(first.segment, bytesAt(0, 10), 0);
    await first.writer.flush();
    first.writer.release();
    await assert.rejects(first.writer.put(first.segment, bytesAt(10, 10), 10), /released/);

    const second = writerOn(file, { start: 2000, end: 2999 });
    await second.writer.put(second.segment, bytesAt(2000, 10), 2000);
    await second.writer.flush();
    assert.equal(written.length, 2);
    assert.equal(written[1], written[0], "the second writer batches in the first one's buffer");
    assert.deepEqual(file.content.subarray(2000, 2010), bytesAt(2000, 10));
    assert.deepEqual(file.writes, [{ position: 0, length: 10 }, { position: 2000, length: 10 }]);
  });

  it("reads a body chunk by chunk, to its end", async () => {
    const body = new Response(bytesAt(0, 200_000)).body!;
    const reader = chunkReaderOf(body);
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      assert.deepEqual(value, bytesAt(total, value!.length));
      total += value!.length;
    }
    assert.equal(total, 200_000);
  });
  it("waits for the promise the one told about written bytes answers before it goes on", async () => {
    const file = new MemoryFile();
    const book = new PieceBook([{ start: 0, end: 4 * BATCH - 1, next: 0 }]);
    const hold = gate();
    const writer = new BodyWriter({
      handle: file,
      book,
      file: "model.rkllm",
      onBytes() {},
      onWritten: () => hold.wait(),
    }, BATCH);
    const segment = book.pieces[0];
    let returned = false;
    const putting = writer.put(segment, bytesAt(0, BATCH), 0).then(() => (returned = true));
    await hold.reached;
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(file.writes, [{ position: 0, length: BATCH }]);
    assert.equal(returned, false, "the writer does not take more bytes while held");
    hold.open();
    await putting;
    await writer.put(segment, bytesAt(BATCH, BATCH), BATCH);
    assert.equal(file.writes.length, 2);
  });
});
