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
export type PieceAssignment =
  | { kind: "fetch"; request: PieceRequest; split: boolean }
  | { kind: "wait" }
  | { kind: "done" };

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
export const MIN_STOLEN_PIECE = 1024 * 1024;
/** A request younger than this has no rate yet. */
const RATE_AFTER_MS = 200;
/** What starting another request costs, in ms, when weighing an endgame copy. */
const REQUEST_COST_MS = 100;
/**
 * The part of its fair share a split leaves the running request: a little
 * less, so it finishes before the tail it gave away, and the end of the file
 * completes in file order, the hash following it instead of reading back.
 */
const KEPT_SHARE = 0.75;
/** Bytes a split leaves the running request at least (what it may have buffered). */
const MIN_KEPT = 256 * 1024;

/**
 * Hands out the missing bytes of a {@linkcode PieceBook} to free connections.
 * A split is made in the book: the caller saves the state before it starts
 * the new request.
 */
export class PieceScheduler {
  #book: PieceBook;
  #queue: PieceView[];
  #active = new Set<PieceRequest>();
  #recentRates: number[] = [];
  #minPiece: number;
  #now: () => number;

  /** Schedules the missing bytes of `book`'s pieces. */
  constructor(book: PieceBook, options: PieceSchedulerOptions = {}) {
    this.#book = book;
    this.#queue = book.missing();
    this.#minPiece = options.minPiece ?? MIN_STOLEN_PIECE;
    this.#now = options.now ?? Date.now;
  }

  /** Requests in flight. */
  get active(): ReadonlySet<PieceRequest> {
    return this.#active;
  }

  /** What a free connection should do now. */
  take(): PieceAssignment {
    const queued = this.#queue.shift();
    if (queued) return { kind: "fetch", request: this.#start(queued, queued), split: false };
    if (this.#active.size === 0) return { kind: "done" };
    const victim = this.#latestToFinish();
    if (!victim) return { kind: "wait" };
    return this.#split(victim) ?? this.#copy(victim) ?? { kind: "wait" };
  }

  /** Records that a request's attempt starts now. */
  attempt(request: PieceRequest): void {
    request.bytes = 0;
    request.since = this.#now();
  }

  /** Records that `request` ended; its twin is cut short when it finished the bytes first. */
  finish(request: PieceRequest): void {
    this.#active.delete(request);
    if (request.bytes > 0) {
      // A finished request's rate counts however short it was.
      const rate = request.bytes / Math.max(1, this.#now() - request.since);
      this.#recentRates = [...this.#recentRates, rate].slice(-8);
    }
    const complete = request.segment.next > request.segment.end;
    if (request.segment !== request.original) this.#book.settleCopy(request.segment);
    const twin = request.twin;
    if (!twin) return;
    if (complete) twin.cut.abort(new DOMException("the other copy finished first", "AbortError"));
    // A failed copy leaves its twin to go on alone (and to be copied again if it lags).
    else twin.twin = undefined;
  }

  #start(segment: PieceView, original: PieceView): PieceRequest {
    const request: PieceRequest = {
      segment,
      original,
      cut: new AbortController(),
      bytes: 0,
      since: this.#now(),
    };
    this.#active.add(request);
    return request;
  }

  /** The running request that would finish last at its rate, if any is still missing bytes. */
  #latestToFinish(): PieceRequest | undefined {
    let latest: PieceRequest | undefined;
    let latestAt = -1;
    for (const request of this.#active) {
      if (request.twin || request.segment.next > request.segment.end) continue;
      const at = this.#remainingOf(request) / (this.#rateOf(request) ?? this.#typicalRate());
      if (at > latestAt) [latest, latestAt] = [request, at];
    }
    return latest;
  }

  /** Splits `victim`'s remainder about in proportion to its rate and a fresh request's. */
  #split(victim: PieceRequest): PieceAssignment | undefined {
    const remaining = this.#remainingOf(victim);
    if (remaining < 2 * this.#minPiece) return undefined;
    const fresh = this.#typicalRate();
    const own = this.#rateOf(victim) ?? fresh;
    // A request about to finish is left alone: another request would cost more than it saves.
    if (remaining / own < 2 * REQUEST_COST_MS) return undefined;
    const kept = Math.round(KEPT_SHARE * remaining * own / (own + fresh));
    const keep = Math.min(Math.max(kept, MIN_KEPT), remaining - this.#minPiece);
    const tail = this.#book.split(victim.segment, victim.segment.next + keep);
    return { kind: "fetch", request: this.#start(tail, tail), split: true };
  }

  /** A second copy of `victim`'s remainder, when a fresh request would finish it well before. */
  #copy(victim: PieceRequest): PieceAssignment | undefined {
    const remaining = this.#remainingOf(victim);
    const own = this.#rateOf(victim);
    if (own === undefined) return undefined;
    const fresh = this.#typicalRate();
    const finishesAt = remaining / own;
    if (finishesAt <= 2 * (remaining / fresh) + REQUEST_COST_MS) return undefined;
    const copy = this.#start(this.#book.copyOf(victim.segment), victim.segment);
    copy.twin = victim;
    victim.twin = copy;
    return { kind: "fetch", request: copy, split: false };
  }

  #remainingOf(request: PieceRequest): number {
    return request.segment.end + 1 - request.segment.next;
  }

  /** Bytes per ms of a request's current attempt; `undefined` while it is too young to tell. */
  #rateOf(request: PieceRequest): number | undefined {
    const elapsed = this.#now() - request.since;
    if (elapsed < RATE_AFTER_MS) return undefined;
    return Math.max(request.bytes, 1) / elapsed;
  }

  /** What a fresh request can expect (bytes per ms): the median of the known rates. */
  #typicalRate(): number {
    const rates = [...this.#active].map((request) => this.#rateOf(request))
      .filter((rate): rate is number => rate !== undefined)
      .concat(this.#recentRates)
      .sort((a, b) => a - b);
    return rates.length === 0 ? 1 : rates[Math.floor(rates.length / 2)];
  }
}
