import type { HubConnection } from "../http/hub_connection.ts";
import { type ListFilesOptions, type RepoFile } from "../hub/list_files.ts";
import { type RepoId } from "../hub/repo_id.ts";
/**
 * Lists every file of a model at a revision (a branch or tag), recursively.
 */
export declare function listModelScopeFiles(connection: HubConnection, repo: RepoId, options: ListFilesOptions): Promise<RepoFile[]>;
