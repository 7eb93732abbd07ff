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
    /** Parallel connections (default 8). */
    connections: number;
    /** Files smaller than this are fetched in one stream (default 64 MiB). */
    parallelThreshold: number;
}
/**
 * Plans the segments of a `size`-byte file: one for small files, otherwise
 * pieces of 4 to 32 MiB (about four per connection) that workers take in
 * order, so the file fills mostly from the front and its hash can follow.
 */
export declare function planSegments(size: number, options: SegmentPlanOptions): Segment[];
/**
 * How many bytes from the start of the file are on disk without a gap: the
 * `next` of the first incomplete segment (segments tile the file).
 */
export declare function contiguousBytes(segments: Segment[]): number;
/**
 * Splits `segment` at byte `at`: it ends before `at`, and the answered new
 * segment covers the rest (nothing of it downloaded). The caller inserts the
 * new segment after `segment` in the list.
 */
export declare function splitSegment(segment: Segment, at: number): Segment;
/**
 * Whether every segment is complete.
 */
export declare function isComplete(segments: Segment[]): boolean;
