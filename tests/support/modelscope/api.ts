/**
 * The emulated ModelScope API origin (`/api/v1/…`, `/openapi/v1/…`): repository
 * info, revisions, the recursive file listing with `Sha256`/`Size`/`Path`, and
 * the file download that redirects to the storage origin.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { responseFault } from "../hub/faults.ts";
import { respond } from "../hub/responses.ts";
import { sendData, sendError, sendJson } from "./envelope.ts";
import type { MsExchange, MsState } from "./exchange.ts";
import type { MsStoredFile } from "./types.ts";

/** A repository as the API serves it. */
export interface MsRepo {
  id: string;
  private: boolean;
  branches: string[];
  files: Map<string, MsStoredFile>;
  listingExtra: Record<string, unknown>[];
}

const CREATED_AT = 1_700_000_000;

/** Answers one API request. */
export function handleApi(ex: MsExchange): Promise<void> {
  const { hub: state, req, url } = ex;
  const failure = state.failures.shift();
  if (failure === 200) return sendRefusal(ex);
  if (failure !== undefined) {
    return sendError(ex, { status: failure, code: failure, message: "service unavailable" });
  }
  const parts = ex.record.path.split("/").filter(Boolean);
  if (parts[0] === "openapi" && parts[2] === "models" && parts.length === 3) {
    return sendJson(ex, { success: true, data: searchPage(state, url) });
  }
  if (parts[0] === "openapi" && parts[2] === "models" && parts.length === 5) {
    const repo = accessible(state, req, `${parts[3]}/${parts[4]}`);
    if (typeof repo === "number") return sendOpenApiError(ex, repo);
    return sendJson(ex, { success: true, data: { id: repo.id, private: repo.private } });
  }
  if (parts[0] !== "api" || parts[1] !== "v1" || parts[2] !== "models" || parts.length < 5) {
    return sendError(ex, { status: 404, code: 404, message: "not found" });
  }
  const repo = accessible(state, req, `${parts[3]}/${parts[4]}`);
  if (repo === 404) {
    return sendError(ex, { status: 404, code: 10010205001, message: "model not exists" });
  }
  if (repo === 403) {
    return sendError(ex, {
      status: 403,
      code: 10010205003,
      message: "you have no permission to access this model, please login first",
    });
  }
  return handleModel(ex, { repo, rest: parts.slice(5).join("/") });
}

/** Answers a request about one accessible model: info, revisions, listing or a file. */
function handleModel(ex: MsExchange, at: { repo: MsRepo; rest: string }): Promise<void> {
  const { repo, rest } = at;
  if (rest === "") return sendData(ex, modelInfo(repo));
  if (rest === "revisions") return sendData(ex, { RevisionMap: revisionMap(repo) });
  const revision = ex.url.searchParams.get("Revision") ?? "master";
  if (!repo.branches.includes(revision)) {
    return sendError(ex, {
      status: 404,
      code: 10010205006,
      message: `revision ${revision} not exists`,
    });
  }
  if (rest === "repo/files") {
    const hashes = responseFault(ex, ex.method === "GET")?.listingHashes;
    return sendData(ex, { Files: listing(repo, { revision, hashes }) });
  }
  if (rest === "repo") return redirectToStorage(ex, repo);
  return sendError(ex, { status: 404, code: 404, message: "not found" });
}

/** The repository, or the status its absence or privacy is answered with. */
function accessible(state: MsState, req: IncomingMessage, id: string): MsRepo | 403 | 404 {
  const repo = state.repos.get(id);
  if (!repo) return 404;
  if (repo.private && !hasToken(state, req)) return 403;
  return repo;
}

/** Whether the request carries the token, as cookie `m_session_id` or as a Bearer token. */
function hasToken(state: MsState, req: IncomingMessage): boolean {
  if (!state.token) return false;
  if (req.headers.authorization === `Bearer ${state.token}`) return true;
  const cookies = (req.headers.cookie ?? "").split(";").map((part) => part.trim());
  return cookies.includes(`m_session_id=${state.token}`);
}

/** One page of the public models whose id contains `search`, by `page_number` and `page_size`. */
function searchPage(state: MsState, url: URL): unknown {
  const text = (url.searchParams.get("search") ?? "").toLowerCase();
  const size = Number(url.searchParams.get("page_size") ?? 10);
  const page = Number(url.searchParams.get("page_number") ?? 1);
  const found = [...state.repos.values()]
    .filter((repo) => !repo.private && repo.id.toLowerCase().includes(text));
  return {
    models: found.slice((page - 1) * size, page * size).map((repo) => ({
      id: repo.id,
      downloads: 42,
      private: false,
      gated: false,
      tags: [],
    })),
    total_count: found.length,
    page_number: page,
    page_size: size,
  };
}

function modelInfo(repo: MsRepo): unknown {
  const [owner, name] = repo.id.split("/");
  return {
    Id: 1000 + repo.id.length,
    Name: name,
    Path: owner,
    ChineseName: "",
    Visibility: repo.private ? 1 : 5,
    Downloads: 42,
    Tags: [],
    Revision: "master",
  };
}

function revisionMap(repo: MsRepo): unknown {
  return {
    Branches: repo.branches.map((name) => ({ Revision: name, CreatedAt: CREATED_AT })),
    Tags: [],
  };
}

/**
 * Every blob of the revision, with its directories as `tree` entries (which clients skip);
 * `hashes` (a fault's `listingHashes`) drops each `Sha256` (`omit`) or sets it to null (`mask`).
 */
function listing(
  repo: MsRepo,
  at: { revision: string; hashes?: "omit" | "mask" },
): unknown[] {
  const { revision, hashes } = at;
  const entries: unknown[] = [];
  const trees = new Set<string>();
  for (const file of repo.files.values()) {
    const dirs = file.path.split("/").slice(0, -1);
    for (let i = 1; i <= dirs.length; i++) trees.add(dirs.slice(0, i).join("/"));
    entries.push({
      CommitMessage: "upload",
      CommittedDate: CREATED_AT,
      CommitterName: "emulator",
      InCheck: false,
      IsLFS: file.source.size > 1024,
      Mode: "33188",
      Name: file.path.split("/").at(-1),
      Path: file.path,
      Revision: fileCommit(revision, file),
      Sha256: hashes === "omit" ? undefined : hashes === "mask" ? null : file.sha256,
      Size: file.source.size,
      Type: "blob",
    });
  }
  entries.push(...repo.listingExtra);
  for (const tree of trees) {
    entries.push({ Name: tree.split("/").at(-1), Path: tree, Type: "tree", Size: 0 });
  }
  return entries;
}

function fileCommit(revision: string, file: MsStoredFile): string {
  return createHash("sha1").update(`${revision}\n${file.path}`).digest("hex");
}

function redirectToStorage(ex: MsExchange, repo: MsRepo): Promise<void> {
  const path = ex.url.searchParams.get("FilePath") ?? "";
  const file = repo.files.get(path);
  if (!file) {
    return sendError(ex, { status: 404, code: 10010205007, message: `file ${path} not exists` });
  }
  const name = encodeURIComponent(path.split("/").at(-1) ?? "");
  return respond(ex, {
    status: 302,
    headers: {
      Location: `${ex.hub.storageOrigin}/objects/${file.sha256}/${name}?Expires=${CREATED_AT * 2}`,
    },
  });
}

/** An HTTP 200 whose envelope refuses (`Success: false`), with a plausible `Data` all the same. */
function sendRefusal(ex: MsExchange): Promise<void> {
  return sendJson(ex, {
    Code: 10010205999,
    Data: { Files: [] },
    Message: "request refused",
    RequestId: "refused",
    Success: false,
  });
}

function sendOpenApiError(ex: MsExchange, status: number): Promise<void> {
  const message = status === 404 ? "not found" : "forbidden";
  return sendJson(ex, { success: false, message }, { status });
}
