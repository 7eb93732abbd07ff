/**
 * The framing of an HTTP/1.1 response body (RFC 9112 §6): a `Content-Length`,
 * `chunked` transfer coding, or the bytes up to the connection's close; the
 * decoder hands out views of the bytes it is given, never copies.
 *
 * @module
 */
import type { ResponseHead } from "./http1_head.ts";
/** How a body is delimited. */
export type BodyFraming = {
    kind: "none";
} | {
    kind: "length";
    length: number;
} | {
    kind: "chunked";
} | {
    kind: "close";
};
/**
 * How the body of `head`, answering `method`, is delimited; throws on
 * conflicting `Content-Length` values.
 */
export declare function framingOf(head: ResponseHead, method: string): BodyFraming;
/** What one decoding step took from its input. */
export interface DecodeStep {
    /** Body bytes found (a view of the input), possibly empty. */
    body: Uint8Array;
    /** How many input bytes the step consumed. */
    used: number;
}
/**
 * Decodes a body step by step from the bytes of the connection, in the order
 * they arrive; {@linkcode done} once the framing says the body is complete.
 */
export declare class BodyDecoder {
    #private;
    /** A decoder for a body framed as `framing`. */
    constructor(framing: BodyFraming);
    /** Whether the body is complete. */
    get done(): boolean;
    /** Whether the answer has no body at all (HEAD, 204, 304), as opposed to an empty one. */
    get bodiless(): boolean;
    /** Whether the body ends only when the connection closes. */
    get endsAtClose(): boolean;
    /** Takes what it can from `input`: body bytes, or framing (chunk sizes, trailers). */
    step(input: Uint8Array): DecodeStep;
}
