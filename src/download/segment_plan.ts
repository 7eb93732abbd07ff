/**
 * Splitting a file into byte ranges that parallel connections download.
 *
 * @module
 */

import type { Segment } from "../store/partial_state.ts";

/** One byte range of a file and how much of it is on disk (saved as part of the partial state). */
export type { Segment };

/** How to split a file. */
export interface SegmentPlanOptions {
  /** Parallel connections. */
  connections: number;
  /** Files smaller than this are fetched in one stream. */
  parallelThreshold: number;
}

/** The smallest piece planned up front worth its own request. */
const MIN_SEGMENT = 4 * 1024 * 1024;
/** The largest piece planned up front: small enough that the file fills from the front. */
const MAX_SEGMENT = 32 * 1024 * 1024;
/** Pieces planned per connection, so the file fills in order rather than in distant regions. */
const PIECES_PER_CONNECTION = 4;

/**
 * Plans the segments of a `size`-byte file: one for small files, otherwise
 * pieces of 4 to 32 MiB (about four per connection) that workers take in
 * order, so the file fills mostly from the front and its hash can follow.
 * The first piece of each connection is shorter the earlier it starts (a
 * ramp), so connections finish at staggered times and each takes the next
 * piece in turn: the piece nearest the front finishes first, and the
 * contiguous prefix advances one piece at a time instead of in waves.
 */
export function planSegments(size: number, options: SegmentPlanOptions): Segment[] {
  if (size === 0) return [{ start: 0, end: -1, next: 0 }];
  const connections = Math.max(1, Math.floor(options.connections));
  if (connections === 1 || size < options.parallelThreshold) {
    return [{ start: 0, end: size - 1, next: 0 }];
  }
  const wanted = Math.min(connections * PIECES_PER_CONNECTION, Math.floor(size / MIN_SEGMENT));
  const least = Math.max(1, wanted, Math.ceil(size / MAX_SEGMENT));
  // With no more pieces than connections, every piece starts at once: nothing to stagger.
  const ramp = least > connections ? connections : 1;
  const count = Math.max(least, Math.ceil(size / MAX_SEGMENT + ramp / 2));
  // The ramp grows from `first` to `full` in even steps; its pieces add up to ramp × (first + full) / 2.
  const first = Math.min(MIN_SEGMENT, size / count);
  const full = Math.ceil((size - ramp * first / 2) / (count - ramp / 2));
  const segments: Segment[] = [];
  for (let start = 0, index = 0; start < size; index++) {
    const length = index < ramp - 1 ? Math.ceil(first + (full - first) * index / (ramp - 1)) : full;
    segments.push({ start, end: Math.min(size, start + length) - 1, next: start });
    start += length;
  }
  return segments;
}

/**
 * How many bytes from the start of the file are on disk without a gap: the
 * `next` of the first incomplete segment (segments tile the file).
 */
export function contiguousBytes(segments: readonly Readonly<Segment>[]): number {
  let front = 0;
  for (const segment of segments) {
    if (segment.start > front) return front;
    front = Math.max(front, segment.next);
    if (segment.next <= segment.end) return front;
  }
  return front;
}

/** Whether every segment is complete. */
export function isComplete(segments: readonly Readonly<Segment>[]): boolean {
  return segments.every((segment) => segment.next > segment.end);
}
