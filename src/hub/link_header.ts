/**
 * The `Link` header's `rel="next"` target, for the Hub's paginated listings.
 *
 * @module
 */

/**
 * Answers the URL of the next page, or `undefined` on the last page.
 */
export function nextPageUrl(link: string | null, base: string | URL): URL | undefined {
  if (!link) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = part.match(/<([^>]*)>\s*(.*)$/);
    if (match && /(^|;)\s*rel\s*=\s*"?next"?\s*(;|$)/i.test(match[2])) {
      return new URL(match[1], base);
    }
  }
  return undefined;
}
