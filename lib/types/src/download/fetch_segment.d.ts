import type { HubConnection } from "../http/hub_connection.ts";
import type { FileHandle } from "../runtime/runtime.ts";
import type { PieceBook, PieceView } from "./piece_book.ts";
/**
 * Raised when the server answers a ranged request with the whole file.
 */
export declare class RangeIgnoredError extends Error {
    /** Creates the error; it carries no details. */
    constructor();
}
/**
 * Raised when the remote file no longer matches the partial download (416, other total).
 */
export declare class RemoteChangedError extends Error {
    /** Creates the error with what changed. */
    constructor(reason: string);
}
/** What a segment fetch needs. */
export interface SegmentFetch {
    /** The connection settings (token, fetch, user signal). */
    connection: HubConnection;
    /** The URL serving the bytes. */
    contentUrl: URL;
    /**
     * The status of the file server that made the engine resolve `contentUrl`
     * afresh: the same status again means a refusal, not an expired link.
     */
    urlRefreshedAfter?: number;
    /** The partial file. */
    handle: FileHandle;
    /** The piece state, told what landed. */
    book: PieceBook;
    /** The file's full size. */
    total: number;
    /** Abort an attempt after this long without a byte, or too slow over it. */
    idleTimeoutMs: number;
    /** The repository path, for messages. */
    file: string;
    /** The repository, for messages. */
    repo: string;
    /** Told about every batch of bytes written. */
    onBytes: (count: number) => void;
    /** Told about the bytes that landed inside their segment, once the book counts them. */
    onWritten?: (position: number, bytes: Uint8Array) => Promise<void> | void;
    /** Called when a whole body arrives for a ranged request and `bytes` on disk are read past. */
    onReadPast?: (bytes: number) => void;
}
/**
 * The parts of a `Content-Range` header (`bytes 0-99/1000`, `bytes 0-99/*`), or
 * `undefined` when it is missing or malformed.
 */
export declare function parseContentRange(value: string | null): {
    start: number;
    end: number;
    total?: number;
} | undefined;
/** Options for {@linkcode fetchSegment}. */
export interface FetchSegmentOptions {
    /** The segment is the whole file: a server that ignores Range is accepted. */
    wholeFile?: boolean;
}
/**
 * Fetches what is missing of `segment` in one request, telling `job.book` as
 * bytes reach the file. Throws a retryable error when the attempt can be
 * repeated from where it stopped. With `options.wholeFile` (the only segment), a
 * server that ignores Range is read past the bytes already on disk.
 */
export declare function fetchSegment(job: SegmentFetch, segment: PieceView, options?: FetchSegmentOptions): Promise<void>;
/**
 * Fetches every missing byte of `segments` in one request without Range (for a
 * server that ignores it), reading past the bytes already on disk.
 */
export declare function fetchWholeBody(job: SegmentFetch, segments: readonly PieceView[]): Promise<void>;
