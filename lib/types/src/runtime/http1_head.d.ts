/**
 * The head of an HTTP/1.1 response: where it ends in the bytes received, and
 * its status line and header fields, refused when malformed.
 *
 * @module
 */
/** The most bytes a response head may take (status line and header fields). */
export declare const MAX_HEAD_BYTES: number;
/** A parsed response head. */
export interface ResponseHead {
    /** `1` for HTTP/1.1, `0` for HTTP/1.0. */
    minorVersion: number;
    /** The status code. */
    status: number;
    /** The reason phrase. */
    statusText: string;
    /** The header fields, repeated ones kept. */
    headers: Headers;
}
/**
 * Where the head in `bytes` ends (the index after its empty line), or `-1`
 * while the empty line has not arrived; lines end in CRLF or a bare LF.
 */
export declare function headEndIn(bytes: Uint8Array): number;
/** Parses a complete head (up to and including its empty line); throws on anything malformed. */
export declare function parseHead(bytes: Uint8Array): ResponseHead;
