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
/**
 * Plans the segments of a `size`-byte file: one for small files, otherwise
 * pieces of 4 to 32 MiB (about four per connection) that workers take in
 * order, so the file fills mostly from the front and its hash can follow.
 * The first piece of each connection is shorter the earlier it starts (a
 * ramp), so connections finish at staggered times and each takes the next
 * piece in turn: the piece nearest the front finishes first, and the
 * contiguous prefix advances one piece at a time instead of in waves.
 */
export declare function planSegments(size: number, options: SegmentPlanOptions): Segment[];
/**
 * How many bytes from the start of the file are on disk without a gap: the
 * `next` of the first incomplete segment (segments tile the file).
 */
export declare function contiguousBytes(segments: readonly Readonly<Segment>[]): number;
/** Whether every segment is complete. */
export declare function isComplete(segments: readonly Readonly<Segment>[]): boolean;
