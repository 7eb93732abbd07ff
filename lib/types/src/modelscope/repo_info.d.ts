/**
 * Reading a ModelScope model's info (`GET /api/v1/models/{owner}/{name}`) and,
 * when a revision is asked for, checking it is one of the model's branches or tags
 * (as the SDK does on the client).
 *
 * @module
 */
import type { HubConnection } from "../http/hub_connection.ts";
import type { RepoId } from "../hub/repo_id.ts";
import type { RepoInfo, RepoInfoOptions } from "../hub/repo_info.ts";
/**
 * ModelScope's default branch, which whole-model downloads use.
 */
export declare const MODELSCOPE_DEFAULT_REVISION = "master";
/**
 * Reads a model's info; its `sha` is the revision's name (ModelScope downloads by branch or tag).
 */
export declare function fetchModelScopeRepoInfo(connection: HubConnection, repo: RepoId, options?: RepoInfoOptions): Promise<RepoInfo>;
