/**
 * Reading a repository's info: its commit, gating and file names.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import type { HubConnection } from "../http/hub_connection.ts";
import { unexpectedAnswer } from "../http/hub_errors.ts";
import { getJson } from "../http/hub_request.ts";
import type { RepoId } from "./repo_id.ts";
import { modelApiUrl } from "./hub_urls.ts";
import { requestContext } from "../http/request_context.ts";

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
export async function fetchRepoInfo(
  connection: HubConnection,
  repo: RepoId,
  options: RepoInfoOptions = {},
): Promise<RepoInfo> {
  const { revision } = options;
  const url = modelApiUrl(connection.endpoint, repo, {
    segments: revision ? ["revision", revision] : [],
  });
  const { body, url: answeredBy } = await getJson(connection, {
    url,
    context: requestContext(connection, { repo: repo.id, revision, action: "read the repo info" }),
  });
  const record = (body ?? {}) as Record<string, unknown>;
  if (typeof record.sha !== "string" || !/^[0-9a-f]{40}$/i.test(record.sha)) {
    throw unexpectedAnswer(
      `read the repo info of ${repo.id}: the answer has no commit sha`,
      { endpoint: connection.endpoint },
    );
  }
  const id = checkedId(record.id, repo, answeredBy);
  const gated = record.gated === "auto" || record.gated === "manual" ? record.gated : false;
  const siblings = Array.isArray(record.siblings)
    ? record.siblings.map((item) => (item as { rfilename?: unknown })?.rfilename).filter(
      (name): name is string => typeof name === "string",
    )
    : [];
  return {
    id,
    sha: record.sha.toLowerCase(),
    gated,
    private: record.private === true,
    lastModified: typeof record.lastModified === "string" ? record.lastModified : undefined,
    downloads: typeof record.downloads === "number" ? record.downloads : undefined,
    siblings,
  };
}

/** The `owner/name` an API URL names (`/api/models/{owner}/{name}/...`), lower-cased. */
function repoOfApiUrl(url: URL): string | undefined {
  const parts = url.pathname.split("/");
  if (parts[1] !== "api" || parts[2] !== "models" || !parts[3] || !parts[4]) return undefined;
  try {
    return `${decodeURIComponent(parts[3])}/${decodeURIComponent(parts[4])}`.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The Hub's `id` for the repository, which must name the one asked for (ignoring
 * case) or the one a redirect led to (a renamed repository).
 */
function checkedId(said: unknown, repo: RepoId, answeredBy: URL): string {
  if (typeof said !== "string") return repo.id;
  const accepted = [repo.id.toLowerCase(), repoOfApiUrl(answeredBy)];
  if (accepted.includes(said.toLowerCase())) return said;
  throw new ModelManagerError(
    "integrity",
    `read the repo info of ${repo.id}: the answer is about another repository (${
      JSON.stringify(said.slice(0, 200))
    })`,
    {
      hint:
        "the endpoint sent a hostile or broken answer; nothing was downloaded. Check --endpoint / HF_ENDPOINT",
    },
  );
}
