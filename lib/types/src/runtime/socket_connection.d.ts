/** One connection to an origin. */
export declare class SocketConnection {
    #private;
    /** `protocol//host:port`. */
    readonly origin: string;
    /** How many answers it has carried. */
    answers: number;
    /** Connects to the origin of `url`. */
    constructor(url: URL);
    /** Whether it can carry another request. */
    get usable(): boolean;
    /** Sends `text` (a request head). */
    send(text: string): void;
    /**
     * The next bytes read, `undefined` at the end; the view is valid until the next call.
     */
    nextBytes(): Promise<Uint8Array | undefined>;
    /** Closes it for good; a pending read fails with `reason`. */
    destroy(reason?: unknown): void;
    /** Waits idle for reuse: anything the server sends or closes meanwhile ends it. */
    idle(onGone: () => void): void;
}
/** `protocol//host:port` of a URL, the key connections are pooled by. */
export declare function originOf(url: URL): string;
/** Idle connections by origin, handed out for reuse most recent first. */
export declare class SocketPool {
    #private;
    /** An idle connection to the origin of `url`, if one is usable. */
    take(url: URL): SocketConnection | undefined;
    /** Keeps `connection` for reuse, or closes it when the origin has enough waiting. */
    keep(connection: SocketConnection): void;
    /** Closes every idle connection. */
    closeIdle(): void;
}
