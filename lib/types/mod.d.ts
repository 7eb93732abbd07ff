/**
 * rkllm-models: find, download, verify and manage RKLLM models for Rockchip
 * NPU boards (RK3588, RK3576, …) from Hugging Face, on Deno, Node.js and Bun.
 *
 * Downloads resume after a crash or power cut, fetch large files over parallel
 * ranged connections, retry what can succeed later, and are verified against
 * the Hub's SHA-256 before they appear in the store
 * (`<models dir>/<owner>/<name>/`).
 *
 * @example Download a model, then find it again
 * ```ts
 * import { ModelManager } from "@rkllm/models";
 *
 * const manager = new ModelManager({ modelsDir: "./models" });
 * const model = await manager.downloadModel(
 *   "limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4",
 *   "Qwen2.5-0.5B-Instruct-rk3588-w8a8-opt-0-hybrid-ratio-0.0.rkllm",
 * );
 * console.log(model.path, model.revision, model.quantization);
 * console.log(await manager.getModel("Qwen2.5-0.5B"));
 * ```
 *
 * @module
 */
export { ModelManager } from "./src/model_manager.ts";
export type { ModelManagerOptions, RemoteModelFiles } from "./src/model_manager.ts";
export { cancelledError, exitCodeFor, isAbortError, ModelManagerError } from "./src/errors.ts";
export type { ErrorCode, ModelManagerErrorFields, ModelManagerErrorOptions } from "./src/errors.ts";
export type { ModelInfo, PartialDownload, StoreScan } from "./src/store/model_catalog.ts";
export { parseModelVariant, PLATFORMS } from "./src/store/model_variant.ts";
export type { ModelVariant } from "./src/store/model_variant.ts";
export type { ToolkitSource, ToolkitVersion } from "./src/store/toolkit_version.ts";
export type { DownloadEvent, DownloadEventHandler } from "./src/download/download_events.ts";
export type { DownloadOptions, DownloadPlan, DownloadResult, PlannedFile, PlannedFileKind, } from "./src/manager/download_model.ts";
export type { VariantFilter } from "./src/manager/choose_model_file.ts";
export type { RepoVariants, VariantRow } from "./src/manager/repo_variants.ts";
export type { CleanOptions, CleanReport, LeftAlone, RemovalReport, RemoveResult, } from "./src/manager/remove_models.ts";
export type { FileVerification, ModelVerification, VerifyOptions, } from "./src/manager/verify_models.ts";
export type { RepoFile } from "./src/hub/list_files.ts";
export type { RepoInfo } from "./src/hub/repo_info.ts";
export type { ModelSearchResult, SearchOptions } from "./src/hub/search_models.ts";
export type { RetryEvent, RetryOptions } from "./src/http/retry.ts";
export type { Clock } from "./src/clock.ts";
export type { UserConfig, UserConfigKey } from "./src/config/user_config.ts";
export type { PlacedFile } from "./src/fleet/place_file.ts";
export { RuntimeDetector } from "./src/runtime/detect_runtime.ts";
export type { PathApi, RuntimeInfo, RuntimeName } from "./src/runtime/detect_runtime.ts";
export type { FileOperations, FileSystem } from "./src/runtime/file_system.ts";
export type { DirEntry, FileHandle, FileStat, OpenOptions, Runtime, } from "./src/runtime/runtime.ts";
export { VERSION } from "./src/version.ts";
export type { FileFreshness, OutdatedReport } from "./src/manager/outdated_models.ts";
export { DEFAULT_SERVE_PORT, serveStore } from "./src/serve/serve_store.ts";
export type { ServeHandle, ServeOptions } from "./src/serve/serve_store.ts";
export type { ServedRequest } from "./src/serve/request_log.ts";
export type { ServeStats } from "./src/serve/repo_views.ts";
export type { GuardCounts } from "./src/serve/connection_guard.ts";
export { exportModels } from "./src/fleet/export_models.ts";
export type { ExportReport, TransferOptions, TransferredFile } from "./src/fleet/export_models.ts";
export { importStore } from "./src/fleet/import_store.ts";
export type { ImportOptions, ImportReport, RefusedFile } from "./src/fleet/import_store.ts";
