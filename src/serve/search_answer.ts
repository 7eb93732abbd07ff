/**
 * Model search (`GET /api/models?…`) on a mirror: asked of upstream with the
 * mirror's own token (never a client's), its `Link` pages pointed back at the
 * mirror; without an upstream, refused in plain words.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ModelManagerError } from "../errors.ts";
import { SERVE_REFUSAL_HEADER } from "../http/serve_marks.ts";
import { headerText } from "./file_answer.ts";
import { answerRefusal } from "./hub_routes.ts";
import type { ViewSettings } from "./repo_views.ts";
import { SERVE_VIA_HEADER, viaChainOf } from "./upstream.ts";

/** The most of upstream's search answer passed on. */
const MAX_SEARCH_BYTES = 16 * 1024 * 1024;

/**
 * Answers a model search from upstream, or says the mirror has none.
 */
export async function answerSearch(
  settings: ViewSettings,
  exchange: { request: IncomingMessage; response: ServerResponse },
): Promise<void> {
  const { request, response } = exchange;
  const method = request.method ?? "GET";
  if (method !== "GET" && method !== "HEAD") {
    answerRefusal(response, { status: 405, message: `method ${method} is not allowed here` });
    return;
  }
  const upstream = settings.upstream;
  if (!upstream) {
    answerRefusal(response, {
      status: 501,
      message: "this mirror has no upstream to search; it serves only its store",
      headers: { [SERVE_REFUSAL_HEADER]: "no-upstream" },
    });
    return;
  }
  const query = new URL(request.url ?? "/", "http://mirror").search;
  const via = viaChainOf(headerText(request.headers[SERVE_VIA_HEADER.toLowerCase()]));
  let answer: Response;
  let body: Uint8Array;
  try {
    answer = await upstream.search(query, { via });
    body = new Uint8Array(await answer.arrayBuffer()).subarray(0, MAX_SEARCH_BYTES);
  } catch (error) {
    if (!(error instanceof ModelManagerError) || error.code === "config") throw error;
    answerRefusal(response, {
      status: 502,
      message: `upstream ${upstream.endpoint} did not answer the search`,
    });
    return;
  }
  const headers: Record<string, string> = {
    "Content-Type": answer.headers.get("content-type") ?? "application/json; charset=utf-8",
    "Content-Length": String(body.length),
    "Cache-Control": "no-cache",
  };
  for (const name of ["X-Error-Code", "X-Error-Message"]) {
    const value = answer.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const link = mirroredLink(answer.headers.get("link"), {
    upstream: upstream.endpoint,
    mirror: mirrorBaseOf(request),
  });
  if (link) headers["Link"] = link;
  response.writeHead(answer.status, headers);
  response.end(method === "HEAD" ? undefined : body);
}

/** The mirror's URL as the client reached it (through a proxy, as the proxy says). */
function mirrorBaseOf(request: IncomingMessage): string {
  const proto = headerText(request.headers["x-forwarded-proto"]) === "https" ? "https" : "http";
  return `${proto}://${headerText(request.headers.host) ?? "127.0.0.1"}`;
}

/**
 * Upstream's `Link` header with each target under upstream pointed at the mirror; a
 * target elsewhere is left out, so that the client keeps asking the mirror.
 */
function mirroredLink(
  link: string | null,
  bases: { upstream: string; mirror: string },
): string | undefined {
  if (!link) return undefined;
  const kept: string[] = [];
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = part.match(/<([^>]*)>(.*)$/);
    if (!match || !match[1].startsWith(`${bases.upstream}/`)) continue;
    kept.push(`<${bases.mirror}${match[1].slice(bases.upstream.length)}>${match[2]}`);
  }
  return kept.length ? kept.join(", ") : undefined;
}
