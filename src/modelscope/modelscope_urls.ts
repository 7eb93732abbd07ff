/**
 * The one place that spells ModelScope's URLs: the model API
 * (`{endpoint}/api/v1/models/{owner}/{name}/…`) and file downloads
 * (`…/repo?Revision={rev}&FilePath={path}`, form-encoded as the SDK sends them).
 *
 * @module
 */
import type { RepoFileAt } from "../hub/hub_urls.ts";
import type { RepoId } from "../hub/repo_id.ts";

/**
 * The default ModelScope endpoint.
 */
export const MODELSCOPE_ENDPOINT = "https://www.modelscope.cn";

/**
 * A model's API URL: `{endpoint}/api/v1/models/{owner}/{name}[/{segment}…][?{search}]`.
 */
export function modelScopeApiUrl(
  endpoint: string,
  repo: RepoId,
  options: { segments?: string[]; search?: URLSearchParams } = {},
): URL {
  const parts = [repo.owner, repo.name, ...(options.segments ?? [])].map(encodeURIComponent);
  const url = new URL(`${endpoint}/api/v1/models/${parts.join("/")}`);
  if (options.search) url.search = options.search.toString();
  return url;
}

/**
 * A file's download URL; it answers the bytes or redirects to the storage host.
 */
export function modelScopeFileUrl(endpoint: string, file: RepoFileAt): URL {
  return modelScopeApiUrl(endpoint, file.repo, {
    segments: ["repo"],
    search: new URLSearchParams({ Revision: file.revision, FilePath: file.path }),
  });
}
