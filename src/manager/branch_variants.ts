/**
 * Variants kept as git branches (`w8a8-toolkitv1.1.4`, `w8a8_g512-toolkitv1.1.4`) of a
 * repository whose default branch holds no `.rkllm` file: each branch's variants, with
 * `--revision <branch>` among the flags that select them.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import type { HubConnection } from "../http/hub_connection.ts";
import type { RepoRefs } from "../hub/list_refs.ts";
import { huggingFaceSource } from "../source/hugging_face_source.ts";
import type { RepoSource } from "../source/repo_source.ts";
import { parseRepoId } from "../hub/repo_id.ts";
import type { RepoInfo } from "../hub/repo_info.ts";
import type { VariantFilter } from "./choose_model_file.ts";
import { listVariants, type VariantRow } from "./repo_variants.ts";
import { toolkitVersionOf } from "../store/toolkit_version.ts";
import type { Board } from "./board_fit.ts";

/** The most branches listed: each costs one listing request. */
const MAX_BRANCHES = 50;

const NOT_LISTED: readonly string[] = ["repo_not_found", "file_not_found"];

/** The branches, or none when the endpoint does not list them (a mirror without `/refs`). */
async function branchesOf(
  connection: HubConnection,
  listed: { info: RepoInfo; source: RepoSource },
): Promise<RepoRefs["branches"]> {
  try {
    return (await listed.source.listRefs(connection, parseRepoId(listed.info.id))).branches;
  } catch (error) {
    if (error instanceof ModelManagerError && NOT_LISTED.includes(error.code)) return [];
    throw error;
  }
}

/**
 * The variants on the branches other than the one `info` was read at, each with its
 * `revision` (the branch) and `--revision <branch>` leading its flags.
 */
export async function branchVariants(
  connection: HubConnection,
  listed: { info: RepoInfo; filter?: VariantFilter; board?: Board; source?: RepoSource },
): Promise<VariantRow[]> {
  const { info, filter = {}, board } = listed;
  const source = listed.source ?? huggingFaceSource;
  const repo = parseRepoId(info.id);
  const branches = (await branchesOf(connection, { info, source }))
    .filter((branch) => branch.targetCommit !== info.sha).slice(0, MAX_BRANCHES);
  const rows: VariantRow[] = [];
  for (const branch of branches) {
    const files = await source.listFiles(connection, repo, { revision: branch.targetCommit });
    const { variants } = listVariants({ info: { ...info, sha: branch.targetCommit }, files }, {
      platform: filter.platform,
      quantization: filter.quantization,
      board,
    });
    for (const variant of variants) {
      const flags = variant.flags === undefined
        ? undefined
        : `--revision ${branch.name}${variant.flags ? ` ${variant.flags}` : ""}`;
      const toolkit = toolkitVersionOf({ file: variant.file, branch: branch.name, repo: info.id });
      rows.push({ ...variant, revision: branch.name, flags, ...(toolkit ? { toolkit } : {}) });
    }
  }
  return rows;
}

/**
 * The `usage` error of a download without a revision from a repository whose variants
 * are all on branches: the branches are the choices.
 */
export function branchChoiceError(repo: string, rows: readonly VariantRow[]): ModelManagerError {
  const branches = [...new Set(rows.flatMap((row) => row.revision ?? []))];
  return new ModelManagerError(
    "usage",
    `${repo} keeps its .rkllm files on branches, and the branch is not given`,
    {
      hint: `choose one with --revision: ${branches.join(", ")} (rkllm-models files ${repo})`,
      repo,
      choices: branches,
    },
  );
}
