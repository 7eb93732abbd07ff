/**
 * Searching the Hub for models (RKLLM conversions are found by text).
 *
 * @module
 */
import type { HubConnection } from "../http/hub_connection.ts";
/** One search hit. */
export interface ModelSearchResult {
    /** `owner/name`. */
    id: string;
    /** Downloads in the last 30 days (what the Hub's `downloads` counts). */
    downloads: number;
    /** How many users liked the repository. */
    likes: number;
    /** When it last changed (ISO 8601), when known. */
    lastModified?: string;
    /** The repository's tags. */
    tags: string[];
}
/** What to search for. */
export interface SearchOptions {
    /** Text matched against repository ids. */
    search?: string;
    /** Only repositories with this tag (`rkllm`, `rk3588`). */
    filter?: string;
    /**
     * The most results to return.
     *
     * @default 50
     */
    limit?: number;
}
/**
 * Searches models, most downloaded (in the last 30 days) first, following
 * pagination up to `limit`.
 */
export declare function searchModels(connection: HubConnection, options: SearchOptions): Promise<ModelSearchResult[]>;
