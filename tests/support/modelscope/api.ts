/**
 * The emulated ModelScope API origin (`/api/v1/…`, `/openapi/v1/…`): repository
 * info, revisions, the recursive file listing with `Sha256`/`Size`/`Path`, and
 * the file download that redirects to the storage origin.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendData, sendError } from "./envelope.ts";
import type { MsStoredFile } from "./types.ts";

/** A repository as the API serves it. */
export interface MsRepo {
  id: string;
  private: boolean;
  branches: string[];
  files: Map<string, MsStoredFile>;
  listingExtra: Record<string, unknown>[];
}

/** What the API reads from the emulator. */
export interface MsApiState {
  repos: Map<string, MsRepo>;
  token?: string;
  storageOrigin: string;
  /** Statuses the next API requests answer instead, first one first. */
  failures: number[];
}

const CREATED_AT = 1_700_000_000;

/** Answers one API request; returns the status sent. */
export function handleApi(state: MsApiState, req: IncomingMessage, res: ServerResponse): number {
  const url = new URL(req.url ?? "/", "http://emulator");
  const failure = state.failures.shift();
  if (failure === 200) return sendRefusal(res);
  if (failure !== undefined) {
    return sendError(res, { status: failure, code: failure, message: "service unavailable" });
  }
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "openapi" && parts[2] === "models" && parts.length === 3) {
    return sendJson(res, { success: true, data: searchPage(state, url) });
  }
  if (parts[0] === "openapi" && parts[2] === "models" && parts.length === 5) {
    const repo = accessible(state, req, `${parts[3]}/${parts[4]}`);
    if (typeof repo === "number") return sendOpenApiError(res, repo);
    return sendJson(res, { success: true, data: { id: repo.id, private: repo.private } });
  }
  if (parts[0] !== "api" || parts[1] !== "v1" || parts[2] !== "models" || parts.length < 5) {
    return sendError(res, { status: 404, code: 404, message: "not found" });
  }
  const repo = accessible(state, req, `${parts[3]}/${parts[4]}`);
  if (repo === 404) {
    return sendError(res, { status: 404, code: 10010205001, message: "model not exists" });
  }
  if (repo === 403) {
    return sendError(res, {
      status: 403,
      code: 10010205003,
      message: "you have no permission to access this model, please login first",
    });
  }
  const rest = parts.slice(5).join("/");
  if (rest === "") return sendData(res, modelInfo(repo));
  if (rest === "revisions") return sendData(res, { RevisionMap: revisionMap(repo) });
  const revision = url.searchParams.get("Revision") ?? "master";
  if (!repo.branches.includes(revision)) {
    return sendError(res, {
      status: 404,
      code: 10010205006,
      message: `revision ${revision} not exists`,
    });
  }
  if (rest === "repo/files") return sendData(res, { Files: listing(repo, revision) });
  if (rest === "repo") return redirectToStorage(state, { repo, url, res });
  return sendError(res, { status: 404, code: 404, message: "not found" });
}

/** The repository, or the status its absence or privacy is answered with. */
function accessible(state: MsApiState, req: IncomingMessage, id: string): MsRepo | 403 | 404 {
  const repo = state.repos.get(id);
  if (!repo) return 404;
  if (repo.private && !hasToken(state, req)) return 403;
  return repo;
}

/** Whether the request carries the token, as cookie `m_session_id` or as a Bearer token. */
function hasToken(state: MsApiState, req: IncomingMessage): boolean {
  if (!state.token) return false;
  if (req.headers.authorization === `Bearer ${state.token}`) return true;
  const cookies = (req.headers.cookie ?? "").split(";").map((part) => part.trim());
  return cookies.includes(`m_session_id=${state.token}`);
}

/** One page of the public models whose id contains `search`, by `page_number` and `page_size`. */
function searchPage(state: MsApiState, url: URL): unknown {
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

/** Every blob of the revision, with its directories as `tree` entries (which clients skip). */
function listing(repo: MsRepo, revision: string): unknown[] {
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
      Sha256: file.sha256,
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

function redirectToStorage(
  state: MsApiState,
  what: { repo: MsRepo; url: URL; res: ServerResponse },
): number {
  const path = what.url.searchParams.get("FilePath") ?? "";
  const file = what.repo.files.get(path);
  if (!file) {
    return sendError(what.res, {
      status: 404,
      code: 10010205007,
      message: `file ${path} not exists`,
    });
  }
  const name = encodeURIComponent(path.split("/").at(-1) ?? "");
  what.res.writeHead(302, {
    Location: `${state.storageOrigin}/objects/${file.sha256}/${name}?Expires=${CREATED_AT * 2}`,
    "Content-Length": "0",
  });
  what.res.end();
  return 302;
}

/** An HTTP 200 whose envelope refuses (`Success: false`), with a plausible `Data` all the same. */
function sendRefusal(res: ServerResponse): number {
  return sendJson(res, {
    Code: 10010205999,
    Data: { Files: [] },
    Message: "request refused",
    RequestId: "refused",
    Success: false,
  });
}

function sendOpenApiError(res: ServerResponse, status: number): number {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify({ success: false, message: status === 404 ? "not found" : "forbidden" }));
  return status;
}

function sendJson(res: ServerResponse, body: unknown): number {
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
  return 200;
}
