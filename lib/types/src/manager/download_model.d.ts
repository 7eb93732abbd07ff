import type { DownloadEventHandler } from "../download/download_events.ts";
import type { RepoFile } from "../hub/list_files.ts";
import type { RepoInfo } from "../hub/repo_info.ts";
import type { RetryOptions } from "../http/retry.ts";
import { type ModelInfo } from "../store/model_catalog.ts";
import { type ModelFileChoice, type VariantFilter } from "./choose_model_file.ts";
import { type DownloadPlan } from "./plan_download.ts";
export type { DownloadPlan, PlannedFile, PlannedFileKind } from "./plan_download.ts";
import type { StoreContext } from "./store_context.ts";
/** Options of one download. */
export interface DownloadOptions extends VariantFilter {
    /**
     * A branch, tag or commit.
     *
     * @default the repository's default branch
     */
    revision?: string;
    /** Download again even when complete files are present. */
    force?: boolean;
    /** Plan only: report what would be downloaded, write nothing. */
    dryRun?: boolean;
    /**
     * Parallel connections for large files.
     *
     * @default 8
     */
    connections?: number;
    /**
     * Files at least this large, in bytes, use parallel segments.
     *
     * @default 67108864
     */
    parallelThreshold?: number;
    /**
     * Restart a request after this many milliseconds without a byte.
     *
     * @default 30000
     */
    idleTimeoutMs?: number;
    /** Retry policy. */
    retry?: RetryOptions;
    /** Receives progress events. */
    onProgress?: DownloadEventHandler;
    /**
     * The files to bring beside the `.rkllm` file when the repository holds them.
     *
     * @default `COMPANION_FILES` of the models config, `configs/models.json`
     */
    companionFiles?: readonly string[];
    /**
     * The repository's info and files as `ModelManager.listVariants` or
     * `listRemoteFiles` just answered them, so they are not asked for again.
     */
    listing?: {
        info: RepoInfo;
        files: RepoFile[];
    };
}
/** The result of {@linkcode installModel}. */
export interface DownloadResult {
    /** The model as it is now in the store. */
    model: ModelInfo;
    /** The plan that was carried out. */
    plan: DownloadPlan;
    /** Bytes fetched over the network. */
    transferred: number;
}
/**
 * Installs a model with its companion files and vision encoders into the store
 * (what `ModelManager.downloadModel` does).
 */
export declare function installModel(context: StoreContext, repoText: string, options?: DownloadOptions & ModelFileChoice): Promise<DownloadResult>;
