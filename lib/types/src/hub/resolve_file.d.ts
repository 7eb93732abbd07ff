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
import { type RepoFileAt } from "./hub_urls.ts";
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
export declare function normalizeEtag(etag: string | null): string | undefined;
/**
 * Resolves a file at a revision with a `HEAD` request that follows redirects
 * within the Hub (renamed repositories, the resolve cache) and alias hops, and
 * stops at the redirect to the CDN (the one carrying `X-Repo-Commit` / `X-Linked-*`).
 */
export declare function resolveFile(connection: HubConnection, file: RepoFileAt): Promise<ResolvedFile>;
