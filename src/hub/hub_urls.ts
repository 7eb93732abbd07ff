/**
 * The one place that spells the Hub's URLs: the model API
 * (`{endpoint}/api/models/{owner}/{name}/…`), the search API
 * (`{endpoint}/api/models?…`) and file downloads
 * (`{endpoint}/{owner}/{name}/resolve/{revision}/{path}`). Every part is encoded.
 *
 * @module
 */
import { encodeRepoPath, type RepoId } from "./repo_id.ts";

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
export function modelApiUrl(
  endpoint: string,
  repo: RepoId,
  options: ModelApiUrlOptions = {},
): URL {
  const parts = [repo.owner, repo.name, ...(options.segments ?? [])].map(encodeURIComponent);
  const url = new URL(`${endpoint}/api/models/${parts.join("/")}`);
  if (options.search) url.search = options.search.toString();
  return url;
}

/**
 * The search API's URL: `{endpoint}/api/models?{search}`.
 */
export function modelSearchUrl(endpoint: string, search: URLSearchParams): URL {
  return new URL(`${endpoint}/api/models?${search}`);
}

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
export function resolveUrl(endpoint: string, file: RepoFileAt): URL {
  const { repo, revision, path } = file;
  return new URL(
    `${endpoint}/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/resolve/${
      encodeURIComponent(revision)
    }/${encodeRepoPath(path)}`,
  );
}
