/**
 * The one HTTP helper: sends a request with the token scoped to the Hub's origin,
 * follows redirects by hand (bounded, `http:`/`https:` only, dropping
 * `Authorization` on any hop that leaves the endpoint's origin), and turns
 * network failures into retryable errors.
 *
 * @module
 */
import { isAbortError, ModelManagerError } from "../errors.ts";
import { anySignal } from "./abort_signals.ts";
import type { HubConnection } from "./hub_connection.ts";
import { errorForResponse, type RequestContext, unexpectedAnswer } from "./hub_errors.ts";
import { retryableError, withRetry } from "./retry.ts";

/** The longest redirect chain followed. */
export const MAX_REDIRECTS = 10;

/** How to send one request. */
export interface SendOptions {
  /** `GET` (default) or `HEAD`. */
  method?: "GET" | "HEAD";
  /** Extra headers. */
  headers?: Record<string, string>;
  /** Follow only redirects within the endpoint's origin; return the 3xx that leaves it. */
  stopAtOtherOrigin?: boolean;
  /** Aborts this request only (for example an idle timeout); the connection's signal still applies. */
  signal?: AbortSignal;
}

/** A response and the URL that answered it. */
export interface SentRequest {
  /** The final response. */
  response: Response;
  /** The URL that answered. */
  url: URL;
}

/** The error raised when `HF_HUB_OFFLINE` forbids a request. */
export function offlineError(action: string): ModelManagerError {
  return new ModelManagerError(
    "offline",
    `${action}: HF_HUB_OFFLINE is set, so no request is sent`,
    {
      hint:
        "unset HF_HUB_OFFLINE to reach the Hub; local commands (list, info, verify, remove) work offline",
    },
  );
}

/**
 * Sends one request to a Hub URL (or to a URL it redirected to).
 *
 * @example
 * ```ts
 * import { sendRequest } from "./hub_request.ts";
 * const { response } = await sendRequest(
 *   { endpoint: "https://huggingface.co", fetch, retry: {}, offline: false },
 *   new URL("https://huggingface.co/api/models/owner/name"),
 * );
 * ```
 */
export async function sendRequest(
  connection: HubConnection,
  url: URL,
  options: SendOptions = {},
): Promise<SentRequest> {
  if (connection.offline) throw offlineError(`request ${url.pathname}`);
  const endpointOrigin = new URL(connection.endpoint).origin;
  const signal = anySignal(connection.signal, options.signal);
  let current = url;
  for (let hop = 0;; hop++) {
    const headers = new Headers(options.headers);
    if (connection.token && current.origin === endpointOrigin) {
      headers.set("Authorization", `Bearer ${connection.token}`);
    }
    let response: Response;
    try {
      response = await connection.fetch(current, {
        method: options.method ?? "GET",
        headers,
        redirect: "manual",
        signal,
      });
    } catch (error) {
      if (isAbortError(error) || signal?.aborted) throw error;
      const unreachable = current.origin === endpointOrigin ? unreachableReason(error) : undefined;
      if (unreachable) throw endpointUnreachable(connection.endpoint, unreachable, error);
      throw retryableError(`connect to ${current.origin}: ${describeNetworkError(error)}`, {
        cause: error,
        hint:
          `check the network connection and the endpoint (${connection.endpoint}); the command resumes when run again`,
      });
    }
    const location = response.headers.get("location");
    const isRedirect = response.status >= 300 && response.status < 400 && location !== null;
    if (!isRedirect) {
      return { response, url: current };
    }
    await response.body?.cancel().catch(() => {});
    if (hop + 1 >= MAX_REDIRECTS) {
      throw new ModelManagerError(
        "network",
        `follow redirects from ${url.pathname}: more than ${MAX_REDIRECTS} hops`,
        {
          hint: "the server or a proxy is redirecting in a loop; check --endpoint / HF_ENDPOINT",
        },
      );
    }
    const next = new URL(location, current);
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      throw new ModelManagerError("network", `follow a redirect to a ${next.protocol} URL`, {
        hint: "only http: and https: redirects are followed; check --endpoint / HF_ENDPOINT",
      });
    }
    if (options.stopAtOtherOrigin && next.origin !== endpointOrigin) {
      return { response, url: current };
    }
    current = next;
  }
}

/**
 * Why the endpoint cannot be reached, when retrying would not help: its name does not
 * resolve (offline, or a wrong URL) or nothing listens there. Each runtime words it its way.
 */
function unreachableReason(error: unknown): "dns" | "refused" | undefined {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } })?.cause;
  const text = [
    (error as { code?: unknown })?.code,
    error instanceof Error ? error.message : "",
    cause?.code,
    cause?.message,
  ].join(" ");
  if (/ENOTFOUND|EAI_AGAIN|dns error|failed to lookup address|name resolution/i.test(text)) {
    return "dns";
  }
  if (/ECONNREFUSED|connection refused/i.test(text)) return "refused";
  return undefined;
}

function endpointUnreachable(
  endpoint: string,
  reason: "dns" | "refused",
  cause: unknown,
): ModelManagerError {
  const host = new URL(endpoint).host;
  return new ModelManagerError(
    "network",
    reason === "dns"
      ? `cannot resolve ${host}: ${describeNetworkError(cause)}`
      : `cannot connect to ${host}: the connection was refused`,
    {
      cause,
      hint: reason === "dns"
        ? "is this machine offline? check the network, or the Hub URL (--endpoint / HF_ENDPOINT); with HF_HUB_OFFLINE=1, complete models still answer from the store"
        : "nothing listens there: check the Hub URL (--endpoint / HF_ENDPOINT) or the proxy",
    },
  );
}

function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? cause.message : "";
  return detail && !error.message.includes(detail) ? `${error.message} (${detail})` : error.message;
}

/**
 * GETs a Hub API URL and parses its JSON answer, retrying what can succeed later.
 * Answers the parsed body and the response headers (for `Link` pagination).
 *
 * @example
 * ```ts
 * import { getJson } from "./hub_request.ts";
 * const { body } = await getJson(
 *   { endpoint: "https://huggingface.co", fetch, retry: {}, offline: false },
 *   new URL("https://huggingface.co/api/models/owner/name"),
 *   { endpoint: "https://huggingface.co", hasToken: false, action: "read repo info" },
 * );
 * ```
 */
export function getJson(
  connection: HubConnection,
  url: URL,
  context: RequestContext,
): Promise<{ body: unknown; headers: Headers }> {
  return withRetry(async () => {
    const { response } = await sendRequest(connection, url, {
      headers: { Accept: "application/json" },
    });
    if (!response.ok) throw await errorForResponse(response, context);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw retryableError(`${context.action}: the connection broke while reading the answer`, {
        cause: error,
      });
    }
    try {
      return { body: JSON.parse(text), headers: response.headers };
    } catch (error) {
      throw unexpectedAnswer(
        `${context.action}: the Hub answered with invalid JSON`,
        connection.endpoint,
        error,
      );
    }
  }, { ...connection.retry, signal: connection.signal, onRetry: connection.onRetry });
}
