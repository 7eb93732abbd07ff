/**
 * The directories the store writes into: the models directory, resolved once
 * (it may be a link to another disk), and the owner, repo and sub-directories
 * below it, each of which must be a real directory. A link inside the models
 * directory is foreign: nothing is written through it.
 *
 * @module
 */
import { type Runtime } from "../runtime/runtime.ts";
/**
 * The models directory with its symbolic links resolved, so that the store is
 * addressed by its real path for the whole run; as given when it does not exist yet.
 */
export declare function realModelsDir(runtime: Runtime, modelsDir: string): Promise<string>;
/** A directory of the store: `parts` below the models directory `root`. */
export interface StorePlace {
    /** The models directory (created when missing; it may itself be a link). */
    root: string;
    /** The levels below it, e.g. `["owner", "name"]`, each created when missing. */
    parts: readonly string[];
}
/**
 * Creates a store directory one level at a time below the models directory
 * and answers its path. A level that is a symbolic link or not a directory is
 * refused with a `storage` error naming it.
 */
export declare function ensureStoreDirectory(runtime: Runtime, place: StorePlace): Promise<string>;
