/**
 * Reading a ModelScope model's info (`GET /api/v1/models/{owner}/{name}`) and,
 * when a revision is asked for, checking it is one of the model's branches or tags
 * (as the SDK does on the client).
 *
 * @module
 */
import type { HubConnection } from "../http/hub_connection.ts";
import { getJson } from "../http/hub_request.ts";
import { requestContext } from "../http/request_context.ts";
import type { RepoId } from "../hub/repo_id.ts";
import type { RepoInfo, RepoInfoOptions } from "../hub/repo_info.ts";
import { envelopeData, errorForModelScope, revisionNotFound } from "./modelscope_errors.ts";
import { modelScopeApiUrl } from "./modelscope_urls.ts";
import { listModelScopeRevisions } from "./list_revisions.ts";

/**
 * ModelScope's default branch, which whole-model downloads use.
 */
export const MODELSCOPE_DEFAULT_REVISION = "master";

/**
 * Reads a model's info; its `sha` is the revision's name (ModelScope downloads by branch or tag).
 */
export async function fetchModelScopeRepoInfo(
  connection: HubConnection,
  repo: RepoId,
  options: RepoInfoOptions = {},
): Promise<RepoInfo> {
  const action = "read the model info";
  const { body } = await getJson(connection, {
    url: modelScopeApiUrl(connection.endpoint, repo),
    context: requestContext(connection, { repo: repo.id, action }),
    errorFor: errorForModelScope,
  });
  const data = envelopeData(body, `${action} of ${repo.id}`);
  const revision = options.revision ?? MODELSCOPE_DEFAULT_REVISION;
  if (options.revision !== undefined) await requireRevision(connection, repo, revision);
  const said = typeof data.Path === "string" && typeof data.Name === "string"
    ? `${data.Path}/${data.Name}`
    : undefined;
  return {
    id: said?.toLowerCase() === repo.id.toLowerCase() ? said : repo.id,
    sha: revision,
    gated: false,
    private: data.Visibility === 1,
    downloads: typeof data.Downloads === "number" ? data.Downloads : undefined,
    siblings: [],
  };
}

/** Fails unless `revision` names a branch or tag of the model. */
async function requireRevision(
  connection: HubConnection,
  repo: RepoId,
  revision: string,
): Promise<void> {
  const { branches, tags } = await listModelScopeRevisions(connection, repo);
  if (![...branches, ...tags].some((ref) => ref.name === revision)) {
    throw revisionNotFound(repo.id, revision);
  }
}
