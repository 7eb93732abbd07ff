/**
 * Listing a repository's branches and tags (`GET /api/models/{repo}/refs`), as
 * `list_repo_refs` of huggingface_hub and `listRefs` of `@huggingface/hub` read them.
 *
 * @module
 */
import type { HubConnection } from "../http/hub_connection.ts";
import type { RepoId } from "./repo_id.ts";
/** One branch or tag. */
export interface GitRef {
    /** Its name, e.g. `w8a8-toolkitv1.1.4`. */
    name: string;
    /** The commit it points at (40 hex digits). */
    targetCommit: string;
}
/** A repository's branches and tags; the pull requests and conversion refs are left out. */
export interface RepoRefs {
    /** The branches, the default one among them. */
    branches: GitRef[];
    /** The tags. */
    tags: GitRef[];
}
/**
 * Reads a repository's branches and tags.
 */
export declare function listRepoRefs(connection: HubConnection, repo: RepoId): Promise<RepoRefs>;
