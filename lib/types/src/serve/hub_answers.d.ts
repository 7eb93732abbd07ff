/** What an answer says about one file: its size and the hash that identifies it. */
export interface FileFacts {
    /** The path inside the repository. */
    path: string;
    /** Content size in bytes. */
    size: number;
    /** SHA-256 of the content: the file is served as an LFS file. */
    sha256?: string;
    /** Git blob SHA-1 of the content (a small, non-LFS file). */
    gitSha1?: string;
}
/** What the repo info answer says. */
export interface RepoFacts {
    /** `owner/name`. */
    id: string;
    /** The commit (40 hex). */
    sha: string;
    /** Whether the repository is private. */
    private: boolean;
    /** `false`, `"auto"` or `"manual"`. */
    gated: false | "auto" | "manual";
    /** ISO 8601. */
    lastModified: string;
    /** The files at that commit. */
    files: FileFacts[];
}
/**
 * The Git LFS pointer git stores for an LFS file.
 */
export declare function lfsPointerText(sha256: string, size: number): string;
/**
 * A tree entry as the Hub's tree API answers it: `oid` is the git blob SHA-1
 * (of the LFS pointer for an LFS file) and LFS files carry `lfs {oid, size, pointerSize}`.
 */
export declare function treeEntryOf(file: FileFacts): Record<string, unknown>;
/**
 * The directories implied by file paths, as tree entries (`type: "directory"`).
 */
export declare function directoryEntriesOf(paths: string[]): Record<string, unknown>[];
/**
 * The tree answer for `tree/{rev}[/{path}]`: the entries under `under`, all
 * levels with `recursive`, else only its direct children; `undefined` when
 * `under` is neither a file nor a directory.
 */
export declare function treeAnswer(files: FileFacts[], options: {
    under: string;
    recursive: boolean;
}): Record<string, unknown>[] | undefined;
/**
 * The repo info answer (`/api/models/{id}[/revision/{rev}]`).
 */
export declare function repoInfoAnswer(repo: RepoFacts): Record<string, unknown>;
/**
 * The paths-info answer: the entries of the asked paths that exist (files, or
 * directories that hold files), in the asked order.
 */
export declare function pathsInfoAnswer(files: FileFacts[], paths: string[]): Record<string, unknown>[];
/**
 * The paths a paths-info request asks for, from a JSON (`{paths}`) or
 * form-encoded (`paths=a&paths=b`) body.
 */
export declare function requestedPaths(body: string, contentType: string): string[];
