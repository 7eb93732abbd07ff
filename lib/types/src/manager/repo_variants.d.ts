/**
 * A repository's `.rkllm` variants as `files` and `download` show them: size, the fields
 * parsed from the name, and the `--platform`/`--quant` flags that select each.
 *
 * @module
 */
import type { RepoFile } from "../hub/list_files.ts";
import type { RepoInfo } from "../hub/repo_info.ts";
import { type VariantFilter } from "./choose_model_file.ts";
import { type ModelVariant } from "../store/model_variant.ts";
import { ListingNames } from "./listing_names.ts";
import { type Board } from "./board_fit.ts";
import { type ToolkitVersion } from "../store/toolkit_version.ts";
/** One `.rkllm` file of a repository, described for people and scripts. */
export interface VariantRow extends ModelVariant {
    /** The repository path. */
    file: string;
    /** Size in bytes, when the listing is known. */
    size?: number;
    /** SHA-256 from the LFS pointer, when known. */
    sha256?: string;
    /**
     * The flags that make `download` pick exactly this file: `""` when it is the
     * repository's only variant (no flag needed), `undefined` when no flags do.
     */
    flags?: string;
    /** The `.rknn` vision encoders a download of it brings; absent when it brings none. */
    encoders?: string[];
    /** The branch that holds it, for a variant kept on another branch than the one listed. */
    revision?: string;
    /** The RKLLM toolkit version its file name, branch or repository name states. */
    toolkit?: ToolkitVersion;
    /** On a board whose memory is known: whether the file fits it (see {@linkcode fitsMemory}). */
    fitsMemory?: boolean;
}
/**
 * The `--platform`/`--quant` flags that leave exactly `file` among `modelFiles`.
 */
export declare function selectingFlags(file: string, modelFiles: readonly string[]): string | undefined;
/** Options of {@linkcode describeVariants} and {@linkcode listVariants}. */
export interface DescribeOptions {
    /** Reads the listing's names: one per listing; give one to count the work done. */
    names?: ListingNames;
    /** The board this runs on: each variant then says whether it fits its memory. */
    board?: Board;
}
/**
 * Describes `choices` (repository paths of `.rkllm` files); `listing` is the
 * repository's full file list when known, for sizes and for flags that hold
 * across all its variants.
 */
export declare function describeVariants(choices: readonly string[], listing?: readonly RepoFile[], options?: DescribeOptions): VariantRow[];
/** A repository's variants, as {@linkcode listVariants} answers. */
export interface RepoVariants {
    /** The repository's info at the revision asked for. */
    info: RepoInfo;
    /** Every file in the repository. */
    files: RepoFile[];
    /** Every `.rkllm` file that passes the filters, described. */
    variants: VariantRow[];
    /**
     * The variants a download without a file would choose from, the board's chip first:
     * one when the choice is clear.
     */
    candidates: VariantRow[];
    /** The variant a download without a file takes, when the choice is clear. */
    chosen?: VariantRow;
    /**
     * When no revision was asked and the default branch holds no `.rkllm` file: the
     * variants on the other branches, `--revision <branch>` leading their flags.
     */
    branches?: VariantRow[];
}
/**
 * Describes the variants of a listed repository and the one a download without a
 * file would take.
 */
export declare function listVariants(listing: {
    info: RepoInfo;
    files: RepoFile[];
}, options?: VariantFilter & DescribeOptions): RepoVariants;
