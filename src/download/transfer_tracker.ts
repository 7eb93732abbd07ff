/**
 * Bookkeeping while a file's segments download: counting bytes, reporting
 * progress, and persisting segment progress often enough that a killed
 * process loses only a few MiB, and a power cut only the last seconds; where
 * the runtime lets it, collecting garbage every 64 MiB.
 *
 * @module
 */
import type { FileHandle, Runtime } from "../runtime/runtime.ts";
import { storageFailure } from "../store/storage_error.ts";
import type { DownloadEventHandler } from "./download_events.ts";
import {
  claimingOnAnyBoot,
  type DownloadState,
  mayTrustUnflushed,
  type Segment,
  writeDownloadState,
} from "../store/partial_state.ts";
import type { PieceBook } from "./piece_book.ts";

/** Persist segment progress at least this often while bytes arrive. */
const SAVE_EVERY_MS = 1000;
/** …and after this many new bytes, whichever comes first. */
const SAVE_EVERY_BYTES = 4 * 1024 * 1024;
/** Never persist more often than this. */
const SAVE_MIN_INTERVAL_MS = 100;
/**
 * Where the machine's boot can be told apart, flush the partial file this often
 * while bytes arrive, beside the saves (a flush costs time on the disk and the CPU).
 */
const FLUSH_EVERY_MS = 1000;
const PROGRESS_EVERY_MS = 100;
/**
 * Where the runtime lets a program collect its garbage ({@linkcode Runtime.collectGarbage}),
 * ask after this many new bytes: Bun's peak while downloading 1 GiB from loopback
 * fell from 163 to 133 MB in the same time (every 32 MiB: 128 MB, 2 % slower).
 */
const COLLECT_EVERY_BYTES = 64 * 1024 * 1024;

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
  #uncollectedBytes = 0;
  #bootId: string | undefined;
  /** The book's pieces as of the last completed flush. */
  #durable: Segment[];
  #lastFlushAt: number;
  /** Flushes run one after another, so `#durable` only grows. */
  #flushes: Promise<void> = Promise.resolve();
  #flushQueued = false;
  /** The first flush that failed: no later flush or save succeeds. */
  #flushFailure: unknown;
  /** The durable progress the last state written carried. */
  #savedDurable: Segment[] | undefined;
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
    this.#lastFlushAt = this.#lastSaveAt;
    // Unflushed progress is only claimed for a file whose hash is checked before it is accepted.
    this.#bootId = mayTrustUnflushed(transfer.state.identity) ? runtime.bootId() : undefined;
    const { durableSegments, segments } = transfer.state;
    this.#durable = (durableSegments ?? segments).map((segment) => ({ ...segment }));
  }

  /** Records `count` new bytes written; reports progress and saves the state when due. */
  onBytes(count: number): void {
    this.transferred += count;
    this.#unsavedBytes += count;
    this.#collectWhenDue(count);
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

  /** Asks the runtime to collect its garbage after every {@linkcode COLLECT_EVERY_BYTES} new bytes. */
  #collectWhenDue(count: number): void {
    const collect = this.#runtime.collectGarbage;
    if (!collect) return;
    this.#uncollectedBytes += count;
    if (this.#uncollectedBytes < COLLECT_EVERY_BYTES) return;
    this.#uncollectedBytes = 0;
    collect();
  }

  /** Flushes the data, then records how far each segment got (after any save in progress). */
  save(): Promise<void> {
    return this.#queue({ flush: true });
  }

  /** Resolves once the saves queued so far have landed or failed (it does not wait for flushes beside them). */
  settled(): Promise<void> {
    return this.#saves;
  }

  #queue(options: { flush: boolean } = { flush: false }): Promise<void> {
    const save = this.#saves.then(() => this.#write(options.flush));
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

  async #write(flush: boolean): Promise<void> {
    this.#lastSaveAt = this.#now();
    this.#unsavedBytes = 0;
    const bootId = this.#unflushedBoot();
    if (flush || !bootId) await this.#flushOrWithdraw();
    else if (this.#lastSaveAt - this.#lastFlushAt >= FLUSH_EVERY_MS) this.#flushBeside();
    const durable = this.#durable;
    const state: DownloadState = bootId
      ? { ...this.#state, segments: this.#book.snapshot(), bootId, durableSegments: durable }
      : this.#durableState();
    // The state file itself is flushed when it carries new durable progress, not ten times a second.
    const newlyDurable = durable !== this.#savedDurable;
    await writeDownloadState(this.#runtime, {
      destination: this.#destination,
      state,
      flush: !bootId || newlyDurable,
    });
    this.#savedDurable = durable;
  }

  /** The state claiming only what flushes made durable, on any boot. */
  #durableState(): DownloadState {
    return claimingOnAnyBoot(this.#state, this.#durable);
  }

  /**
   * The boot the saved progress may claim unflushed bytes for; none once a flush
   * failed (a file system reports a lost write to one flush only, so a later one
   * that succeeds proves nothing about the bytes before it).
   */
  #unflushedBoot(): string | undefined {
    return this.#flushFailure ? undefined : this.#bootId;
  }

  /**
   * Flushes; if that fails, first replaces a saved claim of unflushed bytes with
   * the durable progress (best effort: the disk is failing).
   */
  async #flushOrWithdraw(): Promise<void> {
    try {
      await this.#flush();
    } catch (error) {
      if (this.#bootId) {
        const state = this.#durableState();
        await writeDownloadState(this.#runtime, { destination: this.#destination, state })
          .catch(() => {});
      }
      throw error;
    }
  }

  /** Flushes the partial file (after any flush in progress): what the book counted before is durable. */
  #flush(): Promise<void> {
    const flush = this.#flushes.then(async () => {
      if (this.#flushFailure) throw this.#flushFailure;
      const written = this.#book.snapshot();
      this.#lastFlushAt = this.#now();
      try {
        await this.#handle.sync();
      } catch (error) {
        this.#flushFailure = storageFailure(`flush ${this.#state.file} to disk`, error, {
          resumable: true,
        });
        throw this.#flushFailure;
      }
      this.#durable = written;
    });
    this.#flushes = flush.catch(() => {});
    return flush;
  }

  /**
   * Starts a flush that saves do not wait for. If it fails, the next save
   * claims only what earlier flushes made durable, and fails.
   */
  #flushBeside(): void {
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    this.#flush().catch(() => {}).finally(() => (this.#flushQueued = false));
  }
}
