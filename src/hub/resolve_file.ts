/**
 * Resolving a file: where its bytes are served from (the Hub itself for small
 * files, a signed CDN URL for LFS files) and the identity the Hub states for it.
 * Alias hops (`hf.co` to `huggingface.co`), renamed repositories and the Hub's
 * resolve cache are followed; the identity is read from the answer that carries
 * it, never from a redirect's own `Content-Length`.
 *
 * @module
 */
import type { HubConnection } from "../http/hub_connection.ts";
import { errorForResponse, unexpectedAnswer } from "../http/hub_errors.ts";
import { sendRequest } from "../http/hub_request.ts";
import { withRetry } from "../http/retry.ts";
import { type RepoFileAt, resolveUrl } from "./hub_urls.ts";
import { requestContext } from "../http/request_context.ts";

/** Where a file's bytes are and what the Hub says they are. */
export interface ResolvedFile {
  /** The URL that serves the bytes (follow redirects from it; send Range to it). */
  contentUrl: URL;
  /** The commit the file was resolved at (`X-Repo-Commit`). */
  commit?: string;
  /** Content size (`X-Linked-Size` or `Content-Length`). */
  size?: number;
  /** The content's identity: the SHA-256 for LFS files, the git blob SHA-1 otherwise, unquoted. */
  etag?: string;
}

/**
 * Normalises an entity tag: drops a weak `W/` prefix and the quotes.
 */
export function normalizeEtag(etag: string | null): string | undefined {
  if (!etag) return undefined;
  return etag.trim().replace(/^W\//i, "").replace(/^"(.*)"$/, "$1") || undefined;
}

function numberHeader(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** What the Hub states about a file on the 3xx to its CDN (LFS files): a redirect's `Content-Length` is its own short body. */
function redirectedFrom(headers: Headers, contentUrl: URL): ResolvedFile {
  return {
    contentUrl,
    commit: headers.get("x-repo-commit") ?? undefined,
    size: numberHeader(headers.get("x-linked-size")),
    etag: normalizeEtag(headers.get("x-linked-etag") ?? headers.get("etag")),
  };
}

/** What the Hub states about a file on the 200 that serves it (small files, mirrors). */
function servedFrom(headers: Headers, contentUrl: URL): ResolvedFile {
  return {
    ...redirectedFrom(headers, contentUrl),
    size: numberHeader(headers.get("x-linked-size")) ?? numberHeader(headers.get("content-length")),
  };
}

/**
 * Resolves a file at a revision with a `HEAD` request that follows redirects
 * within the Hub (renamed repositories, the resolve cache) and alias hops, and
 * stops at the redirect to the CDN (the one carrying `X-Repo-Commit` / `X-Linked-*`).
 */
export function resolveFile(connection: HubConnection, file: RepoFileAt): Promise<ResolvedFile> {
  const { repo, revision, path } = file;
  const url = resolveUrl(connection.endpoint, file);
  return withRetry(async () => {
    const { response, url: answeredBy } = await sendRequest(connection, url, {
      method: "HEAD",
      headers: { "Accept-Encoding": "identity" },
      stopAtFileRedirect: true,
    });
    await response.body?.cancel().catch(() => {});
    const headers = response.headers;
    const location = headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      return redirectedFrom(headers, new URL(location, answeredBy));
    }
    if (!response.ok) {
      throw await errorForResponse(
        response,
        requestContext(connection, {
          repo: repo.id,
          file: path,
          revision,
          action: "resolve the file",
          answeredBy,
        }),
      );
    }
    if (response.status !== 200) {
      throw unexpectedAnswer(
        `resolve ${path} in ${repo.id}: unexpected status ${response.status}`,
        { endpoint: connection.endpoint },
      );
    }
    return servedFrom(headers, answeredBy);
  }, {
    ...connection.retry,
    signal: connection.signal,
    onRetry: connection.onRetry,
    clock: connection.clock,
  });
}
