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
/**
 * Resolves a file at a revision without a request.
 */
export declare function resolveModelScopeFile(connection: HubConnection, file: RepoFileAt): Promise<ResolvedFile>;
