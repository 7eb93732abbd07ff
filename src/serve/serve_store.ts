/**
 * `serve`: a read-only, Hugging-Face-compatible endpoint over a store, so
 * every HF client (`HF_ENDPOINT=…`, `hubUrl`, `--endpoint`) can download the
 * models it holds; with an upstream, a pull-through mirror that fetches each
 * missing file once. One `node:http` server serves on Deno, Node and Bun.
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { networkInterfaces } from "node:os";
import { ModelManagerError } from "../errors.ts";
import { normalizeEndpoint } from "../config/settings.ts";
import { RuntimeDetector } from "../runtime/detect_runtime.ts";
import { errorCodeOf, type Runtime } from "../runtime/runtime.ts";
import {
  connectionCapOf,
  type ConnectionLimits,
  guardConnections,
  type GuardCounts,
} from "./connection_guard.ts";
import { BodyBuffers } from "./body_buffers.ts";
import { headerText } from "./file_answer.ts";
import { ListenerWatch } from "./listener_watch.ts";
import { PullRate } from "./pull_rate.ts";
import { answerRefusal, answerRoute, routeOf } from "./hub_routes.ts";
import type { ServeStats, ViewSettings } from "./repo_views.ts";
import { type ServedRequest, watchRequest } from "./request_log.ts";
import { answerSearch } from "./search_answer.ts";
import { ComputedHashes } from "./store_files.ts";
import { SERVE_ID_HEADER } from "../http/serve_marks.ts";
import { refuseSelfUpstream, SERVE_VIA_HEADER, Upstream, viaChainOf } from "./upstream.ts";

/** Options of {@linkcode serveStore}. */
export interface ServeOptions {
  /**
   * The address to listen on; `0.0.0.0` serves the LAN.
   *
   * @default "127.0.0.1"
   */
  host?: string;
  /**
   * The port; 0 picks a free one.
   *
   * @default 8090
   */
  port?: number;
  /** Pull what the store lacks from this Hub or mirror; without it, only the store is served. */
  upstream?: string;
  /** The mirror's own token for upstream (never a client's). */
  token?: string;
  /**
   * With an upstream, pull any repository it has; without it, only those the store
   * holds and those in `pullRepos`.
   */
  pullAny?: boolean;
  /** Repositories (`owner/name`) pulled from upstream though the store lacks them. */
  pullRepos?: string[];
  /**
   * New upstream pulls each client address may start per minute.
   *
   * @default 30
   */
  pullsPerMinute?: number;
  /**
   * The clock of the pull rate.
   *
   * @default `Date.now`
   */
  now?: () => number;
  /** Serve private and gated repositories too; without it they are refused. */
  allowPrivate?: boolean;
  /**
   * The runtime adapter.
   *
   * @default detected
   */
  runtime?: Runtime;
  /**
   * The `fetch` used for upstream.
   *
   * @default the global `fetch`
   */
  fetch?: typeof fetch;
  /**
   * Told about problems that do not stop the server.
   *
   * @default `console.warn`
   */
  onWarning?: (message: string) => void;
  /** Restart an upstream request after this many milliseconds without a byte. */
  idleTimeoutMs?: number;
  /**
   * Connections open at once; beyond them a client is answered `503`. Fewer when the
   * process's limit on open files allows fewer.
   *
   * @default 256
   */
  maxConnections?: number;
  /**
   * Close a client's connection when it sends nothing for this many milliseconds while
   * a request is awaited, or takes no bytes of an answer for as long.
   *
   * @default 60000
   */
  clientTimeoutMs?: number;
  /**
   * Close a client's connection when its request's headers take longer than this many
   * milliseconds.
   *
   * @default 20000
   */
  headerTimeoutMs?: number;
  /** Told of each request once its answer has ended or was cut (the request log). */
  onRequest?: (served: ServedRequest) => void;
}

/** A running server. */
export interface ServeHandle {
  /** The endpoint URL that works from this machine, e.g. `http://127.0.0.1:8090`. */
  url: string;
  /** The URLs other machines of the LAN can use (when listening on all addresses). */
  lanUrls: string[];
  /** The port listened on. */
  port: number;
  /** What it has served so far (live). */
  stats: ServeStats;
  /** Its clients' connections: open, turned away, timed out (live). */
  connections: GuardCounts;
  /** Stops listening, ends open connections and upstream downloads (their partial files stay). */
  close(): Promise<void>;
}

/**
 * The port `serve` listens on by default.
 *
 * @example
 * ```ts
 * import { DEFAULT_SERVE_PORT } from "./serve_store.ts";
 * const endpoint = `http://127.0.0.1:${DEFAULT_SERVE_PORT}`;
 * ```
 */
export const DEFAULT_SERVE_PORT = 8090;

/**
 * Serves a store as a read-only Hugging Face endpoint.
 *
 * @example
 * ```ts
 * import { serveStore } from "./serve_store.ts";
 * const server = await serveStore("./models", { port: 0 });
 * console.log(server.url); // HF_ENDPOINT=… for any Hugging Face client
 * await server.close();
 * ```
 */
export async function serveStore(
  modelsDir: string,
  options: ServeOptions = {},
): Promise<ServeHandle> {
  const runtime = options.runtime ?? RuntimeDetector.current();
  const serverId = crypto.randomUUID();
  const stop = new AbortController();
  const upstreamUrl = options.upstream === undefined
    ? undefined
    : normalizeEndpoint(options.upstream);
  const settings = viewSettingsOf(modelsDir, {
    runtime,
    options,
    upstream: upstreamUrl === undefined
      ? undefined
      : { endpoint: upstreamUrl, serverId, signal: stop.signal },
  });
  const server = createServer((request, response) => {
    if (!guard.admits(request.socket)) return;
    answer(settings, { request, response, serverId, onRequest: options.onRequest });
  });
  const host = options.host ?? "127.0.0.1";
  const listener = new ListenerWatch(server, host);
  const guard = guardConnections(server, { ...limitsOf(runtime, options), listener });
  const port = await listen(server, { host, port: options.port ?? DEFAULT_SERVE_PORT });
  const close = async () => {
    stop.abort(new DOMException("the server is closing", "AbortError"));
    listener.stop();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    guard.sockets.forEach((socket) => socket.destroy());
    await closed;
    await settings.upstream?.settle();
  };
  if (upstreamUrl !== undefined) {
    try {
      await refuseSelfUpstream(upstreamUrl, { serverId, fetch: options.fetch });
    } catch (error) {
      await close();
      throw error;
    }
  }
  return {
    url: `http://${localHost(host)}:${port}`,
    lanUrls: lanUrlsOf(host, port),
    port,
    stats: settings.stats,
    connections: guard.counts,
    close,
  };
}

/** What the views of the store share: the options read once, and the upstream, if any. */
function viewSettingsOf(
  modelsDir: string,
  parts: {
    runtime: Runtime;
    options: ServeOptions;
    upstream?: { endpoint: string; serverId: string; signal: AbortSignal };
  },
): ViewSettings {
  const { runtime, options, upstream } = parts;
  return {
    runtime,
    modelsDir,
    allowPrivate: options.allowPrivate === true,
    hashes: new ComputedHashes(runtime),
    warn: options.onWarning ?? ((message: string) => console.warn(`warning: ${message}`)),
    stats: { requests: 0, bodyBytes: 0 },
    sendTimeoutMs: options.clientTimeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS,
    bodyBuffers: new BodyBuffers(),
    pullRate: new PullRate({ perMinute: options.pullsPerMinute ?? 30, now: options.now }),
    pulls: {
      any: options.pullAny === true,
      repos: new Set((options.pullRepos ?? []).map((repo) => repo.toLowerCase())),
    },
    upstream: upstream && new Upstream({
      ...upstream,
      runtime,
      modelsDir,
      token: options.token,
      fetch: options.fetch,
      idleTimeoutMs: options.idleTimeoutMs,
    }),
  };
}

/** Answers one request; a failure is a `500` (or a cut answer) and a warning, never a crash. */
function answer(
  settings: ViewSettings,
  exchange: {
    request: IncomingMessage;
    response: ServerResponse;
    serverId: string;
    onRequest?: (served: ServedRequest) => void;
  },
): void {
  const { request, response, serverId, onRequest } = exchange;
  const sent = { bytes: 0 };
  if (onRequest) watchRequest({ request, response, sent }, onRequest);
  handle(settings, { request, response, serverId, sent }).catch((error) => {
    if (!response.headersSent) {
      answerRefusal(response, { status: 500, message: "internal error" });
    } else {
      response.destroy();
    }
    settings.warn(`serve: ${error instanceof Error ? error.message : error}`);
  });
}

const DEFAULT_CLIENT_TIMEOUT_MS = 60_000;

/** The connection limits of the options, the cap lowered to what the open-files limit allows. */
function limitsOf(runtime: Runtime, options: ServeOptions): ConnectionLimits {
  let limitsText: string | undefined;
  try {
    limitsText = new TextDecoder().decode(runtime.readFileSync?.("/proc/self/limits"));
  } catch {
    // Not Linux, or not readable: the cap stands as asked.
  }
  return {
    maxConnections: connectionCapOf(limitsText, options.maxConnections ?? 256),
    headerTimeoutMs: options.headerTimeoutMs ?? 20_000,
    idleTimeoutMs: options.clientTimeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS,
  };
}

async function handle(
  settings: ViewSettings,
  exchange: {
    request: IncomingMessage;
    response: ServerResponse;
    serverId: string;
    sent: { bytes: number };
  },
): Promise<void> {
  const { request, response, serverId, sent } = exchange;
  settings.stats.requests++;
  response.setHeader(SERVE_ID_HEADER, serverId);
  const via = viaChainOf(headerText(request.headers[SERVE_VIA_HEADER.toLowerCase()]));
  if (via.includes(serverId)) {
    answerRefusal(response, { status: 508, message: "this request came back to the same server" });
    return;
  }
  const path = (request.url ?? "/").split("?")[0];
  if (path === "/api/models" || path === "/api/models/") {
    await answerSearch(settings, { request, response });
    return;
  }
  const route = routeOf(path);
  if (!route) {
    answerRefusal(response, { status: 404, message: `no route for ${path}` });
    return;
  }
  await answerRoute(settings, { request, response, route, sent });
}

function listen(
  server: ReturnType<typeof createServer>,
  at: { host: string; port: number },
): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", (error) => {
      const code = errorCodeOf(error);
      reject(
        new ModelManagerError(
          "config",
          code === "EADDRINUSE"
            ? `listen on ${at.host}:${at.port}: the port is in use`
            : `listen on ${at.host}:${at.port}: ${error.message}`,
          {
            hint: code === "EADDRINUSE"
              ? "choose another --port, or --port 0 for a free one"
              : "check --host and --port",
            cause: error,
          },
        ),
      );
    });
    server.listen(at.port, at.host, () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : at.port);
    });
  });
}

/** An address this machine can reach the server on. */
function localHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

function lanUrlsOf(host: string, port: number): string[] {
  if (host !== "0.0.0.0" && host !== "::" && host !== "") return [];
  const urls: string[] = [];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.internal || address.family !== "IPv4") continue;
      urls.push(`http://${address.address}:${port}`);
    }
  }
  return urls;
}
