/**
 * Bookkeeping while a file's segments download: counting bytes, reporting
 * progress, and persisting segment progress often enough that a killed
 * process loses only a few MiB.
 *
 * @module
 */
import type { FileHandle, Runtime } from "../runtime/runtime.ts";
import { storageFailure } from "../store/storage_error.ts";
import type { DownloadEventHandler } from "./download_events.ts";
import { type DownloadState, writeDownloadState } from "../store/partial_state.ts";
import type { PieceBook } from "./piece_book.ts";

/** Persist segment progress at least this often while bytes arrive. */
const SAVE_EVERY_MS = 1000;
/** …and after this many new bytes, whichever comes first. */
const SAVE_EVERY_BYTES = 4 * 1024 * 1024;
/** Never persist more often than this (a flush of the partial file costs time). */
const SAVE_MIN_INTERVAL_MS = 100;
const PROGRESS_EVERY_MS = 100;

/** What a {@linkcode TransferTracker} tracks, and whom it tells. */
export interface TrackedTransfer {
  /** The file being downloaded (its state is saved beside it). */
  destination: string;
  /** The download's state, saved with the book's pieces in place of its segments. */
  state: DownloadState;
  /** The piece state. */
  book: PieceBook;
  /** The partial file, flushed before the state is saved. */
  handle: FileHandle;
  /** Receives progress events. */
  emit: DownloadEventHandler;
  /** The clock (ms) that paces progress events and saves; tests may pass their own. */
  now?: () => number;
}

/**
 * Counts bytes, reports progress and persists segment progress as it goes.
 * The saved state never claims bytes that are not flushed to the partial
 * file: the book's pieces are copied first, the file is flushed, then the copy is written.
 */
export class TransferTracker {
  /** Bytes fetched over the network so far. */
  transferred = 0;
  #runtime: Runtime;
  #destination: string;
  #state: DownloadState;
  #book: PieceBook;
  #handle: FileHandle;
  #emit: DownloadEventHandler;
  #now: () => number;
  #lastProgressAt = -Infinity;
  #lastSaveAt: number;
  #unsavedBytes = 0;
  /** Saves run one after another, so an older snapshot never lands after a newer one. */
  #saves: Promise<void> = Promise.resolve();
  #periodicQueued = false;

  /** Tracks the download of `state.file` into `handle`, saving its state beside `destination`. */
  constructor(runtime: Runtime, transfer: TrackedTransfer) {
    this.#runtime = runtime;
    this.#destination = transfer.destination;
    this.#state = transfer.state;
    this.#book = transfer.book;
    this.#handle = transfer.handle;
    this.#emit = transfer.emit;
    this.#now = transfer.now ?? Date.now;
    this.#lastSaveAt = this.#now();
  }

  /** Records `count` new bytes written; reports progress and saves the state when due. */
  onBytes(count: number): void {
    this.transferred += count;
    this.#unsavedBytes += count;
    const now = this.#now();
    if (now - this.#lastProgressAt >= PROGRESS_EVERY_MS) {
      this.#lastProgressAt = now;
      this.progress();
    }
    const due = now - this.#lastSaveAt >= SAVE_EVERY_MS || this.#unsavedBytes >= SAVE_EVERY_BYTES;
    if (due && !this.#periodicQueued && now - this.#lastSaveAt >= SAVE_MIN_INTERVAL_MS) {
      this.#periodicQueued = true;
      // A failed periodic save is not fatal: the next one, or the final one, tries again.
      this.#queue().catch(() => {}).finally(() => (this.#periodicQueued = false));
    }
  }

  /** Flushes the data, then records how far each segment got (after any save in progress). */
  save(): Promise<void> {
    return this.#queue();
  }

  #queue(): Promise<void> {
    const save = this.#saves.then(() => this.#write());
    this.#saves = save.catch(() => {});
    return save;
  }

  /** Reports the bytes on disk now. */
  progress(): void {
    this.#emit({
      event: "progress",
      file: this.#state.file,
      bytes: this.#book.completed(),
      total: this.#state.identity.size,
    });
  }

  async #write(): Promise<void> {
    this.#lastSaveAt = this.#now();
    this.#unsavedBytes = 0;
    const snapshot = { ...this.#state, segments: this.#book.snapshot() };
    try {
      await this.#handle.sync();
    } catch (error) {
      throw storageFailure(`flush ${this.#state.file} to disk`, error, { resumable: true });
    }
    await writeDownloadState(this.#runtime, { destination: this.#destination, state: snapshot });
  }
}
