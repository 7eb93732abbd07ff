/**
 * The read-only Hugging Face Hub surface `serve` answers, one handler per
 * route: repo info, tree, paths-info and resolve (`/work/shared/hf-hub-protocol.md` §9).
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { isSafeRepoPath } from "../hub/repo_id.ts";
import { answerFile, fileMetadataHeaders, headerText, IMMUTABLE } from "./file_answer.ts";
import { pathsInfoAnswer, repoInfoAnswer, requestedPaths, treeAnswer } from "./hub_answers.ts";
import { type HubRefusal, type RepoView, repoView, type ViewSettings } from "./repo_views.ts";
import { SERVE_VIA_HEADER, viaChainOf } from "./upstream.ts";

/** A request's route, decoded. */
export type Route =
  | { kind: "info"; repo: string; revision: string }
  | { kind: "tree"; repo: string; revision: string; path: string }
  | { kind: "paths-info"; repo: string; revision: string }
  | { kind: "resolve"; repo: string; revision: string; path: string };

/**
 * The route of a request path (raw, percent-encoded); `undefined` when it is none of them.
 */
export function routeOf(rawPath: string): Route | undefined {
  let parts: string[];
  try {
    parts = rawPath.split("/").slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  if (parts[0] === "api" && parts[1] === "models" && parts.length >= 4) {
    const repo = `${parts[2]}/${parts[3]}`;
    const [verb, revision, ...rest] = parts.slice(4);
    if (verb === undefined) return { kind: "info", repo, revision: "HEAD" };
    if (verb === "revision" && revision && rest.length === 0) {
      return { kind: "info", repo, revision };
    }
    if (verb === "tree" && revision) {
      return { kind: "tree", repo, revision, path: rest.filter(Boolean).join("/") };
    }
    if (verb === "paths-info" && revision && rest.length === 0) {
      return { kind: "paths-info", repo, revision };
    }
    return undefined;
  }
  if (parts[2] === "resolve" && parts.length >= 5) {
    return {
      kind: "resolve",
      repo: `${parts[0]}/${parts[1]}`,
      revision: parts[3],
      path: parts.slice(4).join("/"),
    };
  }
  return undefined;
}

/**
 * Answers one routed request.
 */
export async function answerRoute(
  settings: ViewSettings,
  exchange: {
    request: IncomingMessage;
    response: ServerResponse;
    route: Route;
    /** Counts the body bytes of a file sent. */
    sent?: { bytes: number };
  },
): Promise<void> {
  const { request, response, route } = exchange;
  const method = request.method ?? "GET";
  const allowed = route.kind === "paths-info" ? ["POST"] : ["GET", "HEAD"];
  if (!allowed.includes(method)) {
    answerRefusal(response, { status: 405, message: `method ${method} is not allowed here` });
    return;
  }
  if (route.kind !== "info" && route.kind !== "paths-info" && route.path !== "") {
    if (!isSafeRepoPath(route.path)) {
      answerRefusal(response, { status: 400, message: `invalid file path ${route.path}` });
      return;
    }
  }
  const via = viaChainOf(headerText(request.headers[SERVE_VIA_HEADER.toLowerCase()]));
  const view = await repoView(settings, { ...route, via });
  if ("status" in view) {
    answerRefusal(response, view);
    return;
  }
  if (route.kind === "info") {
    answerJson(exchange, { view, body: repoInfoAnswer(view.facts) });
  } else if (route.kind === "tree") {
    const body = treeAnswer(view.facts.files, {
      under: route.path,
      recursive: new URL(request.url ?? "/", "http://x").searchParams.get("recursive")
        ?.toLowerCase() === "true",
    });
    if (!body) answerRefusal(response, entryNotFound(view, route.path));
    else answerJson(exchange, { view, body });
  } else if (route.kind === "paths-info") {
    const text = await readBody(request);
    const paths = requestedPaths(text, headerText(request.headers["content-type"]) ?? "");
    answerJson(exchange, { view, body: pathsInfoAnswer(view.facts.files, paths) });
  } else {
    await answerResolve(exchange, { view, path: route.path, settings });
  }
}

async function answerResolve(
  exchange: { request: IncomingMessage; response: ServerResponse; sent?: { bytes: number } },
  what: { view: RepoView; path: string; settings: ViewSettings },
): Promise<void> {
  const { request, response } = exchange;
  const { view, path } = what;
  const file = await view.file(path);
  if (!file) {
    answerRefusal(response, entryNotFound(view, path));
    return;
  }
  if (!view.byCommit) {
    // Every byte is served from an immutable, commit-addressed URL that caches may keep.
    const location = `/${view.facts.id}/resolve/${view.facts.sha}/${
      path.split("/").map(encodeURIComponent).join("/")
    }`;
    response.writeHead(307, {
      ...fileMetadataHeaders(file.facts, view.facts.sha),
      "Location": location,
      "Cache-Control": "no-cache",
      "Content-Length": "0",
    });
    response.end();
    return;
  }
  const client = request.socket.remoteAddress ?? "";
  if (request.method === "GET" && file.startsPull && !what.settings.pullRate.admit(client)) {
    answerRefusal(response, {
      status: 429,
      message: "this client started too many new pulls; retry in a minute",
      headers: { "Retry-After": "60" },
    });
    return;
  }
  await answerFile({ request, response }, {
    file: file.facts,
    commit: view.facts.sha,
    openBody: () => file.openBody(),
    onBodyBytes: (count) => {
      what.settings.stats.bodyBytes += count;
      if (exchange.sent) exchange.sent.bytes += count;
    },
    sendTimeoutMs: what.settings.sendTimeoutMs,
    buffers: what.settings.bodyBuffers,
  });
}

function entryNotFound(view: RepoView, path: string): HubRefusal {
  return {
    status: 404,
    code: "EntryNotFound",
    message: `${path} does not exist on "${view.facts.sha}"`,
    headers: { "X-Repo-Commit": view.facts.sha },
  };
}

function answerJson(
  exchange: { request: IncomingMessage; response: ServerResponse },
  what: { view: RepoView; body: unknown },
): void {
  const { request, response } = exchange;
  const text = JSON.stringify(what.body);
  const etag = `"${createHash("sha1").update(text).digest("hex")}"`;
  const headers: Record<string, string> = {
    "Content-Type": "application/json; charset=utf-8",
    "ETag": etag,
    "Cache-Control": what.view.byCommit ? IMMUTABLE : "no-cache",
  };
  if (headerText(request.headers["if-none-match"]) === etag) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  const bytes = new TextEncoder().encode(text);
  response.writeHead(200, { ...headers, "Content-Length": String(bytes.length) });
  response.end(request.method === "HEAD" ? undefined : bytes);
}

/**
 * Answers an error as the Hub does: `X-Error-Code`, `X-Error-Message` and `{"error": …}`.
 */
export function answerRefusal(response: ServerResponse, refusal: HubRefusal): void {
  const body = new TextEncoder().encode(JSON.stringify({ error: refusal.message }));
  response.writeHead(refusal.status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(body.length),
    "Cache-Control": "no-cache",
    "X-Error-Message": refusal.message.replace(/[^\x20-\x7e]/g, "?"),
    ...(refusal.code ? { "X-Error-Code": refusal.code } : {}),
    ...refusal.headers,
  });
  response.end(body);
}

const MAX_BODY_BYTES = 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of request) {
    total += (chunk as Uint8Array).length;
    if (total > MAX_BODY_BYTES) break;
    chunks.push(chunk as Uint8Array);
  }
  const all = new Uint8Array(Math.min(total, MAX_BODY_BYTES));
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk.subarray(0, all.length - offset), offset);
    offset += chunk.length;
  }
  return new TextDecoder().decode(all);
}
