/**
 * Bookkeeping while a file's segments download: counting bytes, reporting
 * progress, and persisting segment progress often enough that a killed
 * process loses only a few MiB, and a power cut only the last seconds; where
 * the runtime lets it, collecting garbage every 64 MiB.
 *
 * @module
 */
import type { FileHandle, Runtime } from "../runtime/runtime.ts";
import type { DownloadEventHandler } from "./download_events.ts";
import { type DownloadState } from "../store/partial_state.ts";
import type { PieceBook } from "./piece_book.ts";
/** What a {@linkcode TransferTracker} tracks, and whom it tells. */
export interface TrackedTransfer {
    /** The file being downloaded (its state is saved beside it). */
    destination: string;
    /** The download's state, saved with the book's pieces in place of its segments. */
    state: DownloadState;
    /** The piece state. */
    book: PieceBook;
    /** The partial file, flushed before its progress is saved as durable. */
    handle: FileHandle;
    /** Receives progress events. */
    emit: DownloadEventHandler;
    /** The clock (ms) that paces progress events and saves; tests may pass their own. */
    now?: () => number;
}
/**
 * Counts bytes, reports progress and persists segment progress as it goes.
 * The saved state never claims bytes a reboot could lose. Where the runtime
 * knows the boot ({@linkcode Runtime.bootId}), each save records the bytes
 * written, good for this boot only, and the bytes last flushed, good for any
 * boot; the partial file is flushed every second beside the saves, and
 * before {@linkcode TransferTracker.save}. Elsewhere each save flushes first
 * and records only what was written before the flush.
 */
export declare class TransferTracker {
    #private;
    /** Bytes fetched over the network so far. */
    transferred: number;
    /** Tracks the download of `state.file` into `handle`, saving its state beside `destination`. */
    constructor(runtime: Runtime, transfer: TrackedTransfer);
    /** Records `count` new bytes written; reports progress and saves the state when due. */
    onBytes(count: number): void;
    /** Flushes the data, then records how far each segment got (after any save in progress). */
    save(): Promise<void>;
    /** Resolves once the saves queued so far have landed or failed (it does not wait for flushes beside them). */
    settled(): Promise<void>;
    /** Reports the bytes on disk now. */
    progress(): void;
}
