/**
 * Listing a ModelScope model's branches and tags (`GET …/revisions`). ModelScope
 * downloads by a branch or tag name, so each ref's target is its own name.
 *
 * @module
 */
import type { HubConnection } from "../http/hub_connection.ts";
import type { RepoRefs } from "../hub/list_refs.ts";
import type { RepoId } from "../hub/repo_id.ts";
/**
 * Lists a model's branches and tags.
 */
export declare function listModelScopeRevisions(connection: HubConnection, repo: RepoId): Promise<RepoRefs>;
