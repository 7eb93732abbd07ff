import { type ModelInfo } from "../store/model_catalog.ts";
import type { StoreContext } from "./store_context.ts";
/** The verdict on one file. */
export interface FileVerification {
    /** The repository path. */
    file: string;
    /** `ok`, `mismatch` (size or hash differs), `missing`, or `unrecorded` (nothing to check against). */
    status: "ok" | "mismatch" | "missing" | "unrecorded";
    /** What differs, for `mismatch`. */
    detail?: string;
    /**
     * What the file was checked against, for `ok` and `mismatch`: its recorded
     * hash, or only its size when the Hub stated no hash for it (never "verified").
     */
    checkedBy?: "sha256" | "git-sha1" | "size";
}
/** The verdict on one model. */
export interface ModelVerification {
    /** The model. */
    model: ModelInfo;
    /** True when every recorded file is present and matches. */
    ok: boolean;
    /** The files that match but were checked by size only (no hash known for them). */
    sizeOnly: string[];
    /** Each file's verdict, the model file first. */
    files: FileVerification[];
}
/** Callbacks of {@linkcode verifyModels}, for progress. */
export interface VerifyOptions {
    /** Called before each file is checked. */
    onFile?: (what: {
        model: ModelInfo;
        file: string;
    }) => void;
    /** Called with each model's result as soon as it is known. */
    onResult?: (verdict: ModelVerification) => void;
}
/**
 * Verifies one model (by query) or every model in the store.
 */
export declare function verifyModels(context: StoreContext, query?: string, options?: VerifyOptions): Promise<ModelVerification[]>;
