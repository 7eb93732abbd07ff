/**
 * What comes with a model file: the companion files a repository holds nearest
 * to it and the vision encoders paired with it. Downloads plan these, and every
 * record writer names them in the model's `models` entry.
 *
 * @module
 */
import type { RepoFile } from "../hub/list_files.ts";
import type { ModelRecord } from "./registry.ts";
/** What a file is to the model: the model itself, a companion file or a vision encoder. */
export type PlannedFileKind = "model" | "companion" | "encoder";
/**
 * The files that come with `modelFile`, each with its kind: the model, the companion
 * files the repository holds nearest to it (in the order given; see
 * {@linkcode nearestCompanions}), and the vision encoders paired with it.
 */
export declare function filesOfModel(files: readonly RepoFile[], what: {
    modelFile: RepoFile;
    companionFiles: readonly string[];
}): {
    file: RepoFile;
    kind: PlannedFileKind;
}[];
/** The `models` entry of a model file: the paths of its companions and encoders, in order. */
export declare function modelRecordOf(planned: readonly {
    file: string;
    kind: PlannedFileKind;
}[]): ModelRecord;
