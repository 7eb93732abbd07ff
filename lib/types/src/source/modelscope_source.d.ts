import type { RepoSource } from "./repo_source.ts";
/**
 * ModelScope.
 */
export declare const modelScopeSource: RepoSource;
