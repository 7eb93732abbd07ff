import { type ErrorCode } from "../errors.ts";
import type { TransferOptions, TransferredFile } from "./transfer.ts";
/** A file (or a whole record) an import refused. */
export interface RefusedFile {
    /** `owner/name`. */
    repo: string;
    /** The path inside the repository (the record's own name when the record was refused). */
    path: string;
    /** Why, as a code: `integrity` (does not verify, no hash, wrong repository), `storage` (a link). */
    code: ErrorCode;
    /** Why, in words. */
    reason: string;
}
/** What {@linkcode importStore} did. */
export interface ImportReport {
    /** The files added (or replaced). */
    imported: TransferredFile[];
    /** Files already in the store with the same size and hash. */
    present: {
        repo: string;
        path: string;
    }[];
    /** Files that did not verify (or were missing), not added; nothing of their repository is. */
    refused: RefusedFile[];
}
/** Options of {@linkcode importStore}. */
export interface ImportOptions extends TransferOptions {
    /**
     * Accept files recorded without a hash, checked by their size only: anyone who
     * wrote the directory could have changed their content.
     */
    allowUnhashed?: boolean;
    /**
     * Hard-link files when the source is on the store's file system, even when the
     * source may be written to: writing to it later changes the store's copy too.
     * Without it, only files nobody may write to are linked; the others are copied.
     */
    link?: boolean;
}
/**
 * Imports every recorded repository of `sourceDir` into `modelsDir`. A repository
 * with a file that does not verify is refused whole: nothing of it is added.
 *
 * @example
 * ```ts
 * import { ModelManager } from "../model_manager.ts";
 * import { exportModels } from "./export_models.ts";
 * import { importStore } from "./import_store.ts";
 * await new ModelManager({ modelsDir: "./models" }).downloadModel("limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4");
 * await exportModels("./models", { queries: ["Qwen2.5-0.5B"], target: "./usb" });
 * // on the board, from the stick into its own store
 * const report = await importStore("./usb", "./board-models");
 * if (report.refused.length) console.error(report.refused);
 * ```
 */
export declare function importStore(sourceDir: string, modelsDir: string, options?: ImportOptions): Promise<ImportReport>;
