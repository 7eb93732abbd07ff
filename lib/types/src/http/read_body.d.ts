/**
 * The default cap on a JSON answer: far above any real listing, far below what hurts a board.
 */
export declare const DEFAULT_MAX_JSON_BYTES: number;
/** How to read a body. */
export interface ReadBodyOptions {
    /** The most bytes kept. */
    maxBytes: number;
    /** Give up after this long without a chunk, in milliseconds. */
    idleTimeoutMs: number;
    /** What was being done, for messages ("read the repo info"). */
    action: string;
}
/** A body read up to its cap. */
export interface BodyPrefix {
    /** The bytes read (at most `maxBytes`). */
    bytes: Uint8Array;
    /** Whether the body went on past `maxBytes` (the rest was not read). */
    truncated: boolean;
}
/**
 * Reads at most `maxBytes` of a body, chunk by chunk, each within `idleTimeoutMs`;
 * stops (and cancels the body) as soon as the cap is passed.
 */
export declare function readBodyPrefix(response: Response, options: ReadBodyOptions): Promise<BodyPrefix>;
/**
 * Reads a whole body as text, failing with a `network` error naming the cap when
 * it is (or says it is) larger than `maxBytes`.
 */
export declare function readBoundedText(response: Response, endpoint: string, options: ReadBodyOptions): Promise<string>;
