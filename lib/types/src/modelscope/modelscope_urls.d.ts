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
export declare const MODELSCOPE_ENDPOINT = "https://www.modelscope.cn";
/**
 * A model's API URL: `{endpoint}/api/v1/models/{owner}/{name}[/{segment}…][?{search}]`.
 */
export declare function modelScopeApiUrl(endpoint: string, repo: RepoId, options?: {
    segments?: string[];
    search?: URLSearchParams;
}): URL;
/**
 * A file's download URL; it answers the bytes or redirects to the storage host.
 */
export declare function modelScopeFileUrl(endpoint: string, file: RepoFileAt): URL;
