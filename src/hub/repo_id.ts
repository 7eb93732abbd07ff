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

/**
 * Checks that a file path from the Hub or the user is a safe relative path
 * inside a repository: no absolute path, no `..` or `.` segment, no backslash,
 * no empty segment, no control character.
 */
export function isSafeRepoPath(path: string): boolean {
  if (typeof path !== "string" || path.length === 0 || path.length > 1024) return false;
  // deno-lint-ignore no-control-regex
  if (path.includes("\\") || /[\x00-\x1f\x7f]/.test(path)) return false;
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) return false;
  return path.split("/").every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

/**
 * Percent-encodes each segment of a repository path, keeping the `/` between them.
 */
export function encodeRepoPath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
