/** An `owner/name` repository id, split. */
export interface RepoId {
    /** The user or organisation. */
    owner: string;
    /** The repository name. */
    name: string;
    /** `owner/name`. */
    id: string;
}
/**
 * Parses and validates a repository id (`owner/name`), following the Hub's own
 * rules: letters, digits, `-`, `_` and `.`, no `--` or `..`, no `.git` ending.
 */
export declare function parseRepoId(repo: string, exampleRepo?: string): RepoId;
/**
 * What is wrong with `value` as an `owner/name` repository id, or `undefined` when
 * nothing is.
 */
export declare function repoIdProblem(value: string): string | undefined;
/** The longest file or directory name file systems allow (ext4, btrfs, xfs, APFS), in UTF-8 bytes. */
export declare const MAX_NAME_BYTES = 255;
/** The longest repository path accepted, in characters. */
export declare const MAX_REPO_PATH_LENGTH = 1024;
/** Why a path is not one a repository may hold: unsafe, or a name no file system can store. */
export type RepoPathProblem = {
    kind: "unsafe";
} | {
    kind: "long-name";
    name: string;
    bytes: number;
};
/**
 * The one rule for a file path inside a repository, wherever it comes from (a
 * listing, a record, a request, a user): a relative path of at most
 * {@linkcode MAX_REPO_PATH_LENGTH} characters, no `..`, `.` or empty segment,
 * no backslash, no control character, no drive letter, and no name longer than
 * {@linkcode MAX_NAME_BYTES}. `undefined` when the path is safe.
 */
export declare function repoPathProblem(path: unknown): RepoPathProblem | undefined;
/**
 * {@linkcode repoPathProblem} without the overall length: for a path below a store's
 * root, where `owner/name/` comes before the repository path.
 */
export declare function pathPartsProblem(path: string): RepoPathProblem | undefined;
/** Whether {@linkcode repoPathProblem} finds nothing wrong with `path`. */
export declare function isSafeRepoPath(path: unknown): path is string;
/**
 * Percent-encodes each segment of a repository path, keeping the `/` between them.
 */
export declare function encodeRepoPath(path: string): string;
