import type { RepoFile } from "../hub/list_files.ts";
import type { RepoId } from "../hub/repo_id.ts";
import { type ModelInfo } from "../store/model_catalog.ts";
import { type PlannedFileKind } from "../store/model_files.ts";
import type { StoreContext } from "./store_context.ts";
export type { PlannedFileKind } from "../store/model_files.ts";
/** One file of a download plan. */
export interface PlannedFile {
    /** The repository path. */
    file: string;
    /** What it is to the model. */
    kind: PlannedFileKind;
    /** Size in bytes. */
    size: number;
    /** Where it goes. */
    destination: string;
    /** Whether a complete, matching copy is already there. */
    present: boolean;
    /** Bytes still to fetch (size less a resumable partial download). */
    bytesNeeded: number;
}
/** What a download would do (`dryRun`) or did. */
export interface DownloadPlan {
    /** `owner/name`. */
    repo: string;
    /** The pinned commit. */
    revision: string;
    /** The model file's repository path. */
    modelFile: string;
    /** Every file of the model: the `.rkllm` file first, then its companions, then its encoders. */
    files: PlannedFile[];
    /** Bytes still to fetch in all. */
    bytesNeeded: number;
    /** Free bytes in the models directory's file system, when known. */
    freeBytes?: number;
}
/** What to plan: the repository's listing at the pinned commit and the model chosen from it. */
export interface DownloadTarget {
    /** The repository. */
    repo: RepoId;
    /** The pinned commit. */
    revision: string;
    /** Every file of the repository at that commit. */
    files: RepoFile[];
    /** The `.rkllm` file chosen. */
    modelFile: RepoFile;
    /** The names of the companion files to bring when the repository holds them, in order. */
    companionFiles: readonly string[];
    /** Plan every file as missing, even when a complete copy is there. */
    force?: boolean;
}
/**
 * Plans the download of a model file with its companion files and vision encoders.
 */
export declare function planDownload(context: StoreContext, target: DownloadTarget): Promise<DownloadPlan>;
/**
 * The model a plan would put in the store, for a dry run.
 */
export declare function plannedModel(context: StoreContext, what: {
    repo: RepoId;
    file: RepoFile;
    plan: DownloadPlan;
}): ModelInfo;
