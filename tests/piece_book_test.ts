/**
 * The piece book's contract: it alone changes the piece state; it copies what
 * it is given and what it saves, a piece's progress never moves back nor past
 * its end, a split keeps the pieces a tiling, and it refuses a piece it did
 * not hand out.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { PieceBook } from "../src/download/piece_book.ts";

describe("PieceBook", () => {
  it("copies the segments it starts from and the snapshot it saves", () => {
    const segments = [{ start: 0, end: 99, next: 0 }, { start: 100, end: 199, next: 150 }];
    const book = new PieceBook(segments);
    book.advance(book.pieces[0], 40);
    assert.deepEqual(segments[0], { start: 0, end: 99, next: 0 }, "the given segments stay");
    const saved = book.snapshot();
    book.advance(book.pieces[0], 60);
    assert.equal(saved[0].next, 40, "a snapshot does not follow later progress");
    assert.equal(book.completed(), 60 + 50);
    assert.equal(book.contiguous(), 60);
  });

  it("never moves a piece's progress back or past its end", () => {
    const book = new PieceBook([{ start: 0, end: 99, next: 0 }]);
    const [piece] = book.pieces;
    book.advance(piece, 70);
    book.advance(piece, 30);
    assert.equal(piece.next, 70);
    book.advance(piece, 500);
    assert.equal(piece.next, 100);
    assert.ok(book.isComplete());
  });

  it("splits a piece into a tiling, the tail missing all its bytes", () => {
    const book = new PieceBook([{ start: 0, end: 99, next: 10 }, {
      start: 100,
      end: 199,
      next: 100,
    }]);
    const tail = book.split(book.pieces[0], 60);
    assert.deepEqual(book.snapshot(), [
      { start: 0, end: 59, next: 10 },
      { start: 60, end: 99, next: 60 },
      { start: 100, end: 199, next: 100 },
    ]);
    assert.equal(book.pieces[1], tail);
    assert.throws(() => book.split(book.pieces[0], 10), RangeError, "not at bytes on disk");
  });

  it("counts a finished copy's bytes for the piece it copies, and a failed one's not", () => {
    const book = new PieceBook([{ start: 0, end: 99, next: 30 }]);
    const [piece] = book.pieces;
    const failed = book.copyOf(piece);
    book.advance(failed, 90);
    book.settleCopy(failed);
    assert.equal(piece.next, 30, "a copy that stopped short leaves the piece as it was");
    const copy = book.copyOf(piece);
    assert.deepEqual({ ...copy }, { start: 30, end: 99, next: 30 });
    book.advance(copy, 100);
    assert.equal(piece.next, 30, "not before the copy is settled");
    book.settleCopy(copy);
    assert.equal(piece.next, 100);
    assert.throws(() => book.advance(copy, 100), RangeError, "a settled copy is forgotten");
  });

  it("refuses a piece it did not hand out", () => {
    const book = new PieceBook([{ start: 0, end: 99, next: 0 }]);
    assert.throws(() => book.advance({ start: 0, end: 99, next: 0 }, 50), RangeError);
    assert.equal(book.pieces[0].next, 0);
  });
});
