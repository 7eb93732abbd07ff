/**
 * Which local models differ from the Hub: each file's recorded hash against
 * the hash the Hub states now for the same path at the default revision. A
 * new commit with identical files is not outdated; a hash missing on either
 * side (masked, or never recorded) is "unknown".
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import { type ModelInfo } from "../store/model_catalog.ts";
import type { StoreContext } from "./store_context.ts";
/** How one local file compares with the Hub's. */
export type FileFreshness = "same" | "changed" | "unknown" | "gone";
/** One local model against the Hub. */
export interface OutdatedReport {
    /** The local model. */
    model: ModelInfo;
    /** The commit the Hub's default revision points at now. */
    latestRevision: string;
    /**
     * `outdated` when a file changed; `unknown` when none changed but some cannot be compared
     * (a hash masked or never recorded, or a file the Hub no longer has); `failed` when the
     * repository could not be read (gated, gone, unreachable): see `error`.
     */
    status: "current" | "outdated" | "unknown" | "failed";
    /** Each file of the model (the `.rkllm` file, its companions and encoders); none when failed. */
    files: {
        file: string;
        status: FileFreshness;
    }[];
    /** Why the repository could not be compared, when `status` is `failed`. */
    error?: ModelManagerError;
}
/**
 * The local models a query selects: all of them without one, else those whose name or
 * repository contains it (a query matching none is a `model_not_found` error).
 */
export declare function selectModels(models: ModelInfo[], query?: string): ModelInfo[];
/**
 * Compares the selected local models with the Hub, one listing per repository. A
 * repository that cannot be read (gated, gone, unreachable) fails alone: its models
 * are reported `failed` with the error, and the others are still compared.
 */
export declare function outdatedModels(context: StoreContext, query?: string): Promise<OutdatedReport[]>;
