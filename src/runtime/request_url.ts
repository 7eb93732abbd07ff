/**
 * The URL a `fetch` input names, for the transports that stand in for `fetch`.
 *
 * @module
 */

/** The URL of `input`: a `Request`'s own, or the string or `URL` given. */
export function requestUrl(input: RequestInfo | URL): URL {
  return new URL(input instanceof Request ? input.url : String(input));
}
