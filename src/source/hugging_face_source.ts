/**
 * The Hugging Face Hub as a {@linkcode RepoSource}: the operations of `src/hub/`.
 *
 * @module
 */
import { listRepoFiles } from "../hub/list_files.ts";
import { listRepoRefs } from "../hub/list_refs.ts";
import { fetchRepoInfo } from "../hub/repo_info.ts";
import { resolveFile } from "../hub/resolve_file.ts";
import { searchModels } from "../hub/search_models.ts";
import type { RepoSource } from "./repo_source.ts";

/**
 * The Hugging Face Hub.
 */
export const huggingFaceSource: RepoSource = {
  name: "huggingface",
  repoInfo: fetchRepoInfo,
  listFiles: listRepoFiles,
  listRefs: listRepoRefs,
  resolveFile,
  searchModels,
};
