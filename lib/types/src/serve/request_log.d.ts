/**
 * One record per request `serve` answered, for its request log.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
/** One request `serve` answered (or whose answer was cut). */
export interface ServedRequest {
    /** `GET`, `HEAD`, `POST`. */
    method: string;
    /** The path and query asked for, as sent (non-printable characters as `?`). */
    path: string;
    /** The status answered. */
    status: number;
    /** Body bytes sent. */
    bytes: number;
    /** Milliseconds from the request to the end of its answer. */
    ms: number;
    /** The client's address. */
    client: string;
    /** The answer ended before all of it was sent. */
    cut: boolean;
}
/**
 * Calls `onServed` once when the answer to a request has ended or was cut; `sent`
 * counts the body bytes of a streamed file (other answers count their `Content-Length`).
 */
export declare function watchRequest(exchange: {
    request: IncomingMessage;
    response: ServerResponse;
    sent: {
        bytes: number;
    };
}, onServed: (served: ServedRequest) => void): void;
