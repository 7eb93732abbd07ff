import { type ModelInfo } from "../store/model_catalog.ts";
import type { StoreContext } from "./store_context.ts";
/** What a removal or a clean freed. */
export interface RemovalReport {
    /** The absolute paths removed. */
    removedFiles: string[];
    /** Bytes freed. */
    freedBytes: number;
}
/** The result of {@linkcode removeModel}. */
export interface RemoveResult extends RemovalReport {
    /** The model that was removed. */
    model: ModelInfo;
    /** Whether the repo directory went too (it held no other model). */
    removedDirectory: boolean;
}
/** Something `clean` found in the store and did not touch, because this tool did not make it. */
export interface LeftAlone {
    /** Its absolute path. */
    path: string;
    /** A file someone else put there, or a symbolic link (never followed). */
    kind: "file" | "symlink";
    /** Its size in bytes (0 for a link: what it points to is not looked at). */
    size: number;
}
/** The result of {@linkcode cleanModels}. */
export interface CleanReport extends RemovalReport {
    /** What was found and kept: files this tool did not make, and symbolic links. */
    leftAlone: LeftAlone[];
}
/** Options of {@linkcode cleanModels}. */
export interface CleanOptions {
    /** Remove only partial downloads, keep complete models. */
    partialOnly?: boolean;
}
/**
 * Removes the model a query means, its record entry and the vision encoders no
 * other model of its repo uses; when it was the last model of its repo
 * directory, also the files its record lists (technical and companion files)
 * and the directory, when nothing else is left in it.
 */
export declare function removeModel(context: StoreContext, query: string): Promise<RemoveResult>;
/**
 * The model `removeModel` would remove for a query, or the error it would
 * raise: not found, ambiguous, or a symbolic link it never follows. Removes nothing.
 */
export declare function removableModel(context: StoreContext, query: string): Promise<ModelInfo>;
/**
 * Removes every model and partial download under the models directory (or only
 * the partial downloads), skipping repo directories a live download holds.
 * Only what this tool made goes; the rest (files placed by hand, symbolic
 * links) is left alone and listed with its size.
 */
export declare function cleanModels(context: StoreContext, options?: CleanOptions): Promise<CleanReport>;
