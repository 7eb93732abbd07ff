/**
 * Variants kept as git branches (`w8a8-toolkitv1.1.4`, `w8a8_g512-toolkitv1.1.4`) of a
 * repository whose default branch holds no `.rkllm` file: each branch's variants, with
 * `--revision <branch>` among the flags that select them.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import type { HubConnection } from "../http/hub_connection.ts";
import type { RepoSource } from "../source/repo_source.ts";
import type { RepoInfo } from "../hub/repo_info.ts";
import type { VariantFilter } from "./choose_model_file.ts";
import { type VariantRow } from "./repo_variants.ts";
import type { Board } from "./board_fit.ts";
/**
 * The variants on the branches other than the one `info` was read at, each with its
 * `revision` (the branch) and `--revision <branch>` leading its flags.
 */
export declare function branchVariants(connection: HubConnection, listed: {
    info: RepoInfo;
    filter?: VariantFilter;
    board?: Board;
    source?: RepoSource;
}): Promise<VariantRow[]>;
/**
 * The `usage` error of a download without a revision from a repository whose variants
 * are all on branches: the branches are the choices.
 */
export declare function branchChoiceError(repo: string, rows: readonly VariantRow[]): ModelManagerError;
