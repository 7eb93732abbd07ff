/**
 * Gathering a body's bytes into one reused buffer and writing them at their
 * offsets in the partial file, one batch at a time, so that a request never
 * reads faster than the disk takes its bytes.
 *
 * @module
 */
import type { FileHandle } from "../runtime/runtime.ts";
import type { Segment } from "./segment_plan.ts";
/** Where a {@linkcode BodyWriter} writes, and whom it tells. */
export interface BodyWriterTarget {
    /** The partial file. */
    handle: FileHandle;
    /** The repository path, for messages. */
    file: string;
    /** Told about every batch written (bytes received, before any clipping). */
    onBytes: (count: number) => void;
    /** Told about the bytes of every batch that landed inside its segment, once the segment counts them. */
    onWritten?: (position: number, bytes: Uint8Array) => void;
}
/**
 * Writes body bytes into segments through one buffer of `batchBytes`. A
 * segment may be cut short while bytes are buffered (another request took
 * its tail) or completed by another copy of the request: bytes past its end
 * are then dropped, and its `next` never moves back.
 */
export declare class BodyWriter {
    #private;
    /** A writer for `target` batching up to `batchBytes`. */
    constructor(target: BodyWriterTarget, batchBytes: number);
    /** The next file byte `segment` needs: after what is on disk and what is buffered for it. */
    front(segment: Segment): number;
    /** Adds `bytes`, which belong at file byte `position` of `segment`, writing full batches. */
    put(segment: Segment, bytes: Uint8Array, position: number): Promise<void>;
    /** Writes what is buffered. */
    flush(): Promise<void>;
}
/** Reads a body chunk by chunk. */
export interface ChunkReader {
    /** The next chunk, valid until the next call; `done` at the end. */
    read(): Promise<{
        done: boolean;
        value?: Uint8Array;
    }>;
    /** Stops reading and releases the connection. */
    cancel(): Promise<void>;
}
/**
 * A reader of `body` that reuses one buffer when the runtime offers a byte
 * stream (a BYOB reader), so a fast download leaves no garbage per chunk;
 * otherwise the runtime's chunks as they come. A chunk is valid until the next read.
 */
export declare function chunkReaderOf(body: ReadableStream<Uint8Array>): ChunkReader;
