/**
 * Where the emulator reads file bodies from: bytes held in memory, or deterministic
 * pseudo-random bytes generated on the fly so that multi-GiB files need no memory.
 *
 * @module
 */
import type { LazySource } from "./types.ts";

/** A file body that can be read in slices. */
export interface ByteSource {
  /** Size of the body in bytes. */
  readonly size: number;
  /** The bytes from `start` (inclusive) to `end` (exclusive). */
  read(start: number, end: number): Uint8Array;
}

const BLOCK_BYTES = 64 * 1024;
const scratchWords = new Uint32Array(BLOCK_BYTES / 4);
const scratchBytes = new Uint8Array(scratchWords.buffer);

/**
 * Fast pseudo-random bytes (xorshift32 per 64 KiB block), identical to what a
 * {@link LazySource} with the same seed serves.
 *
 * @example
 * ```ts
 * const model = deterministicBytes(4 * 1024 * 1024, 7);
 * ```
 */
export function deterministicBytes(size: number, seed = 1): Uint8Array {
  return readDeterministic(seed, 0, size);
}

/** A source serving `data` as it is. */
export function memorySource(data: Uint8Array): ByteSource {
  return { size: data.length, read: (start, end) => data.subarray(start, end) };
}

/** A source generating the bytes of {@link deterministicBytes} slice by slice. */
export function lazySource(spec: LazySource): ByteSource {
  return { size: spec.size, read: (start, end) => readDeterministic(spec.seed, start, end) };
}

function blockSeed(seed: number, block: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(block + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) || 1;
}

function fillBlock(seed: number, block: number, words: Uint32Array): void {
  let x = blockSeed(seed, block);
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x;
  }
}

function readDeterministic(seed: number, start: number, end: number): Uint8Array {
  const out = new Uint8Array(end - start);
  let position = start;
  while (position < end) {
    const block = Math.floor(position / BLOCK_BYTES);
    const blockStart = block * BLOCK_BYTES;
    const from = position - blockStart;
    const to = Math.min(BLOCK_BYTES, end - blockStart);
    const outOffset = position - start;
    if (from === 0 && to === BLOCK_BYTES && outOffset % 4 === 0) {
      fillBlock(seed, block, new Uint32Array(out.buffer, outOffset, BLOCK_BYTES / 4));
    } else {
      fillBlock(seed, block, scratchWords);
      out.set(scratchBytes.subarray(from, to), outOffset);
    }
    position = blockStart + to;
  }
  return out;
}
