import type { RepoSource } from "./repo_source.ts";
/**
 * The Hugging Face Hub.
 */
export declare const huggingFaceSource: RepoSource;
