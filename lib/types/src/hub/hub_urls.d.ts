/**
 * The one place that spells the Hub's URLs: the model API
 * (`{endpoint}/api/models/{owner}/{name}/…`), the search API
 * (`{endpoint}/api/models?…`) and file downloads
 * (`{endpoint}/{owner}/{name}/resolve/{revision}/{path}`). Every part is encoded.
 *
 * @module
 */
import { type RepoId } from "./repo_id.ts";
/** What follows a model's API URL. */
export interface ModelApiUrlOptions {
    /** Path segments after `/api/models/{owner}/{name}`, each encoded (`["tree", "main"]`). */
    segments?: string[];
    /** The query string. */
    search?: URLSearchParams;
}
/**
 * A model's API URL: `{endpoint}/api/models/{owner}/{name}[/{segment}…][?{search}]`.
 */
export declare function modelApiUrl(endpoint: string, repo: RepoId, options?: ModelApiUrlOptions): URL;
/**
 * The search API's URL: `{endpoint}/api/models?{search}`.
 */
export declare function modelSearchUrl(endpoint: string, search: URLSearchParams): URL;
/** A file of a repository at a revision. */
export interface RepoFileAt {
    /** The repository. */
    repo: RepoId;
    /** A branch, tag or commit. */
    revision: string;
    /** The file's path inside the repository (`/`-separated). */
    path: string;
}
/**
 * A file's download URL: `{endpoint}/{owner}/{name}/resolve/{revision}/{path}`.
 */
export declare function resolveUrl(endpoint: string, file: RepoFileAt): URL;
