/**
 * Listing a ModelScope model's branches and tags (`GET …/revisions`). ModelScope
 * downloads by a branch or tag name, so each ref's target is its own name.
 *
 * @module
 */
import type { HubConnection } from "../http/hub_connection.ts";
import { getJson } from "../http/hub_request.ts";
import { requestContext } from "../http/request_context.ts";
import type { GitRef, RepoRefs } from "../hub/list_refs.ts";
import type { RepoId } from "../hub/repo_id.ts";
import { envelopeData, errorForModelScope } from "./modelscope_errors.ts";
import { modelScopeApiUrl } from "./modelscope_urls.ts";

function refsOf(list: unknown): GitRef[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    const name = (item as { Revision?: unknown })?.Revision;
    return typeof name === "string" && name ? [{ name, targetCommit: name }] : [];
  });
}

/**
 * Lists a model's branches and tags.
 */
export async function listModelScopeRevisions(
  connection: HubConnection,
  repo: RepoId,
): Promise<RepoRefs> {
  const action = "list the revisions";
  const { body } = await getJson(connection, {
    url: modelScopeApiUrl(connection.endpoint, repo, { segments: ["revisions"] }),
    context: requestContext(connection, { repo: repo.id, action }),
    errorFor: errorForModelScope,
  });
  const map = (envelopeData(body, `${action} of ${repo.id}`).RevisionMap ?? {}) as Record<
    string,
    unknown
  >;
  return { branches: refsOf(map.Branches), tags: refsOf(map.Tags) };
}
