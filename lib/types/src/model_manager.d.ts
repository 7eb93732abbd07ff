import { type UserConfig } from "./config/user_config.ts";
import { type DownloadEventHandler } from "./download/download_events.ts";
import type { RetryEvent, RetryOptions } from "./http/retry.ts";
import type { RepoFile } from "./hub/list_files.ts";
import type { RepoInfo } from "./hub/repo_info.ts";
import type { ModelSearchResult, SearchOptions } from "./hub/search_models.ts";
import { type DownloadOptions, type DownloadResult } from "./manager/download_model.ts";
import { type CleanOptions, type CleanReport, type RemoveResult } from "./manager/remove_models.ts";
import { type OutdatedReport } from "./manager/outdated_models.ts";
import { type ModelVerification, type VerifyOptions } from "./manager/verify_models.ts";
import { type Runtime } from "./runtime/runtime.ts";
import type { Clock } from "./clock.ts";
import { type ModelInfo, type PartialDownload, type StoreScan } from "./store/model_catalog.ts";
import { type RepoVariants } from "./manager/repo_variants.ts";
import { type VariantFilter } from "./manager/choose_model_file.ts";
/** Options of {@linkcode ModelManager}; every one has a default (its `@default`). */
export interface ModelManagerOptions {
    /**
     * Where models are stored; when not given, `RKLLM_MODELS_DIR`, else `modelsDir` of the
     * user config file.
     *
     * @default `$XDG_DATA_HOME/rkllm-models/models`
     */
    modelsDir?: string;
    /**
     * Where repositories come from: `huggingface` or `modelscope`; when not given, `source`
     * of the user config file. It picks where `endpoint` and `token` come from: for
     * ModelScope, `MODELSCOPE_ENDPOINT` and `MODELSCOPE_API_TOKEN`.
     *
     * @default "huggingface"
     */
    source?: string;
    /**
     * The Hub; when not given, `HF_ENDPOINT`, else `endpoint` of the user config file.
     *
     * @default "https://huggingface.co"
     */
    endpoint?: string;
    /**
     * The user config file's settings.
     *
     * @default read from `$XDG_CONFIG_HOME/rkllm-models/config.json`
     */
    userConfig?: UserConfig;
    /**
     * Access token.
     *
     * @default `HF_TOKEN`, else `HUGGING_FACE_HUB_TOKEN`, else the file `HF_TOKEN_PATH`, else `$HF_HOME/token`
     */
    token?: string;
    /**
     * The `fetch` to use.
     *
     * @default the runtime's own transport where it has a cheaper one (Node: bare sockets), else the global `fetch`
     */
    fetch?: typeof fetch;
    /** Cancels every operation of this manager. */
    signal?: AbortSignal;
    /** Receives download progress events. */
    onProgress?: DownloadEventHandler;
    /** Told of every retry of a Hub request (downloads also report theirs through `onProgress`). */
    onRetry?: (event: RetryEvent) => void;
    /**
     * Receives warnings such as a corrupt registry record.
     *
     * @default `console.warn`
     */
    onWarning?: (message: string) => void;
    /**
     * Forbid network access.
     *
     * @default `HF_HUB_OFFLINE`
     */
    offline?: boolean;
    /** Retry policy for Hub requests and downloads. */
    retry?: RetryOptions;
    /**
     * Restart a download request after this many milliseconds without a byte.
     *
     * @default 30000
     */
    idleTimeoutMs?: number;
    /**
     * Fail a Hub request (retryably) when connecting and the first byte of its answer
     * take longer than this many milliseconds, or when an API answer pauses this long
     * between two chunks; when not given, `idleTimeoutMs`.
     *
     * @default 30000
     */
    requestTimeoutMs?: number;
    /**
     * The largest JSON answer from the Hub that is read, in bytes.
     *
     * @default 67108864
     */
    maxJsonBytes?: number;
    /**
     * The runtime adapter.
     *
     * @default detected
     */
    runtime?: Runtime;
    /**
     * The clock that retries wait on and that times stalled downloads; tests pass one
     * they move by hand.
     *
     * @default the system's
     *
     * @example Retry at once, still timing stalls by the system's clock
     * ```ts
     * import { ModelManager } from "./model_manager.ts";
     * import type { Clock } from "./clock.ts";
     * const noWaits: Clock = {
     *   now: () => Date.now(),
     *   sleep: () => Promise.resolve(),
     *   every(ms, tick) {
     *     const timer = setInterval(tick, ms);
     *     return () => clearInterval(timer);
     *   },
     * };
     * const manager = new ModelManager({ modelsDir: "./models", clock: noWaits });
     * ```
     */
    clock?: Clock;
}
/** A repository's downloadable model files, as {@linkcode ModelManager.listRemoteFiles} answers. */
export interface RemoteModelFiles {
    /** The repository's info at the revision asked for. */
    info: RepoInfo;
    /** Every file in the repository. */
    files: RepoFile[];
}
/**
 * Finds, downloads, lists, verifies and removes RKLLM models.
 *
 * @example Download a model and list the store
 * ```ts
 * import { ModelManager } from "./model_manager.ts";
 * const manager = new ModelManager({ modelsDir: "./models" });
 * const model = await manager.downloadModel(
 *   "limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4",
 *   "Qwen2.5-0.5B-Instruct-rk3588-w8a8-opt-0-hybrid-ratio-0.0.rkllm",
 * );
 * console.log(model.path, model.revision);
 * console.log(await manager.listModels());
 * ```
 */
export declare class ModelManager {
    #private;
    /** The absolute models directory. */
    readonly modelsDir: string;
    /** The Hub endpoint, without a trailing slash. */
    readonly endpoint: string;
    /** Creates a manager; nothing is read or fetched until an operation runs (a bad endpoint URL throws a `config` error at once). */
    constructor(options?: ModelManagerOptions);
    /**
     * Downloads a model file into `<modelsDir>/<owner>/<name>/` with the companion
     * files the repository holds (technical and tokenizer files, `COMPANION_FILES`
     * of the models config) and the `.rknn` vision encoders for its chip, resuming
     * and verifying, and answers the model.
     * Without `file`, the repository must hold exactly one `.rkllm` file (or one
     * left by the `platform`/`quantization` filters).
     *
     * @example
     * ```ts
     * import { ModelManager } from "./model_manager.ts";
     * const manager = new ModelManager({ modelsDir: "./models" });
     * const model = await manager.downloadModel("limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4");
     * console.log(model.path, model.size);
     * ```
     */
    downloadModel(repo: string, file?: string, options?: DownloadOptions & {
        signal?: AbortSignal;
    }): Promise<ModelInfo>;
    /**
     * Like {@linkcode ModelManager.downloadModel}, answering the plan and the bytes transferred too.
     *
     * @example Plan a download without writing anything
     * ```ts
     * import { ModelManager } from "./model_manager.ts";
     * const manager = new ModelManager({ modelsDir: "./models" });
     * const { plan } = await manager.downloadWithPlan("limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4", undefined, { dryRun: true });
     * console.log(plan.modelFile, plan.bytesNeeded);
     * ```
     */
    downloadWithPlan(repo: string, file?: string, options?: DownloadOptions & {
        signal?: AbortSignal;
    }): Promise<DownloadResult>;
    /**
     * Every model in the store, sorted by repository and file.
     *
     * @example
     * ```ts
     * import { ModelManager } from "./model_manager.ts";
     * const manager = new ModelManager({ modelsDir: "./models" });
     * for (const model of await manager.listModels()) {
     *   console.log(model.repo, model.file, model.size);
     * }
     * ```
     */
    listModels(): Promise<ModelInfo[]>;
    /**
     * Partial downloads in the store (resumable by downloading again).
     *
     * @example
     * ```ts
     * import { ModelManager } from "./model_manager.ts";
     * const manager = new ModelManager({ modelsDir: "./models" });
     * for (const partial of await manager.listPartialDownloads()) {
     *   console.log(`${partial.repo}/${partial.file}: ${partial.bytes} of ${partial.total ?? "?"} bytes`);
     * }
     * ```
     */
    listPartialDownloads(): Promise<PartialDownload[]>;
    /**
     * Everything a look at the store finds: models, partial downloads, and the
     * symbolic links inside it, which are never followed.
     *
     * @example
     * ```ts
     * import { ModelManager } from "./model_manager.ts";
     * const manager = new ModelManager({ modelsDir: "./models" });
     * const { models, partials, links } = await manager.scanStore();
     * console.log(models.length, partials.length, links);
     * ```
     */
    scanStore(): Promise<StoreScan>;
    /**
     * The model a query means: an exact name, `owner/name`, or a unique
     * case-insensitive prefix or substring. `undefined` when nothing matches;
     * an `ambiguous` error listing the candidates when several do.
     *
     * @example
     * ```ts
     * import { ModelManager } from "./model_manager.ts";
     * const manager = new ModelManager({ modelsDir: "./models" });
     * const model = await manager.getModel("Qwen2.5-0.5B");
     * console.log(model?.path ?? "not downloaded yet");
     * ```
     */
    getModel(query: string): Promise<ModelInfo | undefined>;
    /**
     * The model {@linkcode ModelManager.removeModel} would remove for a query;
     * throws the error it would raise (not found, ambiguous, a symbolic link)
     * without removing anything. Lets a caller check several queries first.
     *
     * @example Check every query, then remove
     * ```ts
     * import { ModelManager } from "./model_manager.ts";
     * const manager = new ModelManager({ modelsDir: "./models" });
     * await manager.downloadModel("limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4");
     * const queries = ["Qwen2.5-0.5B"];
     * for (const query of queries) await manager.requireRemovableModel(query);
     * for (const query of queries) await manager.removeModel(query);
     * ```
     */
    requireRemovableModel(query: string): Promise<ModelInfo>;
    /**
     * Removes the model a query means (see {@linkcode ModelManager.getModel}); answers what was removed.
     *
     * @example
     * ```ts
     * import { ModelManager } from "./model_manager.ts";
     * const manager = new ModelManager({ modelsDir: "./models" });
     * await manager.downloadModel("limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4");
     * const { model, freedBytes } = await manager.removeModel("Qwen2.5-0.5B");
     * console.log(`removed ${model.file}, ${freedBytes} bytes freed`);
     * ```
     */
    removeModel(query: string): Promise<RemoveResult>;
    /**
     * Removes every model and partial download (or only partial downloads) from the store.
     *
     * @example Remove only partial downloads
     * ```ts
     * import { ModelManager } from "./model_manager.ts";
     * const manager = new ModelManager({ modelsDir: "./models" });
     * const { removedFiles, leftAlone } = await manager.cleanModels({ partialOnly: true });
     * console.log(removedFiles, leftAlone);
     * ```
     */
    cleanModels(options?: CleanOptions): Promise<CleanReport>;
    /**
     * Rechecks one model (by query) or all models against their records; files that fail
     * are marked in the record, so that the next download repairs them.
     *
     * @example
     * ```ts
     * import { ModelManager } from "./model_manager.ts";
     * const manager = new ModelManager({ modelsDir: "./models" });
     * await manager.downloadModel("limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4");
     * for (const verdict of await manager.verifyModel("Qwen2.5-0.5B")) {
     *   console.log(verdict.model.file, verdict.ok ? "ok" : "damaged: download it again to repair");
     * }
     * ```
     */
    verifyModel(query?: string, options?: VerifyOptions): Promise<ModelVerification[]>;
    /**
     * Compares local models (all, or those a query selects) with the Hub's current files.
     *
     * @example
     * ```ts
     * import { ModelManager } from "./model_manager.ts";
     * const manager = new ModelManager({ modelsDir: "./models" });
     * await manager.downloadModel("limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4");
     * for (const report of await manager.outdatedModels("qwen")) {
     *   console.log(report.model.file, report.status, report.latestRevision);
     * }
     * ```
     */
    outdatedModels(query?: string): Promise<OutdatedReport[]>;
    /**
     * Reads a repository's info and full file listing from the Hub.
     *
     * @example
     * ```ts
     * import { ModelManager } from "./model_manager.ts";
     * const manager = new ModelManager({ modelsDir: "./models" });
     * const { info, files } = await manager.listRemoteFiles("limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4");
     * console.log(info.sha, files.map((file) => file.path));
     * ```
     */
    listRemoteFiles(repo: string, options?: {
        revision?: string;
        signal?: AbortSignal;
        onRetry?: (event: RetryEvent) => void;
    }): Promise<RemoteModelFiles>;
    /**
     * Lists a repository's `.rkllm` variants: each with its size, the platform,
     * quantisation and suffix parsed from its name, its vision encoders and the
     * `--platform`/`--quant` flags that select it, and the one a download without a
     * file would take (two Hub requests). When no revision is asked and the default
     * branch holds no `.rkllm` file, also the variants kept on other branches (`branches`).
     * On a board, each variant says whether it fits the board's memory (`fitsMemory`).
     *
     * @example
     * ```ts
     * import { ModelManager } from "./model_manager.ts";
     * const manager = new ModelManager({ modelsDir: "./models" });
     * const { variants, chosen } = await manager.listVariants("limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4", { platform: "rk3588" });
     * for (const variant of variants) console.log(variant.file, variant.quantization, variant.size);
     * console.log("a download without a file takes", chosen?.file);
     * ```
     */
    listVariants(repo: string, options?: VariantFilter & {
        revision?: string;
        signal?: AbortSignal;
        onRetry?: (event: RetryEvent) => void;
    }): Promise<RepoVariants>;
    /** Whether no request goes to the Hub (the `offline` option or `HF_HUB_OFFLINE`). */
    get offline(): boolean;
    /**
     * Searches the Hub's models, most downloaded first.
     *
     * @example
     * ```ts
     * import { ModelManager } from "./model_manager.ts";
     * const manager = new ModelManager({ modelsDir: "./models" });
     * for (const result of await manager.searchModels({ search: "rk3588", limit: 10 })) {
     *   console.log(result.id, result.downloads);
     * }
     * ```
     */
    searchModels(options?: SearchOptions & {
        signal?: AbortSignal;
    }): Promise<ModelSearchResult[]>;
}
