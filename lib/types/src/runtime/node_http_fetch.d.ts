/**
 * Sends one GET or HEAD request with `node:http`/`node:https` and answers a
 * web `Response` whose body streams with backpressure. `redirect` is always
 * treated as `"manual"`; request bodies are not supported.
 */
export declare function nodeHttpFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
