/**
 * Searching ModelScope's models (`GET /openapi/v1/models?search&sort=downloads`,
 * read page by page until a page is short or enough were found).
 *
 * @module
 */
import type { HubConnection } from "../http/hub_connection.ts";
import type { ModelSearchResult, SearchOptions } from "../hub/search_models.ts";
/**
 * Searches models, most downloaded first.
 */
export declare function searchModelScope(connection: HubConnection, options: SearchOptions): Promise<ModelSearchResult[]>;
