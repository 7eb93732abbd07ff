/**
 * Resolving a ModelScope file: its download URL on the endpoint, which redirects
 * to the storage host (the token is never sent there). ModelScope's download
 * answer states no identity, so the listing's `Size` and `Sha256` are the file's.
 *
 * @module
 */
import type { HubConnection } from "../http/hub_connection.ts";
import type { RepoFileAt } from "../hub/hub_urls.ts";
import type { ResolvedFile } from "../hub/resolve_file.ts";
import { modelScopeFileUrl } from "./modelscope_urls.ts";

/**
 * Resolves a file at a revision without a request.
 *
 * @example
 * ```ts
 * import { resolveModelScopeFile } from "./resolve_file.ts";
 * const { contentUrl } = await resolveModelScopeFile(
 *   { endpoint: "https://www.modelscope.cn", fetch, retry: {}, offline: false },
 *   { repo: { owner: "o", name: "n", id: "o/n" }, revision: "master", path: "m.rkllm" },
 * );
 * ```
 */
export function resolveModelScopeFile(
  connection: HubConnection,
  file: RepoFileAt,
): Promise<ResolvedFile> {
  return Promise.resolve({ contentUrl: modelScopeFileUrl(connection.endpoint, file) });
}
