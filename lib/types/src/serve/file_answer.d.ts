/**
 * Answering `resolve`: the headers official clients read (`X-Repo-Commit`,
 * `ETag`, `X-Linked-Etag`, `X-Linked-Size`, exact `Content-Length`), Range
 * (206, 416) and a body streamed in bounded chunks that waits for the client
 * to drain before reading more.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { BodyBuffers } from "./body_buffers.ts";
import type { FileFacts } from "./hub_answers.ts";
/** Where a body's bytes come from: a finished file, or one still arriving. */
export interface BodySource {
    /**
     * Reads bytes at `position` into `buffer`, waiting for them if they are still
     * arriving; answers how many were read (0: there are no more).
     */
    read(buffer: Uint8Array, position: number): Promise<number>;
    /** Releases the source. */
    close(): Promise<void>;
}
/** The byte range a request asks for, as far as it can be served. */
export type RangeAsk = {
    kind: "whole";
} | {
    kind: "slice";
    start: number;
    end: number;
} | {
    kind: "unsatisfiable";
};
/**
 * The `Cache-Control` of commit-addressed answers, which never change.
 */
export declare const IMMUTABLE = "public, max-age=31536000, immutable";
/**
 * Reads a `Range` header against a size: one range (`a-b`, `a-`, `-n`) is
 * served as a slice; anything else (several ranges, another unit, garbage) as
 * the whole file, as RFC 9110 allows.
 */
export declare function rangeAskOf(header: string | undefined, size: number): RangeAsk;
/**
 * The quoted entity tag of a file: its SHA-256 (LFS) or git blob SHA-1.
 */
export declare function etagOf(file: FileFacts): string;
/**
 * The metadata headers of a file at a commit, shared by the 200 and a branch's 307.
 */
export declare function fileMetadataHeaders(file: FileFacts, commit: string): Record<string, string>;
/**
 * Answers `HEAD`/`GET` of a file at a commit: 200 with the whole body, 206
 * with a slice, or 416; `openBody` is called only when bytes are sent.
 */
export declare function answerFile(exchange: {
    request: IncomingMessage;
    response: ServerResponse;
}, what: {
    file: FileFacts;
    commit: string;
    openBody: () => Promise<BodySource>;
    /** Told how many body bytes were sent. */
    onBodyBytes?: (count: number) => void;
    /** Break the transfer off when the client takes no bytes for this long. */
    sendTimeoutMs?: number;
    /** Where the body's buffer comes from; without them, a full-size one. */
    buffers?: BodyBuffers;
}): Promise<void>;
/**
 * The first value of a request header.
 */
export declare function headerText(value: string | string[] | undefined): string | undefined;
/**
 * Writes bytes `start`..`end` (inclusive) of a source to a response, one
 * bounded chunk at a time, waiting for the client to drain; a source that ends
 * early or fails destroys the response, so the client sees a broken transfer,
 * never a short or wrong complete one. With `head`, the status line waits for
 * the first bytes: a source that fails before them is answered `502`, never a
 * success some runtimes would send without its length (Bun).
 */
export declare function streamBody(response: ServerResponse, range: {
    source: BodySource;
    start: number;
    end: number;
    onBodyBytes?: (count: number) => void;
    /** Writes the status line and headers, called just before the first bytes. */
    head?: () => void;
    /** Break the transfer off when the client takes no bytes for this long. */
    sendTimeoutMs?: number;
    /** Where the body's buffer comes from; without them, a full-size one. */
    buffers?: BodyBuffers;
}): Promise<void>;
