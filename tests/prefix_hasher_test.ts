/**
 * The prefix hasher's contract: it hashes the contiguous prefix of a file as it
 * grows, from memory when bytes land at the hashed front and by reading back
 * from the file what landed out of order or was there before; `hashed` tells
 * how far it got, so what is left to read at the end is known; a file that
 * does not hold what the segments claim is a storage error from `digest`. It
 * holds writes while it is more than 16 MiB behind the contiguous prefix, but
 * not while it reads back an earlier run's bytes, and never after a failure.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { setImmediate } from "node:timers";
import { PrefixHasher } from "../src/download/prefix_hasher.ts";
import { ModelManagerError } from "../src/errors.ts";
import { type Gate, gate, MemoryFile } from "./support/memory_file.ts";

const MIB = 1024 * 1024;
const SIZE = 3 * MIB + 12345;
const CONTENT = Uint8Array.from({ length: SIZE }, (_, index) => (index * 7 + 3) % 256);
const SHA256 = createHash("sha256").update(CONTENT).digest("hex");

/** A file being written, how far its prefix is contiguous, and a hasher on it. */
function hashing(initial = new Uint8Array(0), size = SIZE) {
  const file = new MemoryFile(initial);
  const landed: [number, number][] = [];
  const contiguous = () => {
    let front = 0;
    for (const [start, end] of [...landed].sort((a, b) => a[0] - b[0])) {
      if (start > front) break;
      front = Math.max(front, end);
    }
    return front;
  };
  landed.push([0, initial.length]);
  const hasher = new PrefixHasher({ algorithm: "sha256", hex: SHA256 }, {
    handle: file,
    size,
    contiguous,
    file: "model.rkllm",
  });
  /** Writes bytes `start`..`end` of the content, records them, then tells the hasher. */
  const write = async (start: number, end: number) => {
    const bytes = CONTENT.slice(start, end);
    await file.write(bytes, start);
    landed.push([start, end]);
    hasher.written(start, bytes);
  };
  return { file, hasher, write };
}

describe("PrefixHasher", () => {
  it("hashes bytes that land in order from memory, reading nothing back", async () => {
    const { file, hasher, write } = hashing();
    for (let start = 0; start < SIZE; start += 256 * 1024) {
      await write(start, Math.min(SIZE, start + 256 * 1024));
      assert.equal(hasher.hashed, Math.min(SIZE, start + 256 * 1024));
    }
    assert.equal(await hasher.digest(), SHA256);
    assert.equal(file.bytesRead, 0);
  });

  it("reads back what landed out of order once the prefix reaches it, and only that", async () => {
    const { file, hasher, write } = hashing();
    await write(2 * MIB, SIZE);
    await hasher.caughtUp();
    assert.equal(hasher.hashed, 0, "nothing is hashed past a gap");
    await write(0, MIB);
    await write(MIB, 2 * MIB);
    await hasher.caughtUp();
    assert.equal(hasher.hashed, SIZE, "the whole file once the gap is filled");
    assert.equal(file.bytesRead, SIZE - 2 * MIB, "the bytes beyond the gap, read back once");
    const before = file.bytesRead;
    assert.equal(await hasher.digest(), SHA256);
    assert.equal(file.bytesRead, before, "nothing left to read at the end");
  });

  it("hashes overlapping bytes once: a chunk that straddles the hashed front", async () => {
    const { hasher, write } = hashing();
    await write(0, 1000);
    await write(500, SIZE);
    assert.equal(hasher.hashed, SIZE);
    assert.equal(await hasher.digest(), SHA256);
  });

  it("reads back the prefix an earlier run wrote, and what landed out of order", async () => {
    const { file, hasher, write } = hashing(CONTENT.slice(0, MIB));
    hasher.readBackPrefix();
    await hasher.caughtUp();
    assert.equal(hasher.hashed, MIB);
    assert.equal(file.bytesRead, MIB);
    await write(2 * MIB, SIZE);
    await write(MIB, 2 * MIB);
    assert.equal(await hasher.digest(), SHA256);
    assert.equal(
      file.bytesRead,
      MIB + SIZE - 2 * MIB,
      "each byte not hashed from memory read once",
    );
  });

  it("fails digest with a storage error when the file ends before its size", async () => {
    const { hasher, write } = hashing(new Uint8Array(0), SIZE + 100);
    await write(0, SIZE);
    await assert.rejects(hasher.digest(), (error) => {
      assert.ok(error instanceof ModelManagerError && error.code === "storage");
      return true;
    });
  });

  it("surfaces a failed read-back from digest as a storage error", async () => {
    const { file, hasher, write } = hashing();
    file.failReads = Object.assign(new Error("i/o error"), { code: "EIO" });
    await write(MIB, SIZE);
    await write(0, MIB);
    await assert.rejects(hasher.digest(), (error) => {
      assert.ok(error instanceof ModelManagerError && error.code === "storage");
      return true;
    });
  });

  it("computes the git blob SHA-1 of small files", async () => {
    const content = new TextEncoder().encode('{"model_type":"qwen2"}');
    const file = new MemoryFile();
    const hex = createHash("sha1").update(`blob ${content.length}\0`).update(content).digest("hex");
    const hasher = new PrefixHasher({ algorithm: "git-sha1", hex }, {
      handle: file,
      size: content.length,
      contiguous: () => content.length,
      file: "config.json",
    });
    await file.write(content, 0);
    hasher.written(0, content);
    assert.equal(await hasher.digest(), hex);
  });
});

describe("PrefixHasher holding writes", () => {
  const LARGE = 40 * MIB;
  const content = new Uint8Array(LARGE);
  for (let index = 0; index < LARGE; index++) content[index] = (index * 13 + 5) % 251;
  const sha256 = createHash("sha256").update(content).digest("hex");

  /** A hasher on a file of `LARGE` bytes holding `initial` of them, whose reads wait at a gate. */
  function gated(initial = 0) {
    const file = new MemoryFile(content.slice(0, initial));
    const reads: Gate = gate();
    const read = file.read.bind(file);
    file.read = async (buffer, position) => {
      await reads.wait();
      return read(buffer, position);
    };
    let contiguous = initial;
    const hasher = new PrefixHasher({ algorithm: "sha256", hex: sha256 }, {
      handle: file,
      size: LARGE,
      contiguous: () => contiguous,
      file: "model.rkllm",
    });
    /** Writes bytes `start`..`end` (the prefix up to `front` is then contiguous); answers the hold. */
    const write = async (start: number, end: number, front: number) => {
      const bytes = content.slice(start, end);
      await file.write(bytes, start);
      contiguous = front;
      // Wrapped: an async function answering the promise itself would wait for it.
      return { held: hasher.written(start, bytes) };
    };
    return { file, hasher, reads, write };
  }

  /** Whether `promise` has settled once everything pending ran. */
  async function settled(promise: Promise<void> | undefined): Promise<boolean> {
    let done = false;
    promise?.then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    return done;
  }

  it("holds a write while more than 16 MiB are left to read back, until reading catches up", async () => {
    const { hasher, reads, write } = gated();
    const ahead = await write(MIB, 20 * MIB, 0);
    assert.equal(ahead.held, undefined, "nothing contiguous to hash yet");
    const { held } = await write(0, MIB, 20 * MIB);
    assert.ok(held, "19 MiB behind: the write is held");
    assert.equal(hasher.hashed, MIB, "the bytes at the front were hashed from memory");
    assert.equal(await settled(held), false, "held while reading back waits");
    let hashedAtRelease = 0;
    const released = held?.then(() => (hashedAtRelease = hasher.hashed));
    reads.open();
    await released;
    assert.ok(
      hashedAtRelease >= 4 * MIB && hashedAtRelease < 20 * MIB,
      `let go once within 16 MiB, before reading back all (${hashedAtRelease})`,
    );
    await write(20 * MIB, LARGE, LARGE);
    assert.equal(await hasher.digest(), sha256);
  });

  it("holds nothing while it reads back what an earlier run wrote", async () => {
    const { hasher, reads, write } = gated(24 * MIB);
    hasher.readBackPrefix();
    assert.equal((await write(24 * MIB, 25 * MIB, 25 * MIB)).held, undefined);
    reads.open();
    await write(25 * MIB, LARGE, LARGE);
    assert.equal(await hasher.digest(), sha256);
  });

  it("lets a held write go when reading back fails, and digest reports the failure", async () => {
    const { file, hasher, reads, write } = gated();
    await write(MIB, 20 * MIB, 0);
    const { held } = await write(0, MIB, 20 * MIB);
    assert.ok(held);
    file.failReads = Object.assign(new Error("bad sector"), { code: "EIO" });
    reads.open();
    await held;
    await assert.rejects(hasher.digest(), (error) => {
      assert.ok(error instanceof ModelManagerError && error.code === "storage");
      return true;
    });
  });
});
