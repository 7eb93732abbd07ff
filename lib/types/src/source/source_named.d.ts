import { type RepoSource } from "./repo_source.ts";
/**
 * The source of a name; a `usage` error for an unknown one.
 */
export declare function sourceNamed(name: string): RepoSource;
