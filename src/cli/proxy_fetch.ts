/**
 * A `fetch` that sends requests through the proxy named by the environment
 * (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`), for the Node.js
 * versions whose `fetch` ignores these variables and offers no switch to read
 * them (Node.js 20 and 22). `https:` requests go through a `CONNECT` tunnel,
 * `http:` ones in absolute form; everything else is the global `fetch`.
 *
 * @module
 */
import * as http from "node:http";
import * as https from "node:https";
import type { Socket } from "node:net";
import { Readable } from "node:stream";
import * as tls from "node:tls";
import { type EnvReader, namesAProxy, proxyFor } from "../runtime/proxy_variables.ts";
import { requestUrl } from "../runtime/request_url.ts";

/** Statuses whose response has no body, which `Response` refuses one for. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username) return {};
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { "proxy-authorization": `Basic ${btoa(credentials)}` };
}

/** Opens a `CONNECT` tunnel to `target` through `proxy`. */
function openTunnel(proxy: URL, target: URL, signal?: AbortSignal): Promise<Socket> {
  const authority = `${target.hostname}:${target.port || "443"}`;
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: proxy.hostname,
      port: proxy.port || 80,
      method: "CONNECT",
      path: authority,
      headers: { host: authority, ...proxyAuthorization(proxy) },
      signal,
    });
    request.once("connect", (answer, socket) => {
      if (answer.statusCode === 200) return resolve(socket);
      socket.destroy();
      reject(new Error(`the proxy answered ${answer.statusCode} to CONNECT ${authority}`));
    });
    request.once("error", reject);
    request.end();
  });
}

function headersOf(answer: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (let index = 0; index + 1 < answer.rawHeaders.length; index += 2) {
    headers.append(answer.rawHeaders[index], answer.rawHeaders[index + 1]);
  }
  return headers;
}

function responseOf(answer: http.IncomingMessage, method: string): Response {
  const status = answer.statusCode ?? 502;
  const empty = method === "HEAD" || NULL_BODY_STATUSES.has(status);
  if (empty) answer.resume();
  const body = empty ? null : Readable.toWeb(answer) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, {
    status,
    statusText: answer.statusMessage ?? "",
    headers: headersOf(answer),
  });
}

/** A network failure, shaped as `fetch` reports one (a `TypeError` with the cause). */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError("fetch failed", { cause });
}

async function proxiedRequest(url: URL, proxy: URL, init: RequestInit): Promise<Response> {
  const method = (init.method ?? "GET").toUpperCase();
  const headers = Object.fromEntries(new Headers(init.headers ?? {}).entries());
  const signal = init.signal ?? undefined;
  const options: https.RequestOptions = url.protocol === "https:"
    ? {
      host: url.hostname,
      port: url.port || 443,
      path: url.pathname + url.search,
      servername: url.hostname,
      createConnection: undefined,
    }
    : {
      host: proxy.hostname,
      port: proxy.port || 80,
      path: url.href,
      headers: proxyAuthorization(proxy),
    };
  if (url.protocol === "https:") {
    const socket = await openTunnel(proxy, url, signal).catch((error) => {
      throw signal?.aborted ? signal.reason : fetchFailed(error);
    });
    options.createConnection = () => tls.connect({ socket, servername: url.hostname });
  }
  const send = url.protocol === "https:" ? https.request : http.request;
  return await new Promise<Response>((resolve, reject) => {
    const request = send({
      ...options,
      method,
      headers: { host: url.host, ...headers, ...options.headers },
      signal,
    }, (answer) => resolve(responseOf(answer, method)));
    request.once("error", (error) => reject(signal?.aborted ? signal.reason : fetchFailed(error)));
    request.end();
  });
}

/**
 * A `fetch` that honours the proxy variables read through `env`, or
 * `undefined` when none is set (the global `fetch` is then right as it is).
 * Redirects are not followed here: callers send `redirect: "manual"`.
 */
export function createProxyFetch(env: EnvReader): typeof fetch | undefined {
  if (!namesAProxy(env)) return undefined;
  return function proxyFetch(input: RequestInfo | URL, init: RequestInit = {}) {
    const url = requestUrl(input);
    const proxy = proxyFor(url, env);
    if (!proxy) return fetch(input, init);
    return proxiedRequest(url, proxy, init);
  } as typeof fetch;
}
