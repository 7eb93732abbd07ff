/**
 * Where things live in the store: `<models dir>/<owner>/<name>/<file>`, the
 * registry record beside the files, and the lock that serialises writers.
 *
 * @module
 */
import { join } from "node:path";
import type { RepoId } from "../hub/repo_id.ts";

/**
 * The technical files that travel with every `.rkllm` file.
 *
 * @example
 * ```ts
 * import { TECHNICAL_FILES } from "./store_layout.ts";
 * TECHNICAL_FILES.includes("config.json"); // true
 * ```
 */
export const TECHNICAL_FILES: readonly string[] = [
  "config.json",
  "generation_config.json",
  "meta.json",
  "tokenizer_config.json",
  "tokenizer.json",
];

/**
 * The registry record's file name inside a repo directory.
 *
 * @example
 * ```ts
 * import { RECORD_FILE } from "./store_layout.ts";
 * RECORD_FILE; // ".rkllm-models.json"
 * ```
 */
export const RECORD_FILE = ".rkllm-models.json";

/**
 * The lock file that serialises downloads and record updates of a repo directory.
 *
 * @example
 * ```ts
 * import { LOCK_FILE } from "./store_layout.ts";
 * LOCK_FILE; // ".rkllm-models.lock"
 * ```
 */
export const LOCK_FILE = ".rkllm-models.lock";

/**
 * The directory of a repository in the store.
 *
 * @example
 * ```ts
 * import { repoDirOf } from "./store_layout.ts";
 * repoDirOf("/models", { owner: "o", name: "n", id: "o/n" }); // "/models/o/n"
 * ```
 */
export function repoDirOf(modelsDir: string, repo: RepoId): string {
  return join(modelsDir, repo.owner, repo.name);
}

/**
 * The path of a repository file in the store (the repo path's `/` become directories).
 *
 * @example
 * ```ts
 * import { storePathOf } from "./store_layout.ts";
 * storePathOf("/models/o/n", "sub/m.rkllm"); // "/models/o/n/sub/m.rkllm"
 * ```
 */
export function storePathOf(repoDir: string, repoPath: string): string {
  return join(repoDir, ...repoPath.split("/"));
}

/**
 * Whether a file name is an RKLLM model file.
 *
 * @example
 * ```ts
 * import { isModelFileName } from "./store_layout.ts";
 * isModelFileName("qwen.rkllm"); // true
 * ```
 */
export function isModelFileName(name: string): boolean {
  return name.toLowerCase().endsWith(".rkllm");
}

/**
 * Whether a file name is an RKNN model: the vision encoder that a vision-language
 * `.rkllm` model needs beside it.
 *
 * @example
 * ```ts
 * import { isEncoderFileName } from "./store_layout.ts";
 * isEncoderFileName("internvl3_5-2b_vision_rk3588.rknn"); // true
 * ```
 */
export function isEncoderFileName(name: string): boolean {
  return name.toLowerCase().endsWith(".rknn");
}
