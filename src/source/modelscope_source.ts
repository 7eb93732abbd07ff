/**
 * ModelScope as a {@linkcode RepoSource}: the operations of `src/modelscope/`.
 * The token also goes as ModelScope's `m_session_id` cookie (to the endpoint only).
 *
 * @module
 */
import { listModelScopeFiles } from "../modelscope/list_files.ts";
import { listModelScopeRevisions } from "../modelscope/list_revisions.ts";
import { fetchModelScopeRepoInfo } from "../modelscope/repo_info.ts";
import { resolveModelScopeFile } from "../modelscope/resolve_file.ts";
import { searchModelScope } from "../modelscope/search_models.ts";
import type { RepoSource } from "./repo_source.ts";

/**
 * ModelScope.
 */
export const modelScopeSource: RepoSource = {
  name: "modelscope",
  tokenCookie: "m_session_id",
  repoInfo: fetchModelScopeRepoInfo,
  listFiles: listModelScopeFiles,
  listRefs: listModelScopeRevisions,
  resolveFile: resolveModelScopeFile,
  searchModels: searchModelScope,
};
