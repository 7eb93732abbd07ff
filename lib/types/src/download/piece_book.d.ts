/**
 * The one owner of a download's piece state: which byte ranges the file is
 * cut into and how far each is on disk. Every change goes through its
 * methods; everyone else holds read-only views of its pieces.
 *
 * @module
 */
import type { Segment } from "../store/partial_state.ts";
/** A read-only view of one piece: what the book says about a byte range, live. */
export type PieceView = Readonly<Segment>;
/**
 * The pieces of one file (sorted by start, tiling it) and the endgame copies
 * of their remainders. A piece's `next` only moves forward.
 */
export declare class PieceBook {
    #private;
    /** A book of copies of `segments`, which it does not change. */
    constructor(segments: readonly PieceView[]);
    /** The pieces, in file order. */
    get pieces(): readonly PieceView[];
    /** The pieces as plain data, copied: what is saved. */
    snapshot(): Segment[];
    /** The pieces still missing bytes, in file order. */
    missing(): PieceView[];
    /** Bytes on disk from the start of the file without a gap. */
    contiguous(): number;
    /** Bytes on disk over all pieces. */
    completed(): number;
    /** Whether every piece is on disk. */
    isComplete(): boolean;
    /** Records that `piece`'s bytes up to `to` (exclusive) are on disk; it never moves back. */
    advance(piece: PieceView, to: number): void;
    /**
     * Cuts `piece` before byte `at` and answers the new piece holding the rest
     * (nothing of it on disk), placed after it.
     */
    split(piece: PieceView, at: number): PieceView;
    /** A second range over what `piece` is missing, for an endgame copy of its request. */
    copyOf(piece: PieceView): PieceView;
    /**
     * Forgets the copy `copy`; when it reached its end, the piece it copies is
     * on disk too (its bytes before the copy's were already).
     */
    settleCopy(copy: PieceView): void;
}
