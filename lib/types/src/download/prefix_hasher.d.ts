import type { FileHandle } from "../runtime/runtime.ts";
import { type ExpectedHash } from "./file_hash.ts";
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
 * Hashes the contiguous prefix of a partial file as it grows.
 */
export declare class PrefixHasher {
    #private;
    /** Starts hashing a file of `source.size` bytes with the algorithm of `expected`. */
    constructor(expected: ExpectedHash, source: PrefixSource);
    /** Bytes hashed so far. */
    get hashed(): number;
    /**
     * Records that `bytes` reached the file at `position` (and the piece book
     * already counts them): hashed now when they continue the hashed prefix,
     * else read back later once the prefix reaches them. Answers a promise that
     * holds the writer while the hashed front is more than 16 MiB behind the
     * contiguous prefix (not while it reads back what an earlier process wrote),
     * so that little is left to read back once the last byte arrives.
     */
    written(position: number, bytes: Uint8Array): Promise<void> | undefined;
    /**
     * Starts reading back and hashing the contiguous prefix on disk beyond what is
     * hashed (what an earlier process wrote, or bytes that landed out of order),
     * unless a read-back runs already. Failures surface from {@linkcode PrefixHasher.digest}.
     */
    readBackPrefix(): void;
    /** Waits until a read-back in progress has reached the contiguous prefix. */
    caughtUp(): Promise<void>;
    /** Hashes what is left of the complete file and answers the lower-case hex digest. */
    digest(): Promise<string>;
}
