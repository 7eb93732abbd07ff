/**
 * Listing a repository's files with their sizes and hashes (the tree API,
 * following `Link` pagination).
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import type { HubConnection } from "../http/hub_connection.ts";
import { unexpectedAnswer } from "../http/hub_errors.ts";
import { getJson } from "../http/hub_request.ts";
import { nextPageUrl } from "./link_header.ts";
import { MAX_NAME_BYTES, type RepoId, repoPathProblem } from "./repo_id.ts";
import { modelApiUrl } from "./hub_urls.ts";
import { requestContext } from "../http/request_context.ts";

/** A file in a repository at one commit. */
export interface RepoFile {
  /** The path inside the repository. */
  path: string;
  /** Content size in bytes. */
  size: number;
  /** The git blob SHA-1 (for non-LFS files, the hash to verify). */
  gitSha1?: string;
  /** The SHA-256 of the content, for LFS files. */
  sha256?: string;
  /** Whether the file is stored with LFS (served through a redirect). */
  lfs: boolean;
}

/** The most pages followed, so a looping server cannot keep a client busy forever. */
const MAX_PAGES = 1000;

export { MAX_NAME_BYTES };

function hostileListing(repo: string, path: unknown): ModelManagerError {
  return new ModelManagerError(
    "integrity",
    `unsafe file path ${
      JSON.stringify(path)
    } in the listing of ${repo}: it is not a safe relative path`,
    {
      hint:
        "the endpoint sent a hostile or broken listing; nothing was written. Check --endpoint / HF_ENDPOINT",
    },
  );
}

/** Where a listing came from, for the error that refuses it. */
export interface ListingOrigin {
  /** `"owner/name"`. */
  repo: string;
  /** The environment variable that names the endpoint, for the hint. */
  endpointVariable?: string;
}

/**
 * The error that refuses a hostile or broken listing.
 */
export function brokenListing(origin: ListingOrigin, problem: string): ModelManagerError {
  const { repo, endpointVariable = "HF_ENDPOINT" } = origin;
  return new ModelManagerError("integrity", `read the listing of ${repo}: ${problem}`, {
    hint:
      `the endpoint sent a hostile or broken listing; nothing was written. Check --endpoint / ${endpointVariable}`,
  });
}

/**
 * Adds the entry's file to `listing` (path to file, in listing order), refusing a path
 * listed twice.
 */
export function addListedFile(
  listing: Map<string, RepoFile>,
  entry: ListingOrigin & { file: RepoFile },
): void {
  const { file } = entry;
  if (listing.has(file.path)) {
    throw brokenListing(entry, `${JSON.stringify(file.path)} is listed twice`);
  }
  listing.set(file.path, file);
}

function toRepoFile(entry: Record<string, unknown>, repo: string): RepoFile | undefined {
  if (entry.type !== "file") return undefined;
  const problem = repoPathProblem(entry.path);
  if (problem?.kind === "long-name") {
    throw brokenListing(
      { repo },
      `the name ${
        JSON.stringify(`${problem.name.slice(0, 40)}…`)
      } is ${problem.bytes} bytes long, more than the ${MAX_NAME_BYTES} a file system allows`,
    );
  }
  if (problem || typeof entry.path !== "string") throw hostileListing(repo, entry.path);
  const lfs = entry.lfs as Record<string, unknown> | undefined;
  const size = typeof entry.size === "number" ? entry.size : Number(lfs?.size);
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new ModelManagerError(
      "integrity",
      `read the size of ${entry.path} in ${repo}: the listing has none`,
      {
        hint: "check --endpoint / HF_ENDPOINT points at a Hugging Face Hub",
      },
    );
  }
  const sha256 = typeof lfs?.oid === "string"
    ? lfs.oid
    : typeof lfs?.sha256 === "string"
    ? lfs.sha256
    : undefined;
  return {
    path: entry.path,
    size,
    gitSha1: typeof entry.oid === "string" && !lfs ? entry.oid : undefined,
    sha256: sha256?.toLowerCase(),
    lfs: lfs !== undefined && lfs !== null,
  };
}

/** Options for {@linkcode listRepoFiles}. */
export interface ListFilesOptions {
  /** The commit (or branch or tag) to list. */
  revision: string;
}

/**
 * Lists every file of a repository at a commit (recursively).
 */
export async function listRepoFiles(
  connection: HubConnection,
  repo: RepoId,
  options: ListFilesOptions,
): Promise<RepoFile[]> {
  const { revision } = options;
  const listing = new Map<string, RepoFile>();
  let url: URL | undefined = modelApiUrl(connection.endpoint, repo, {
    segments: ["tree", revision],
    search: new URLSearchParams({ recursive: "true", expand: "false" }),
  });
  for (let page = 0; url; page++) {
    if (page === MAX_PAGES) {
      throw new ModelManagerError(
        "network",
        `list the files of ${repo.id}: the listing goes on past ${MAX_PAGES} pages`,
        {
          hint:
            `the endpoint seems to loop; check --endpoint / HF_ENDPOINT (${connection.endpoint})`,
        },
      );
    }
    const { body, headers } = await getJson(connection, {
      url,
      context: requestContext(connection, { repo: repo.id, revision, action: "list the files" }),
    });
    if (!Array.isArray(body)) {
      throw unexpectedAnswer(
        `list the files of ${repo.id}: the answer is not a list`,
        { endpoint: connection.endpoint },
      );
    }
    for (const entry of body) {
      const file = toRepoFile((entry ?? {}) as Record<string, unknown>, repo.id);
      if (file) addListedFile(listing, { file, repo: repo.id });
    }
    url = nextPageUrl(headers.get("link"), url);
  }
  return [...listing.values()];
}
