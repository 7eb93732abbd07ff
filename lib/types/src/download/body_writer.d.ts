/**
 * Gathering a body's bytes into one reused buffer and writing them at their
 * offsets in the partial file, one batch at a time, so that a request never
 * reads faster than the disk takes its bytes.
 *
 * @module
 */
import { type ChunkReader } from "../runtime/chunked_body.ts";
import type { FileHandle } from "../runtime/runtime.ts";
import type { PieceBook, PieceView } from "./piece_book.ts";
/** Where a {@linkcode BodyWriter} writes, and whom it tells. */
export interface BodyWriterTarget {
    /** The partial file. */
    handle: FileHandle;
    /** The piece state, told what landed. */
    book: PieceBook;
    /** The repository path, for messages. */
    file: string;
    /** Told about every batch written (bytes received, before any clipping). */
    onBytes: (count: number) => void;
    /**
     * Told about the bytes of every batch that landed inside its segment, once the
     * book counts them; a promise it answers holds the writer until it settles.
     */
    onWritten?: (position: number, bytes: Uint8Array) => Promise<void> | void;
}
/**
 * Writes body bytes into pieces through one buffer of `batchBytes`. A piece
 * may be cut short while bytes are buffered (another request took its tail)
 * or completed by another copy of the request: bytes past its end are then
 * dropped. The book records what landed.
 */
export declare class BodyWriter {
    #private;
    /** A writer for `target` batching up to `batchBytes`. */
    constructor(target: BodyWriterTarget, batchBytes: number);
    /**
     * Hands the batch buffer on to a later writer; what is buffered and not
     * flushed is dropped, and the writer takes no more bytes. Call it once no
     * write is in progress.
     */
    release(): void;
    /** The next file byte `segment` needs: after what is on disk and what is buffered for it. */
    front(segment: PieceView): number;
    /** Adds `bytes`, which belong at file byte `position` of `segment`, writing full batches. */
    put(segment: PieceView, bytes: Uint8Array, position: number): Promise<void>;
    /** Writes what is buffered. */
    flush(): Promise<void>;
}
export type { ChunkReader };
/**
 * A reader of `body`: the transport's own chunk reader when it offers one; one
 * that reuses one buffer when the runtime offers a byte stream (a BYOB reader),
 * so a fast download leaves no garbage per chunk; otherwise the runtime's
 * chunks as they come. A chunk is valid until the next read.
 */
export declare function chunkReaderOf(body: ReadableStream<Uint8Array>): ChunkReader;
