/**
 * Searching ModelScope's models (`GET /openapi/v1/models?search&sort=downloads`,
 * read page by page until a page is short or enough were found).
 *
 * @module
 */
import type { HubConnection } from "../http/hub_connection.ts";
import { getJson } from "../http/hub_request.ts";
import { requestContext } from "../http/request_context.ts";
import type { ModelSearchResult, SearchOptions } from "../hub/search_models.ts";
import { errorForModelScope } from "./modelscope_errors.ts";

/** ModelScope answers at most this many results of one search (page number × page size). */
const MAX_RESULTS = 3000;

function resultOf(item: unknown): ModelSearchResult | undefined {
  const record = (item ?? {}) as Record<string, unknown>;
  if (typeof record.id !== "string" || !record.id.includes("/")) return undefined;
  const tags = Array.isArray(record.tags) ? record.tags : [];
  return {
    id: record.id,
    downloads: typeof record.downloads === "number" ? record.downloads : 0,
    likes: typeof record.likes === "number" ? record.likes : 0,
    lastModified: typeof record.last_modified === "string" ? record.last_modified : undefined,
    tags: tags.filter((tag): tag is string => typeof tag === "string"),
  };
}

/**
 * Searches models, most downloaded first.
 */
export async function searchModelScope(
  connection: HubConnection,
  options: SearchOptions,
): Promise<ModelSearchResult[]> {
  const limit = Math.min(options.limit ?? 50, MAX_RESULTS);
  const pageSize = Math.min(limit, 100);
  const results: ModelSearchResult[] = [];
  for (let page = 1; results.length < limit && page * pageSize <= MAX_RESULTS; page++) {
    const url = new URL(`${connection.endpoint}/openapi/v1/models`);
    if (options.search) url.searchParams.set("search", options.search);
    url.searchParams.set("sort", "downloads");
    url.searchParams.set("page_number", String(page));
    url.searchParams.set("page_size", String(pageSize));
    const { body } = await getJson(connection, {
      url,
      context: requestContext(connection, { action: "search ModelScope" }),
      errorFor: errorForModelScope,
    });
    const data = ((body ?? {}) as { data?: { models?: unknown } }).data;
    const models = Array.isArray(data?.models) ? data.models : [];
    for (const item of models) {
      const result = resultOf(item);
      if (result) results.push(result);
    }
    if (models.length < pageSize) break;
  }
  return results.slice(0, limit).sort((a, b) => b.downloads - a.downloads);
}
