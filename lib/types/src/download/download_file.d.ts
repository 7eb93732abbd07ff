import type { HubConnection } from "../http/hub_connection.ts";
import type { RepoSource } from "../source/repo_source.ts";
import type { RetryOptions } from "../http/retry.ts";
import type { RepoFile } from "../hub/list_files.ts";
import type { RepoId } from "../hub/repo_id.ts";
import { type Runtime } from "../runtime/runtime.ts";
import type { DownloadEventHandler } from "./download_events.ts";
/** The engine's settings. */
export interface DownloadEngineOptions {
    /** File system and process access. */
    runtime: Runtime;
    /** Hub settings (endpoint, token, fetch, user signal). */
    connection: HubConnection;
    /** The hub files are resolved on; Hugging Face when absent. */
    source?: RepoSource;
    /** Parallel connections for large files ({@linkcode DEFAULT_CONNECTIONS} when absent). */
    connections?: number;
    /** Files at least this large use parallel segments ({@linkcode DEFAULT_PARALLEL_THRESHOLD} when absent). */
    parallelThreshold?: number;
    /**
     * Restart a request after this long without a byte, or too slow over it
     * ({@linkcode DEFAULT_IDLE_TIMEOUT_MS} when absent).
     */
    idleTimeoutMs?: number;
    /** Retry policy for each segment. */
    retry?: RetryOptions;
    /** Receives progress events. */
    onEvent?: DownloadEventHandler;
}
/** One file to download. */
export interface FileDownloadRequest {
    /** The repository. */
    repo: RepoId;
    /** The pinned commit. */
    commit: string;
    /** The file as listed at that commit. */
    file: RepoFile;
    /** Where the finished file goes (the partial file sits beside it). */
    destination: string;
}
/** What a finished file download did. */
export interface FileDownloadResult {
    /** The repository path. */
    file: string;
    /** Where the file goes once finalised. */
    destination: string;
    /** Size in bytes. */
    size: number;
    /**
     * The SHA-256 the file was verified against (from the listing, or from
     * `X-Linked-Etag` when the listing had none).
     */
    sha256?: string;
    /**
     * The git blob SHA-1 it was verified against (from the listing, or from the
     * `ETag` of a small file). With neither, the file was checked by size only.
     */
    gitSha1?: string;
    /** Bytes fetched over the network by this run. */
    transferred: number;
    /** Bytes that were already on disk from an earlier run. */
    resumedBytes: number;
}
/**
 * The defaults, chosen from the benchmarks in `bench/`.
 */
export declare const DEFAULT_CONNECTIONS = 8;
/**
 * Files from this size up are fetched with parallel segments.
 */
export declare const DEFAULT_PARALLEL_THRESHOLD: number;
/**
 * No byte for this long restarts a request.
 */
export declare const DEFAULT_IDLE_TIMEOUT_MS = 30000;
/**
 * Moves a verified partial file into place and removes its state.
 */
export declare function finalizeDownload(runtime: Runtime, destination: string): Promise<void>;
/**
 * Downloads one file into `<destination>.part` and verifies it, resuming an
 * earlier partial download of the same file when one exists. The verified
 * partial file is then moved into place with {@linkcode finalizeDownload}.
 * A file that fails its hash, or changes on the server meanwhile, is
 * downloaded once more from the start (its content may have changed on the
 * CDN) before that is an error.
 */
export declare function downloadToPartial(request: FileDownloadRequest, options: DownloadEngineOptions): Promise<FileDownloadResult>;
