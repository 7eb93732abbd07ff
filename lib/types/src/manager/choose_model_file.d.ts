/**
 * Choosing which `.rkllm` file of a repository to download: the one asked for,
 * the only one, or the one left by variant filters. Anything else is an error
 * that lists the choices.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import type { RepoFile } from "../hub/list_files.ts";
import { ListingNames } from "./listing_names.ts";
/** Filters that narrow a repository's variants. */
export interface VariantFilter {
    /** Keep files for this chip (e.g. `rk3588`). */
    platform?: string;
    /** Keep files with this quantisation (e.g. `w8a8`). */
    quantization?: string;
    /**
     * Prefer files for this chip (the board's): among several candidates, those for it and
     * those naming no chip come first, and decide the choice when they are one. Never a filter.
     */
    preferPlatform?: string;
}
/** Which model file to pick: one asked for by name, or the one the filters leave. */
export interface ModelFileChoice extends VariantFilter {
    /** The file asked for: its path, its name, or its name without `.rkllm`. */
    file?: string;
}
/** A filter, and the reader of the listing's names (one per listing: each name is read once). */
export type ListingFilter = VariantFilter & {
    names?: ListingNames;
};
/**
 * The `.rkllm` files of a listing that pass the filters.
 */
export declare function modelFilesOf(files: RepoFile[], filter?: ListingFilter): RepoFile[];
/**
 * Picks the model file to download from a repository's listing.
 */
export declare function chooseModelFile(repo: string, files: RepoFile[], options?: ModelFileChoice): RepoFile;
/**
 * The `.rkllm` files a download without a file chooses from (those for the preferred
 * chip first) and the one it takes when the choice is clear.
 */
export declare function narrowModelFiles(files: RepoFile[], filter?: ListingFilter): {
    candidates: RepoFile[];
    chosen?: RepoFile;
};
/**
 * The `usage` error of a download whose file is not given when several `.rkllm`
 * files are left to choose from.
 */
export declare function unclearFileError(repo: string, options: {
    candidates: RepoFile[];
    filter?: VariantFilter;
}): ModelManagerError;
