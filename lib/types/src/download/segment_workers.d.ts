import type { HubConnection } from "../http/hub_connection.ts";
import { type RetryOptions } from "../http/retry.ts";
import type { RepoId } from "../hub/repo_id.ts";
import type { RepoSource } from "../source/repo_source.ts";
import type { FileHandle } from "../runtime/runtime.ts";
import { type DownloadEventHandler } from "./download_events.ts";
import type { DownloadState } from "../store/partial_state.ts";
import type { PieceBook } from "./piece_book.ts";
import type { TransferTracker } from "./transfer_tracker.ts";
/** What the workers need besides the state and the partial file. */
export interface SegmentRun {
    /** Hub settings; its signal is the user's. */
    connection: HubConnection;
    /** The hub the file is resolved again on; Hugging Face when absent. */
    source?: RepoSource;
    /** The repository, to resolve the file again. */
    repo: RepoId;
    /** The pinned commit. */
    commit: string;
    /** Where the bytes are served now (a signed URL that may expire). */
    contentUrl: URL;
    /** Parallel connections. */
    connections: number;
    /** Restart a request after this long without a byte, or too slow over it. */
    idleTimeoutMs: number;
    /** Told about the bytes that landed in their segment, as they land (to hash them). */
    onWritten?: (position: number, bytes: Uint8Array) => Promise<void> | void;
    /** The retry policy of each segment. */
    retry?: RetryOptions;
    /** Receives retry and restart events. */
    emit: DownloadEventHandler;
    /** Counts bytes and persists progress. */
    transfer: TransferTracker;
    /**
     * Opens another handle on the partial file, one for each parallel worker after
     * the first, so that no runtime queues one connection's writes behind another's.
     */
    openWriter?: () => Promise<FileHandle>;
}
/** What {@linkcode fetchAllSegments} fills: the piece state and the partial file. */
export interface SegmentTarget {
    /** The download's state (which file, its identity). */
    state: DownloadState;
    /** The piece state, which the requests advance as bytes land. */
    book: PieceBook;
    /** The partial file. */
    handle: FileHandle;
}
/**
 * Fetches every missing byte of `book`'s pieces into `handle`: queued pieces
 * in file order, then the tails of the slowest requests, splitting them (each
 * split saved before its request starts), and in the endgame a second copy of
 * a straggler's remainder. With `run.onWritten`, told about bytes as they land.
 */
export declare function fetchAllSegments(run: SegmentRun, target: SegmentTarget): Promise<void>;
