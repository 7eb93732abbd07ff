/**
 * Which RKLLM toolkit converted a model, as far as its publisher says: no header format
 * of `.rkllm` is documented, but the version is usually in the file name
 * (`…-RKLLM-v1.2.3.rkllm`), the branch (`w8a8-toolkitv1.1.4`), the repository name
 * (`…-rk3588-1.1.4`, `…-rkllm-1.1.4`) or a `meta.json` beside the model.
 *
 * @module
 */
/** Where a toolkit version was read. */
export type ToolkitSource = "meta.json" | "file name" | "branch" | "repository name";
/** A toolkit version and where it was read. */
export interface ToolkitVersion {
    /** The version, e.g. `1.1.4` or `1.2.1b1`. */
    version: string;
    /** Where it was read. */
    source: ToolkitSource;
}
/**
 * The first toolkit version whose models runtimes 1.1 and later load: Rockchip declares
 * models converted before it incompatible ("the modifications in version 1.1.0 are
 * significant, making it incompatible with older version models", airockchip/rknn-llm).
 */
export declare const OLDEST_COMPATIBLE_TOOLKIT = "1.1.0";
/** The toolkit version a name states (a file name, a branch, a repository name). */
export declare function toolkitVersionInName(name: string): string | undefined;
/**
 * The toolkit version a `meta.json` states: a top-level string under a key such as
 * `rkllm_toolkit_version`, `toolkit_version` or `rkllm_version`, or `version` inside a
 * `toolkit` or `rkllm` object.
 */
export declare function toolkitVersionInMeta(meta: unknown): string | undefined;
/** What may state a model's toolkit version, most trusted first. */
export interface ToolkitSources {
    /** The parsed `meta.json` beside the model. */
    meta?: unknown;
    /** The model file's repository path. */
    file?: string;
    /** The branch it was read from (not a commit). */
    branch?: string;
    /** The repository, `owner/name` or its name. */
    repo?: string;
}
/**
 * The toolkit version the sources state, with where it was read: `meta.json`, else the
 * file name, else the branch, else the repository name.
 */
export declare function toolkitVersionOf(sources: ToolkitSources): ToolkitVersion | undefined;
/** Whether a toolkit version is older than {@linkcode OLDEST_COMPATIBLE_TOOLKIT}. */
export declare function predatesCompatibleToolkit(version: string): boolean;
