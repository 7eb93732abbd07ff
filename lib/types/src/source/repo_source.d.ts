/**
 * Where models come from: one small interface that lists a repository's files,
 * reads its info, lists its branches and resolves a file's download URL, with one
 * implementation per hub (Hugging Face, ModelScope). The manager and the download
 * engine go through it and never ask which hub they talk to.
 *
 * @module
 */
import type { HubConnection } from "../http/hub_connection.ts";
import type { RepoFileAt } from "../hub/hub_urls.ts";
import type { ListFilesOptions, RepoFile } from "../hub/list_files.ts";
import type { RepoRefs } from "../hub/list_refs.ts";
import type { RepoId } from "../hub/repo_id.ts";
import type { RepoInfo, RepoInfoOptions } from "../hub/repo_info.ts";
import type { ResolvedFile } from "../hub/resolve_file.ts";
import type { ModelSearchResult, SearchOptions } from "../hub/search_models.ts";
/** The hubs models can come from. */
export type SourceName = "huggingface" | "modelscope";
/**
 * The source names, in the order help lists them.
 */
export declare const SOURCE_NAMES: readonly SourceName[];
/** One hub's operations, each sent over the connection it is given. */
export interface RepoSource {
    /** Which hub. */
    readonly name: SourceName;
    /** The cookie the token is also sent as, to the endpoint only (the connection's `tokenCookie`). */
    readonly tokenCookie?: string;
    /** Reads a repository's info; its `sha` is the revision files are listed and fetched at. */
    repoInfo(connection: HubConnection, repo: RepoId, options?: RepoInfoOptions): Promise<RepoInfo>;
    /** Lists every file of a repository at a revision, with sizes and hashes. */
    listFiles(connection: HubConnection, repo: RepoId, options: ListFilesOptions): Promise<RepoFile[]>;
    /** Lists a repository's branches and tags. */
    listRefs(connection: HubConnection, repo: RepoId): Promise<RepoRefs>;
    /** Where a file's bytes are served, and what the hub states about them. */
    resolveFile(connection: HubConnection, file: RepoFileAt): Promise<ResolvedFile>;
    /** Searches the hub's models by text, most downloaded first. */
    searchModels(connection: HubConnection, options: SearchOptions): Promise<ModelSearchResult[]>;
}
