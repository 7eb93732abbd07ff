import type { RepoId } from "../hub/repo_id.ts";
/** The technical files that travel with every `.rkllm` file. */
export declare const TECHNICAL_FILES: readonly string[];
/** The registry record's file name inside a repo directory. */
export declare const RECORD_FILE = ".rkllm-models.json";
/** The lock file that serialises downloads and record updates of a repo directory. */
export declare const LOCK_FILE = ".rkllm-models.lock";
export declare function repoDirOf(modelsDir: string, repo: RepoId): string;
/** The path of a repository file in the store (the repo path's `/` become directories). */
export declare function storePathOf(repoDir: string, repoPath: string): string;
export declare function isModelFileName(name: string): boolean;
/**
 * Whether a file name is an RKNN model: the vision encoder that a vision-language
 * `.rkllm` model needs beside it.
 */
export declare function isEncoderFileName(name: string): boolean;
