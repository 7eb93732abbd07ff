/**
 * The events a download reports while it runs: for progress bars, NDJSON
 * output and logs.
 *
 * @module
 */
import type { RetryEvent } from "../http/retry.ts";
/** Something that happened to one file's download. */
export type DownloadEvent = {
    event: "start";
    /** The file's path in the repository. */
    file: string;
    /** Its size in bytes. */
    total: number;
    /** Bytes already on disk from an earlier run. */
    resumedBytes: number;
    /** Parallel connections used. */
    connections: number;
} | {
    event: "progress";
    file: string;
    bytes: number;
    total: number;
} | {
    event: "retry";
    file: string;
    attempt: number;
    delayMs: number;
    message: string;
    /** Why the wait is that long: "rate limited by the Hub", the server asked, or the failure. */
    reason?: string;
    /** The next attempt's number in the current run of failures, from 2. */
    nextAttempt?: number;
    /** Attempts allowed in a run of failures. */
    attempts?: number;
} | {
    event: "restart";
    file: string;
    reason: string;
} | {
    event: "verify";
    file: string;
    /** Bytes to read back from disk to check the hash, now that the last byte arrived. */
    rereadBytes?: number;
} | {
    event: "done";
    file: string;
    total: number;
    /** Bytes fetched over the network by this run. */
    transferred: number;
    /** True when the file was already complete and nothing was fetched. */
    skipped: boolean;
    /**
     * Bytes read back from disk to check the hash after the last byte arrived (the
     * rest was hashed as it landed); absent when no hash was checked by this run.
     */
    rereadBytes?: number;
} | {
    event: "wait";
    file: string;
    /** Who holds the lock of the model's directory. */
    holder: {
        pid: number;
        host: string;
        since: string;
    };
    /** The lock file, to delete by hand when its holder is gone but not detected as such. */
    lock?: string;
};
/** A function that receives download events. */
export type DownloadEventHandler = (event: DownloadEvent) => void;
/**
 * The `retry` event of one file for a retry of the retry policy: the wait, which
 * attempt of how many, and why.
 */
export declare function retryEventOf(file: string, event: RetryEvent): DownloadEvent;
