/**
 * Checks that the listening socket still accepts after a burst of connections,
 * and listens again when it does not: once the process runs out of file
 * descriptors, Deno's `node:net` stops accepting for good, without an error
 * event, while Node and Bun resume by themselves. The check is one connection
 * of the server to itself, which must arrive as a `connection` event.
 *
 * @module
 */
import type { Server } from "node:http";
import { type Socket } from "node:net";
/**
 * The watch over one server's listener.
 */
export declare class ListenerWatch {
    #private;
    /** How many times it listened again. */
    relistened: number;
    /** Watches `server`, which listens on `host`; nothing happens until {@linkcode nudge}. */
    constructor(server: Server, host: string);
    /** Asks for a check soon (once, however often it is asked meanwhile). */
    nudge(): void;
    /**
     * Whether a connection the server got is a probe of this watch (it is then closed here).
     */
    claims(socket: Socket): boolean;
    /** Ends the watch. */
    stop(): void;
}
