/**
 * Where things live in the store: `<models dir>/<owner>/<name>/<file>`, the
 * registry record beside the files, and the lock that serialises writers.
 *
 * @module
 */
import { join } from "node:path";
import type { RepoId } from "../hub/repo_id.ts";

/** The technical files that travel with every `.rkllm` file. */
export const TECHNICAL_FILES: readonly string[] = [
  "config.json",
  "generation_config.json",
  "meta.json",
  "tokenizer_config.json",
  "tokenizer.json",
];

/** The registry record's file name inside a repo directory. */
export const RECORD_FILE = ".rkllm-models.json";

/** The lock file that serialises downloads and record updates of a repo directory. */
export const LOCK_FILE = ".rkllm-models.lock";

export function repoDirOf(modelsDir: string, repo: RepoId): string {
  return join(modelsDir, repo.owner, repo.name);
}

/** The path of a repository file in the store (the repo path's `/` become directories). */
export function storePathOf(repoDir: string, repoPath: string): string {
  return join(repoDir, ...repoPath.split("/"));
}

export function isModelFileName(name: string): boolean {
  return name.toLowerCase().endsWith(".rkllm");
}

/**
 * Whether a file name is an RKNN model: the vision encoder that a vision-language
 * `.rkllm` model needs beside it.
 */
export function isEncoderFileName(name: string): boolean {
  return name.toLowerCase().endsWith(".rknn");
}
