/**
 * What keeps `serve` answering when clients misbehave: a cap on open
 * connections (beyond it a short `503` and the connection closes), a deadline
 * for a request's headers, and an idle timeout for a client that sends nothing
 * between requests (one that stops reading an answer is the answer's send
 * timeout to end, in `file_answer.ts`). It works on the `node:http` server every
 * runtime serves with, through the `node:net` sockets it hands out.
 *
 * @module
 */
import type { Server } from "node:http";
import type { Socket } from "node:net";
import type { ListenerWatch } from "./listener_watch.ts";
/** The limits of {@linkcode guardConnections}. */
export interface ConnectionLimits {
    /** Connections open at once; the next one is answered `503` and closed. */
    maxConnections: number;
    /** Milliseconds a client has to send a request's headers, from connecting or from the last answer. */
    headerTimeoutMs: number;
    /**
     * Milliseconds without a byte from the client, outside a request being answered
     * (the answer's own send timeout covers that time), before the connection is closed.
     */
    idleTimeoutMs: number;
    /** Told of each connection turned away, and shown each new one first (its own probes). */
    listener?: ListenerWatch;
}
/** What {@linkcode guardConnections} counts. */
export interface GuardCounts {
    /** Connections open now. */
    open: number;
    /** Connections turned away with a `503`. */
    refused: number;
    /** Connections closed for a deadline (headers or idle). */
    timedOut: number;
}
/** A guard at work. */
export interface ConnectionGuard {
    /** What it counted so far (live). */
    counts: GuardCounts;
    /** The connections open. */
    sockets: Set<Socket>;
    /** Whether a request's connection was let in (one turned away is not answered). */
    admits(socket: Socket): boolean;
}
/**
 * The connection cap a limit on open files allows (each connection may hold a
 * socket, a store file and an upstream download), read from Linux's
 * `/proc/self/limits`; `wanted` when the text says nothing.
 */
export declare function connectionCapOf(limitsText: string | undefined, wanted: number): number;
/**
 * Guards a `node:http` server's connections; answers the live counts and the sockets open.
 */
export declare function guardConnections(server: Server, limits: ConnectionLimits): ConnectionGuard;
