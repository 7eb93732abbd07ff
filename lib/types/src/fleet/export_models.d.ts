import type { TransferOptions, TransferredFile } from "./transfer.ts";
export type { TransferOptions, TransferredFile } from "./transfer.ts";
/** What {@linkcode exportModels} wrote. */
export interface ExportReport {
    /** The directory written to. */
    target: string;
    /** The models exported, as `owner/name/file`. */
    models: string[];
    /** Every file written. */
    files: TransferredFile[];
}
/**
 * Exports the models the queries name to `target`.
 *
 * @example
 * ```ts
 * import { ModelManager } from "../model_manager.ts";
 * import { exportModels } from "./export_models.ts";
 * await new ModelManager({ modelsDir: "./models" }).downloadModel("limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4");
 * // target: a USB stick's mount point, such as /media/usb
 * const report = await exportModels("./models", { queries: ["Qwen2.5-0.5B"], target: "./usb" });
 * console.log(report.models);
 * ```
 */
export declare function exportModels(modelsDir: string, request: {
    queries: string[];
    target: string;
}, options?: TransferOptions): Promise<ExportReport>;
