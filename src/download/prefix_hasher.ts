/**
 * Hashing a file while it downloads: the contiguous prefix on disk is hashed
 * as it grows, from the bytes in memory when they land right at the hashed
 * front, and read back from the file (the page cache, just behind the write
 * front) when they landed out of order. When the last byte lands only a short
 * tail remains; a resumed download reads back what an earlier process wrote.
 *
 * @module
 */
import { cancelledError } from "../errors.ts";
import type { FileHandle } from "../runtime/runtime.ts";
import { storageFailure } from "../store/storage_error.ts";
import { type ContentHasher, createContentHasher, type ExpectedHash } from "./file_hash.ts";

/** What a {@linkcode PrefixHasher} reads from. */
export interface PrefixSource {
  /** The partial file, read at positions behind the write front. */
  handle: FileHandle;
  /** The whole file's size in bytes. */
  size: number;
  /** How many bytes from the start are on disk without a gap, now. */
  contiguous: () => number;
  /** The file's repository path, for messages. */
  file: string;
  /** Stops reading back. */
  signal?: AbortSignal;
}

/**
 * Bytes read back from the file at a time (one buffer, reused). 1 MiB would
 * hold 3 MB less, but each read costs a trip through the runtime's file I/O:
 * 1 GiB took Deno 2.39 s with 1 MiB reads and 2.17 s with 4 MiB (5 rounds).
 */
const READ_BACK_BYTES = 4 * 1024 * 1024;
/**
 * Writes wait while the hashed front is further than this behind the contiguous
 * prefix: bytes that land ahead of the hashed front are read back, and without
 * a bound the hasher (sharing the CPU with the transfers) could be hundreds of
 * MiB behind when the last byte arrives.
 */
const MAX_LAG_BYTES = 16 * 1024 * 1024;

/**
 * Hashes the contiguous prefix of a partial file as it grows.
 */
export class PrefixHasher {
  #hash: ContentHasher;
  #size: number;
  #source: PrefixSource;
  /** Bytes hashed so far, from the start. */
  #hashed = 0;
  #readingBack: Promise<void> | undefined;
  #failure: unknown;
  #buffer: Uint8Array | undefined;
  /** Writes held until the hasher catches up. */
  #held: (() => void)[] = [];
  /** The prefix an earlier process wrote: read back while the rest downloads, holding nothing. */
  #resumedFront: number;

  /** Starts hashing a file of `source.size` bytes with the algorithm of `expected`. */
  constructor(expected: ExpectedHash, source: PrefixSource) {
    this.#hash = createContentHasher(expected.algorithm, source.size);
    this.#size = source.size;
    this.#source = source;
    this.#resumedFront = source.contiguous();
  }

  /** Bytes hashed so far. */
  get hashed(): number {
    return this.#hashed;
  }

  /**
   * Records that `bytes` reached the file at `position` (and the piece book
   * already counts them): hashed now when they continue the hashed prefix,
   * else read back later once the prefix reaches them. Answers a promise that
   * holds the writer while the hashed front is more than 16 MiB behind the
   * contiguous prefix (not while it reads back what an earlier process wrote),
   * so that little is left to read back once the last byte arrives.
   */
  written(position: number, bytes: Uint8Array): Promise<void> | undefined {
    const end = position + bytes.length;
    if (!this.#readingBack && position <= this.#hashed && end > this.#hashed) {
      this.#hash.update(bytes.subarray(this.#hashed - position));
      this.#hashed = end;
    }
    this.readBackPrefix();
    if (!this.#readingBack || this.#hashed < this.#resumedFront || !this.#behind()) return;
    return new Promise((resolve) => this.#held.push(resolve));
  }

  /** Whether the hashed front is further behind the contiguous prefix than writes may run ahead. */
  #behind(): boolean {
    return this.#source.contiguous() - this.#hashed > MAX_LAG_BYTES;
  }

  /** Lets held writes go on once the hasher is close enough to the contiguous prefix. */
  #releaseIfCaughtUp(): void {
    if (!this.#behind()) this.#releaseAll();
  }

  /** Lets every held write go on. */
  #releaseAll(): void {
    const held = this.#held;
    this.#held = [];
    for (const resume of held) resume();
  }

  /**
   * Starts reading back and hashing the contiguous prefix on disk beyond what is
   * hashed (what an earlier process wrote, or bytes that landed out of order),
   * unless a read-back runs already. Failures surface from {@linkcode PrefixHasher.digest}.
   */
  readBackPrefix(): void {
    if (this.#readingBack || this.#source.contiguous() <= this.#hashed) return;
    this.#readingBack = this.#readBack().catch((error) => {
      this.#failure ??= error;
    }).finally(() => {
      this.#readingBack = undefined;
      // Caught up, or failed (`digest` reports it): nothing is held any more.
      this.#releaseAll();
    });
  }

  /** Waits until a read-back in progress has reached the contiguous prefix. */
  async caughtUp(): Promise<void> {
    while (this.#readingBack) await this.#readingBack;
  }

  /** Hashes what is left of the complete file and answers the lower-case hex digest. */
  async digest(): Promise<string> {
    while (this.#readingBack) await this.#readingBack;
    if (this.#failure) throw this.#failure;
    await this.#readBack(this.#size);
    return this.#hash.digest();
  }

  /** Reads back and hashes the file from the hashed front up to the contiguous prefix (or `to`). */
  async #readBack(to?: number): Promise<void> {
    const { handle, signal, file } = this.#source;
    for (;;) {
      const front = Math.min(to ?? this.#source.contiguous(), this.#size);
      if (this.#hashed >= front) return;
      if (signal?.aborted) throw cancelledError(signal.reason);
      this.#buffer ??= new Uint8Array(READ_BACK_BYTES);
      const wanted = this.#buffer.subarray(0, Math.min(READ_BACK_BYTES, front - this.#hashed));
      let count: number;
      try {
        count = await handle.read(wanted, this.#hashed);
      } catch (error) {
        throw storageFailure(`read ${file} back to check its hash`, error, { resumable: true });
      }
      if (count === 0) {
        throw storageFailure(
          `read ${file} back to check its hash`,
          new Error(`the partial file ends at ${this.#hashed} bytes`),
          { resumable: true },
        );
      }
      this.#hash.update(wanted.subarray(0, count));
      this.#hashed += count;
      this.#releaseIfCaughtUp();
    }
  }
}
