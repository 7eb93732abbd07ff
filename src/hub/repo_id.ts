/**
 * Validation of what names things on the Hub: repository ids and the file paths
 * a listing or a user gives. Both end up in URLs and in paths on disk, so both
 * are checked before use.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";

/** An `owner/name` repository id, split. */
export interface RepoId {
  /** The user or organisation. */
  owner: string;
  /** The repository name. */
  name: string;
  /** `owner/name`. */
  id: string;
}

/** The Hub's rule `[\w\-.]{1,96}`, starting with a letter, a digit or `_`. */
const NAME_PART = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,95}$/;

/**
 * Parses and validates a repository id (`owner/name`), following the Hub's own
 * rules: letters, digits, `-`, `_` and `.`, no `--` or `..`, no `.git` ending.
 */
export function parseRepoId(
  repo: string,
  exampleRepo = "limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4",
): RepoId {
  const value = typeof repo === "string" ? repo.trim() : "";
  const problem = repoIdProblem(value);
  if (problem) {
    throw new ModelManagerError("usage", `invalid repo id "${repo}": ${problem}`, {
      hint: `give the Hugging Face repo as owner/name, for example ${exampleRepo}`,
    });
  }
  const parts = value.split("/");
  return { owner: parts[0], name: parts[1], id: value };
}

/**
 * What is wrong with `value` as an `owner/name` repository id, or `undefined` when
 * nothing is.
 */
export function repoIdProblem(value: string): string | undefined {
  const parts = value.split("/");
  return parts.length !== 2
    ? "it must have exactly one '/' between owner and name"
    : parts.some((part) => !NAME_PART.test(part))
    ? "owner and name may use only letters, digits, '-', '_' and '.', and start with a letter, a digit or '_'"
    : value.includes("--") || value.includes("..")
    ? "it may not contain '--' or '..'"
    : value.endsWith(".git")
    ? "it may not end with '.git'"
    : undefined;
}

/** The longest file or directory name file systems allow (ext4, btrfs, xfs, APFS), in UTF-8 bytes. */
export const MAX_NAME_BYTES = 255;

/** The longest repository path accepted, in characters. */
export const MAX_REPO_PATH_LENGTH = 1024;

/** Why a path is not one a repository may hold: unsafe, or a name no file system can store. */
export type RepoPathProblem =
  | { kind: "unsafe" }
  | { kind: "long-name"; name: string; bytes: number };

const encoder = new TextEncoder();

/**
 * The one rule for a file path inside a repository, wherever it comes from (a
 * listing, a record, a request, a user): a relative path of at most
 * {@linkcode MAX_REPO_PATH_LENGTH} characters, no `..`, `.` or empty segment,
 * no backslash, no control character, no drive letter, and no name longer than
 * {@linkcode MAX_NAME_BYTES}. `undefined` when the path is safe.
 */
export function repoPathProblem(path: unknown): RepoPathProblem | undefined {
  if (typeof path !== "string" || path.length > MAX_REPO_PATH_LENGTH) return { kind: "unsafe" };
  return pathPartsProblem(path);
}

/**
 * {@linkcode repoPathProblem} without the overall length: for a path below a store's
 * root, where `owner/name/` comes before the repository path.
 */
export function pathPartsProblem(path: string): RepoPathProblem | undefined {
  // deno-lint-ignore no-control-regex
  if (path.includes("\\") || /[\x00-\x1f\x7f]/.test(path) || /^[A-Za-z]:/.test(path)) {
    return { kind: "unsafe" };
  }
  const names = path.split("/");
  if (names.some((name) => name === "" || name === "." || name === "..")) return { kind: "unsafe" };
  for (const name of names) {
    const bytes = encoder.encode(name).length;
    if (bytes > MAX_NAME_BYTES) return { kind: "long-name", name, bytes };
  }
  return undefined;
}

/** Whether {@linkcode repoPathProblem} finds nothing wrong with `path`. */
export function isSafeRepoPath(path: unknown): path is string {
  return repoPathProblem(path) === undefined;
}

/**
 * Percent-encodes each segment of a repository path, keeping the `/` between them.
 */
export function encodeRepoPath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
