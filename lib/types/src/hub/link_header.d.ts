/**
 * The `Link` header's `rel="next"` target, for the Hub's paginated listings.
 *
 * @module
 */
/**
 * Answers the URL of the next page, or `undefined` on the last page.
 */
export declare function nextPageUrl(link: string | null, base: string | URL): URL | undefined;
