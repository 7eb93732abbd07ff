/**
 * Which bytes a free connection fetches next: the next queued piece in file
 * order; when none is queued, the tail of the request that would finish last
 * at its current rate (work stealing); in the endgame, a second copy of a
 * straggler's remainder, the first copy to finish winning.
 *
 * @module
 */
import type { PieceBook, PieceView } from "./piece_book.ts";
/** One request in flight for the missing bytes of a segment. */
export interface PieceRequest {
    /** The bytes it fills: a piece of the book, or a copy of one's remainder. */
    segment: PieceView;
    /** The piece of the book it fills (itself, unless it is an endgame copy). */
    original: PieceView;
    /** Cuts the request short once its twin has finished the same bytes. */
    cut: AbortController;
    /** Bytes written since `since`, for its rate. */
    bytes: number;
    /** When its current attempt started (ms). */
    since: number;
    /** The other copy of an endgame pair. */
    twin?: PieceRequest;
}
/** What a free connection does next. */
export type PieceAssignment = {
    kind: "fetch";
    request: PieceRequest;
    split: boolean;
} | {
    kind: "wait";
} | {
    kind: "done";
};
/** Settings of a {@linkcode PieceScheduler}. */
export interface PieceSchedulerOptions {
    /** The smallest piece split off a request ({@linkcode MIN_STOLEN_PIECE} when absent). */
    minPiece?: number;
    /** The clock (ms); tests may pass their own. */
    now?: () => number;
}
/**
 * The smallest piece split off a running request.
 */
export declare const MIN_STOLEN_PIECE: number;
/**
 * Hands out the missing bytes of a {@linkcode PieceBook} to free connections.
 * A split is made in the book: the caller saves the state before it starts
 * the new request.
 */
export declare class PieceScheduler {
    #private;
    /** Schedules the missing bytes of `book`'s pieces. */
    constructor(book: PieceBook, options?: PieceSchedulerOptions);
    /** Requests in flight. */
    get active(): ReadonlySet<PieceRequest>;
    /** What a free connection should do now. */
    take(): PieceAssignment;
    /** Records that a request's attempt starts now. */
    attempt(request: PieceRequest): void;
    /** Records that `request` ended; its twin is cut short when it finished the bytes first. */
    finish(request: PieceRequest): void;
}
