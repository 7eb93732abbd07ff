/**
 * Refuses a file body sent with a `Content-Encoding` other than `identity`: cancels
 * it and throws a retryable `network` error (a proxy may answer the next attempt
 * plainly; after the last attempt the same error is the final one). Resolves when
 * the body is plain.
 */
export declare function refuseContentEncoding(response: Response, action: string): Promise<void>;
