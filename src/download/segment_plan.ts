/**
 * Splitting a file into byte ranges that parallel connections download.
 *
 * @module
 */

/** One byte range of a file and how much of it is on disk. */
export interface Segment {
  /** First byte (inclusive). */
  start: number;
  /** Last byte (inclusive). */
  end: number;
  /** The next byte to fetch; `end + 1` when the segment is complete. */
  next: number;
}

/** How to split a file. */
export interface SegmentPlanOptions {
  /** Parallel connections (default 8). */
  connections: number;
  /** Files smaller than this are fetched in one stream (default 64 MiB). */
  parallelThreshold: number;
}

/** The smallest segment worth its own request. */
const MIN_SEGMENT = 4 * 1024 * 1024;

/**
 * Plans the segments of a `size`-byte file: one for small files, otherwise
 * about two per connection, so a fast connection can take over a slow one's share.
 *
 * @example
 * ```ts
 * import { planSegments } from "./segment_plan.ts";
 * planSegments(100, { connections: 8, parallelThreshold: 1000 }); // [{ start: 0, end: 99, next: 0 }]
 * ```
 */
export function planSegments(size: number, options: SegmentPlanOptions): Segment[] {
  if (size === 0) return [{ start: 0, end: -1, next: 0 }];
  const connections = Math.max(1, Math.floor(options.connections));
  if (connections === 1 || size < options.parallelThreshold) {
    return [{ start: 0, end: size - 1, next: 0 }];
  }
  const count = Math.max(1, Math.min(connections * 2, Math.floor(size / MIN_SEGMENT)));
  const length = Math.ceil(size / count);
  const segments: Segment[] = [];
  for (let start = 0; start < size; start += length) {
    segments.push({ start, end: Math.min(size, start + length) - 1, next: start });
  }
  return segments;
}

/**
 * Bytes already downloaded across segments.
 *
 * @example
 * ```ts
 * import { completedBytes } from "./segment_plan.ts";
 * completedBytes([{ start: 0, end: 9, next: 5 }, { start: 10, end: 19, next: 20 }]); // 15
 * ```
 */
export function completedBytes(segments: Segment[]): number {
  return segments.reduce((sum, segment) => sum + (segment.next - segment.start), 0);
}

/**
 * Whether every segment is complete.
 *
 * @example
 * ```ts
 * import { isComplete } from "./segment_plan.ts";
 * isComplete([{ start: 0, end: 9, next: 10 }]); // true
 * ```
 */
export function isComplete(segments: Segment[]): boolean {
  return segments.every((segment) => segment.next > segment.end);
}
