import type { HubConnection } from "../http/hub_connection.ts";
import type { RepoId } from "./repo_id.ts";
/** The parts of a repository's info this tool uses. */
export interface RepoInfo {
    /** `owner/name` as the Hub spells it. */
    id: string;
    /** The commit the asked revision points at (40 hex digits). */
    sha: string;
    /** `false`, `"auto"` or `"manual"`. */
    gated: false | "auto" | "manual";
    /** Whether the repository is private. */
    private: boolean;
    /** When it last changed (ISO 8601), when the Hub says. */
    lastModified?: string;
    /** All-time downloads, when the Hub says. */
    downloads?: number;
    /** The file names of the revision. */
    siblings: string[];
}
/** Options for {@linkcode fetchRepoInfo}. */
export interface RepoInfoOptions {
    /** The branch, tag or commit to read. */
    revision?: string;
}
/** Reads a repository's info at a revision. */
export declare function fetchRepoInfo(connection: HubConnection, repo: RepoId, options?: RepoInfoOptions): Promise<RepoInfo>;
