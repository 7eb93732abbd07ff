/**
 * Listing a repository's branches and tags (`GET /api/models/{repo}/refs`), as
 * `list_repo_refs` of huggingface_hub and `listRefs` of `@huggingface/hub` read them.
 *
 * @module
 */
import type { HubConnection } from "../http/hub_connection.ts";
import { getJson } from "../http/hub_request.ts";
import { requestContext } from "../http/request_context.ts";
import { modelApiUrl } from "./hub_urls.ts";
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

/** The refs of one list of the answer that are well formed; others are skipped. */
function refsOf(list: unknown): GitRef[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    const { name, targetCommit } = (item ?? {}) as Record<string, unknown>;
    if (typeof name !== "string" || name === "" || typeof targetCommit !== "string") return [];
    if (!/^[0-9a-f]{40}$/i.test(targetCommit)) return [];
    return [{ name, targetCommit: targetCommit.toLowerCase() }];
  });
}

/**
 * Reads a repository's branches and tags.
 */
export async function listRepoRefs(connection: HubConnection, repo: RepoId): Promise<RepoRefs> {
  const { body } = await getJson(connection, {
    url: modelApiUrl(connection.endpoint, repo, { segments: ["refs"] }),
    context: requestContext(connection, { repo: repo.id, action: "list the branches" }),
  });
  const record = (body ?? {}) as Record<string, unknown>;
  return { branches: refsOf(record.branches), tags: refsOf(record.tags) };
}
