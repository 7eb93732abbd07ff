/**
 * The one owner of a download's piece state: which byte ranges the file is
 * cut into and how far each is on disk. Every change goes through its
 * methods; everyone else holds read-only views of its pieces.
 *
 * @module
 */
import type { Segment } from "../store/partial_state.ts";
import { contiguousBytes, isComplete } from "./segment_plan.ts";

/** A read-only view of one piece: what the book says about a byte range, live. */
export type PieceView = Readonly<Segment>;

/**
 * The pieces of one file (sorted by start, tiling it) and the endgame copies
 * of their remainders. A piece's `next` only moves forward.
 */
export class PieceBook {
  #pieces: Segment[];
  /** Endgame copies (not part of the tiling) and the piece each copies. */
  #copies = new Map<Segment, Segment>();

  /** A book of copies of `segments`, which it does not change. */
  constructor(segments: readonly PieceView[]) {
    this.#pieces = segments.map((segment) => ({ ...segment }));
  }

  /** The pieces, in file order. */
  get pieces(): readonly PieceView[] {
    return this.#pieces;
  }

  /** The pieces as plain data, copied: what is saved. */
  snapshot(): Segment[] {
    return this.#pieces.map((piece) => ({ ...piece }));
  }

  /** The pieces still missing bytes, in file order. */
  missing(): PieceView[] {
    return this.#pieces.filter((piece) => piece.next <= piece.end);
  }

  /** Bytes on disk from the start of the file without a gap. */
  contiguous(): number {
    return contiguousBytes(this.#pieces);
  }

  /** Bytes on disk over all pieces. */
  completed(): number {
    return this.#pieces.reduce((sum, piece) => sum + (piece.next - piece.start), 0);
  }

  /** Whether every piece is on disk. */
  isComplete(): boolean {
    return isComplete(this.#pieces);
  }

  /** Records that `piece`'s bytes up to `to` (exclusive) are on disk; it never moves back. */
  advance(piece: PieceView, to: number): void {
    const own = this.#own(piece);
    own.next = Math.max(own.next, Math.min(to, own.end + 1));
  }

  /**
   * Cuts `piece` before byte `at` and answers the new piece holding the rest
   * (nothing of it on disk), placed after it.
   */
  split(piece: PieceView, at: number): PieceView {
    const own = this.#own(piece);
    if (at <= own.next || at > own.end) {
      throw new RangeError(`cannot split ${own.next}-${own.end} at ${at}`);
    }
    const tail = { start: at, end: own.end, next: at };
    own.end = at - 1;
    this.#pieces.splice(this.#pieces.indexOf(own) + 1, 0, tail);
    return tail;
  }

  /** A second range over what `piece` is missing, for an endgame copy of its request. */
  copyOf(piece: PieceView): PieceView {
    const own = this.#own(piece);
    const copy = { start: own.next, end: own.end, next: own.next };
    this.#copies.set(copy, own);
    return copy;
  }

  /**
   * Forgets the copy `copy`; when it reached its end, the piece it copies is
   * on disk too (its bytes before the copy's were already).
   */
  settleCopy(copy: PieceView): void {
    const original = this.#copies.get(copy as Segment);
    if (!original) return;
    this.#copies.delete(copy as Segment);
    if (copy.next > copy.end) original.next = Math.max(original.next, original.end + 1);
  }

  /** The book's own record behind a view it handed out. */
  #own(piece: PieceView): Segment {
    const own = piece as Segment;
    if (!this.#copies.has(own) && !this.#pieces.includes(own)) {
      throw new RangeError(`the piece ${piece.start}-${piece.end} is not in this book`);
    }
    return own;
  }
}
