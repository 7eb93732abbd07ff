/**
 * Listing a ModelScope model's files with their sizes and SHA-256s
 * (`GET …/repo/files?Revision&Recursive=True`, not paginated).
 *
 * @module
 */
import type { ModelManagerError } from "../errors.ts";
import type { HubConnection } from "../http/hub_connection.ts";
import { getJson } from "../http/hub_request.ts";
import { requestContext } from "../http/request_context.ts";
import {
  addListedFile,
  brokenListing as hubBrokenListing,
  type ListFilesOptions,
  MAX_NAME_BYTES,
  type RepoFile,
} from "../hub/list_files.ts";
import { isSafeRepoPath, type RepoId } from "../hub/repo_id.ts";
import { envelopeData, errorForModelScope } from "./modelscope_errors.ts";
import { modelScopeApiUrl } from "./modelscope_urls.ts";

/** Files the SDK leaves out of a download. */
const SKIPPED = new Set([".gitignore", ".gitattributes"]);

const encoder = new TextEncoder();

function brokenListing(repo: string, problem: string): ModelManagerError {
  return hubBrokenListing({ repo, endpointVariable: "MODELSCOPE_ENDPOINT" }, problem);
}

/** The file of a listing entry; none for a directory or a skipped file. */
function toRepoFile(entry: Record<string, unknown>, repo: string): RepoFile | undefined {
  if (entry.Type !== "blob") return undefined;
  const path = entry.Path;
  if (typeof path !== "string" || !isSafeRepoPath(path)) {
    throw brokenListing(repo, `the path ${JSON.stringify(path)} is not a safe relative path`);
  }
  if (SKIPPED.has(path)) return undefined;
  if (path.split("/").some((name) => encoder.encode(name).length > MAX_NAME_BYTES)) {
    throw brokenListing(repo, `a name in ${JSON.stringify(path.slice(0, 80))} is too long`);
  }
  const size = entry.Size;
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
    throw brokenListing(repo, `${path} has no valid Size`);
  }
  const sha256 = entry.Sha256;
  if (sha256 !== null && sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(String(sha256))) {
    throw brokenListing(repo, `${path} has an invalid Sha256`);
  }
  return {
    path,
    size,
    sha256: typeof sha256 === "string" ? sha256.toLowerCase() : undefined,
    lfs: entry.IsLFS === true,
  };
}

/**
 * Lists every file of a model at a revision (a branch or tag), recursively.
 */
export async function listModelScopeFiles(
  connection: HubConnection,
  repo: RepoId,
  options: ListFilesOptions,
): Promise<RepoFile[]> {
  const { revision } = options;
  const action = "list the files";
  const { body } = await getJson(connection, {
    url: modelScopeApiUrl(connection.endpoint, repo, {
      segments: ["repo", "files"],
      search: new URLSearchParams({ Revision: revision, Recursive: "True" }),
    }),
    context: requestContext(connection, { repo: repo.id, revision, action }),
    errorFor: errorForModelScope,
  });
  const entries = envelopeData(body, `${action} of ${repo.id}`).Files;
  if (!Array.isArray(entries)) throw brokenListing(repo.id, "the answer has no Files list");
  const listing = new Map<string, RepoFile>();
  for (const entry of entries) {
    const file = toRepoFile((entry ?? {}) as Record<string, unknown>, repo.id);
    if (file) {
      addListedFile(listing, { file, repo: repo.id, endpointVariable: "MODELSCOPE_ENDPOINT" });
    }
  }
  return [...listing.values()];
}
