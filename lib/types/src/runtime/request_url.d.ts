/**
 * The URL a `fetch` input names, for the transports that stand in for `fetch`.
 *
 * @module
 */
/** The URL of `input`: a `Request`'s own, or the string or `URL` given. */
export declare function requestUrl(input: RequestInfo | URL): URL;
