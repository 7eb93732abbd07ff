/**
 * The routes of the hub origin: method and token checks, then the API endpoints
 * (`/api/models...`) and file downloads (`/{id}/resolve|raw/...`, `/api/resolve-cache/...`).
 *
 * @module
 */
import type { Exchange } from "./exchange.ts";
import { sendRefs, sendRepoInfo, sendSearch, sendTree } from "./hub_api.ts";
import { resolveCachedFile, resolveFile } from "./hub_resolve.ts";
import { accessibleRepo, isValidToken } from "./repo_access.ts";
import { sendError } from "./responses.ts";

/** Answer a request to the hub origin. */
export function handleHub(ex: Exchange): Promise<void> {
  if (ex.method !== "GET" && ex.method !== "HEAD") {
    return sendError(ex, { status: 405, message: "Method not allowed" });
  }
  if (ex.token !== null && !isValidToken(ex.hub, ex.token)) {
    return sendError(ex, {
      status: 401,
      message: "Invalid credentials in Authorization header",
    });
  }
  const segments = ex.segments;
  if (
    ex.hub.options.resolveCache && segments[0] === "api" && segments[1] === "resolve-cache" &&
    segments[2] === "models" && segments.length >= 7
  ) {
    return resolveCachedFile(ex);
  }
  if (segments[0] === "api" && segments[1] === "models") {
    if (segments.length === 2 || (segments.length === 3 && segments[2] === "")) {
      return sendSearch(ex);
    }
    if (segments.length < 4) return sendError(ex, { status: 404, message: "Not Found" });
    const repo = accessibleRepo(ex, 2);
    if (repo instanceof Promise) return repo;
    const rest = segments.slice(4);
    if (rest.length === 0) return sendRepoInfo(ex, { repo, revision: "main" });
    if (rest[0] === "revision" && rest.length >= 2) {
      return sendRepoInfo(ex, { repo, revision: rest.slice(1).join("/") });
    }
    if (rest[0] === "refs" && rest.length === 1) return sendRefs(ex, repo);
    if (rest[0] === "tree" && rest.length >= 2) {
      return sendTree(ex, { repo, parts: rest.slice(1) });
    }
    return sendError(ex, { status: 404, message: "Not Found" });
  }
  if (segments.length >= 5 && (segments[2] === "resolve" || segments[2] === "raw")) {
    const repo = accessibleRepo(ex, 0);
    if (repo instanceof Promise) return repo;
    return resolveFile(ex, { repo, parts: segments.slice(3), raw: segments[2] === "raw" });
  }
  return sendError(ex, { status: 404, message: "Not Found" });
}
