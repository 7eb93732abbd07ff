/**
 * Which repository a hub request names and whether its token may reach it: valid tokens,
 * private and gated repositories, renamed repositories (307) and disabled ones (403).
 *
 * @module
 */
import type { Exchange } from "./exchange.ts";
import type { StoredRepo } from "./prepared_repo.ts";
import { bytesPayload, respond, sendError } from "./responses.ts";
import type { HubState } from "./state.ts";

const encoder = new TextEncoder();

/** Whether the emulator knows the token; without `tokens.valid`, every token is valid. */
export function isValidToken(hub: HubState, token: string): boolean {
  const tokens = hub.options.tokens;
  if (!tokens || !tokens.valid) return true;
  return tokens.valid.includes(token) ||
    Object.values(tokens.approvedFor ?? {}).some((list) => list.includes(token));
}

/** Whether the exchange's token is approved for the repo; without `tokens`, every token is. */
export function isApproved(ex: Exchange, repoId: string): boolean {
  const token = ex.token;
  if (token === null) return false;
  const tokens = ex.hub.options.tokens;
  if (!tokens) return true;
  return tokens.approvedFor?.[repoId]?.includes(token) ?? false;
}

/** Private repos: any valid token, unless `approvedFor` lists who may see it. */
export function canSee(ex: Exchange, repo: StoredRepo): boolean {
  const id = repo.spec.id;
  if (!repo.spec.private) return true;
  if (ex.hub.options.tokens?.approvedFor?.[id] !== undefined) return isApproved(ex, id);
  return ex.token !== null;
}

/** The repo named at `segments[at..at+1]`, or the answer sent instead (error or redirect). */
export function accessibleRepo(ex: Exchange, at: number): StoredRepo | Promise<void> {
  const id = `${ex.segments[at]}/${ex.segments[at + 1]}`;
  const repo = ex.hub.repos.get(id);
  const newId = ex.hub.renames.get(id);
  if (!repo && newId) {
    const location = "/" + [
      ...ex.rawSegments.slice(0, at),
      ...newId.split("/").map(encodeURIComponent),
      ...ex.rawSegments.slice(at + 2),
    ].join("/") + ex.url.search;
    const body = encoder.encode(`Temporary Redirect. Redirecting to ${location}`);
    return respond(ex, {
      status: 307,
      headers: { "Location": location, "Content-Type": "text/plain; charset=utf-8" },
      payload: bytesPayload(body),
    });
  }
  if (!repo || !canSee(ex, repo)) {
    return sendError(ex, {
      status: ex.token === null ? 401 : 404,
      code: "RepoNotFound",
      message: "Repository not found",
    });
  }
  if (repo.spec.disabled) {
    return sendError(ex, { status: 403, message: "Access to this resource is disabled." });
  }
  return repo;
}

/** Answer 404 `RevisionNotFound` for a revision named in the path. */
export function revisionNotFound(ex: Exchange, name: string): Promise<void> {
  return sendError(ex, {
    status: 404,
    code: "RevisionNotFound",
    message: `Invalid rev id: ${name}`,
  });
}
