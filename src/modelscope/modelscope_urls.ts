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
 *
 * @example
 * ```ts
 * import { MODELSCOPE_ENDPOINT } from "./modelscope_urls.ts";
 * MODELSCOPE_ENDPOINT; // "https://www.modelscope.cn"
 * ```
 */
export const MODELSCOPE_ENDPOINT = "https://www.modelscope.cn";

/**
 * A model's API URL: `{endpoint}/api/v1/models/{owner}/{name}[/{segment}…][?{search}]`.
 *
 * @example
 * ```ts
 * import { modelScopeApiUrl } from "./modelscope_urls.ts";
 * modelScopeApiUrl("https://www.modelscope.cn", { owner: "o", name: "n", id: "o/n" }, {
 *   segments: ["revisions"],
 * }).href; // "https://www.modelscope.cn/api/v1/models/o/n/revisions"
 * ```
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
 *
 * @example
 * ```ts
 * import { modelScopeFileUrl } from "./modelscope_urls.ts";
 * modelScopeFileUrl("https://www.modelscope.cn", {
 *   repo: { owner: "o", name: "n", id: "o/n" },
 *   revision: "master",
 *   path: "sub dir/m.rkllm",
 * }).search; // "?Revision=master&FilePath=sub+dir%2Fm.rkllm"
 * ```
 */
export function modelScopeFileUrl(endpoint: string, file: RepoFileAt): URL {
  return modelScopeApiUrl(endpoint, file.repo, {
    segments: ["repo"],
    search: new URLSearchParams({ Revision: file.revision, FilePath: file.path }),
  });
}
