/**
 * Sends one GET or HEAD request and answers a web `Response` whose body is
 * read straight from the connection, one view of its buffer at a time (each
 * valid until the next read). A reused connection the server closed meanwhile
 * is replaced once, before any byte of the answer arrived.
 */
export declare function socketFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
/** Closes the idle kept-alive connections. */
export declare function closeIdleSockets(): void;
