/**
 * Searching the Hub for models (RKLLM conversions are found by text).
 *
 * @module
 */
import type { HubConnection } from "../http/hub_connection.ts";
import { getJson } from "../http/hub_request.ts";
import { nextPageUrl } from "./link_header.ts";
import { modelSearchUrl } from "./hub_urls.ts";
import { requestContext } from "../http/request_context.ts";

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

/** The fields asked for with `expand=`: what the search table shows and filters on. */
const EXPANDED_FIELDS = ["downloads", "likes", "lastModified", "tags"] as const;

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
export async function searchModels(
  connection: HubConnection,
  options: SearchOptions,
): Promise<ModelSearchResult[]> {
  const limit = options.limit ?? 50;
  const params = new URLSearchParams();
  if (options.search) params.set("search", options.search);
  if (options.filter) params.set("filter", options.filter);
  // `direction` is deprecated (always descending); without `expand` the answer may lack fields.
  params.set("sort", "downloads");
  params.set("limit", String(Math.min(limit, 1000)));
  for (const field of EXPANDED_FIELDS) params.append("expand", field);
  let url: URL | undefined = modelSearchUrl(connection.endpoint, params);
  const results: ModelSearchResult[] = [];
  while (url && results.length < limit) {
    const { body, headers } = await getJson(connection, {
      url,
      context: requestContext(connection, { action: "search the Hub" }),
    });
    for (const item of Array.isArray(body) ? body : []) {
      const record = (item ?? {}) as Record<string, unknown>;
      const id = typeof record.id === "string" ? record.id : record.modelId;
      if (typeof id !== "string") continue;
      results.push({
        id,
        downloads: typeof record.downloads === "number" ? record.downloads : 0,
        likes: typeof record.likes === "number" ? record.likes : 0,
        lastModified: typeof record.lastModified === "string" ? record.lastModified : undefined,
        tags: Array.isArray(record.tags)
          ? record.tags.filter((tag) => typeof tag === "string")
          : [],
      });
    }
    url = nextPageUrl(headers.get("link"), url);
  }
  return results.slice(0, limit).sort((a, b) => b.downloads - a.downloads);
}
