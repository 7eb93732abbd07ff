/** The folders that hold a repository path, nearest first, the root (`""`) last. */
export declare function foldersOf(path: string): string[];
/**
 * The companion files of `modelFile` among `present` (repository paths): for each name, in
 * the order given, the copy nearest to the model, looked for in its folder, then in each
 * parent up to the root.
 */
export declare function nearestCompanions(modelFile: string, where: {
    present: ReadonlySet<string>;
    names: readonly string[];
}): string[];
/**
 * The companion files of several model files, each once, in the order of their first
 * appearance; those at the root when there is no model file.
 */
export declare function companionsOfModels(modelFiles: readonly string[], where: {
    present: ReadonlySet<string>;
    names: readonly string[];
}): string[];
/** Whether a repository path is a technical file (`config.json`, …) in whichever folder. */
export declare function isTechnicalFile(path: string): boolean;
