/**
 * The one HTTP helper: sends a request with the token scoped to the Hub's origin,
 * follows redirects by hand (bounded, `http:`/`https:` only, dropping
 * `Authorization` on any hop that leaves the endpoint's origin), bounds the wait
 * for an answer by the connection's request timeout, and turns network failures
 * and timeouts into retryable errors.
 *
 * @module
 */
import { errorSignals, ModelManagerError } from "../errors.ts";
import { anySignal } from "./abort_signals.ts";
import { DEFAULT_REQUEST_TIMEOUT_MS, type HubConnection } from "./hub_connection.ts";
import { errorForResponse, type RequestContext, unexpectedAnswer } from "./hub_errors.ts";
import { DEFAULT_MAX_JSON_BYTES, readBoundedText } from "./read_body.ts";
import { retryableError, withRetry } from "./retry.ts";

/**
 * The longest redirect chain followed.
 */
export const MAX_REDIRECTS = 10;

/** How to send one request. */
export interface SendOptions {
  /** `GET` or `HEAD`. */
  method?: "GET" | "HEAD";
  headers?: Record<string, string>;
  /**
   * Return the redirect to another origin that carries the Hub's file metadata
   * (`X-Repo-Commit`, `X-Linked-Size`, `X-Linked-Etag`: the hop to a CDN) instead
   * of following it. Redirects within the origin, and alias hops to another host
   * without that metadata (`hf.co` to `huggingface.co`), are followed.
   */
  stopAtFileRedirect?: boolean;
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

/**
 * The error raised when `HF_HUB_OFFLINE` forbids a request.
 */
export function offlineError(action: string): ModelManagerError {
  const error = new ModelManagerError(
    "offline",
    `${action}: HF_HUB_OFFLINE is set, so no request is sent`,
    {
      hint:
        "unset HF_HUB_OFFLINE to reach the Hub; local commands (list, info, verify, remove) work offline",
    },
  );
  errorSignals(error).offlineRefusal = true;
  return error;
}

/**
 * Sends one request to a Hub URL (or to a URL it redirected to).
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
      if (connection.tokenCookie) {
        headers.set("Cookie", `${connection.tokenCookie}=${connection.token}`);
      }
    }
    const response = await fetchOnce(connection, current, {
      method: options.method ?? "GET",
      headers,
      signal,
    });
    const location = response.headers.get("location");
    const isRedirect = response.status >= 300 && response.status < 400 && location !== null;
    if (!isRedirect) {
      return { response, url: current };
    }
    await response.body?.cancel().catch(() => {});
    if (hop + 1 >= MAX_REDIRECTS) {
      throw new ModelManagerError(
        "network",
        `too many redirects from ${url.pathname}: more than ${MAX_REDIRECTS} hops`,
        {
          hint: "the server or a proxy is redirecting in a loop; check --endpoint / HF_ENDPOINT",
        },
      );
    }
    const next = new URL(location, current);
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      throw new ModelManagerError("network", `cannot follow a redirect to a ${next.protocol} URL`, {
        hint: "only http: and https: redirects are followed; check --endpoint / HF_ENDPOINT",
      });
    }
    if (
      options.stopAtFileRedirect && next.origin !== current.origin &&
      carriesFileMetadata(response.headers)
    ) {
      return { response, url: current };
    }
    current = next;
  }
}

/** Whether a redirect states a file's identity, so it is the Hub's hop to a CDN, not an alias. */
function carriesFileMetadata(headers: Headers): boolean {
  return ["x-repo-commit", "x-linked-size", "x-linked-etag"].some((name) => headers.has(name));
}

/**
 * One `fetch` without following redirects, failing retryably when no answer
 * comes within the request timeout or the runtime gives up on its own (Bun's
 * fetch has its own timeout); only an abort of the caller's signals escapes as is.
 */
async function fetchOnce(
  connection: HubConnection,
  url: URL,
  init: { method: string; headers: Headers; signal?: AbortSignal },
): Promise<Response> {
  const timeoutMs = connection.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const timer = new AbortController();
  const timeout = setTimeout(
    () => timer.abort(new DOMException("no answer", "TimeoutError")),
    timeoutMs,
  );
  try {
    return await connection.fetch(url, {
      ...init,
      redirect: "manual",
      signal: anySignal(init.signal, timer.signal),
    });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    const atEndpoint = url.origin === new URL(connection.endpoint).origin;
    const unreachable = !timer.signal.aborted && atEndpoint ? unreachableReason(error) : undefined;
    if (unreachable) throw endpointUnreachable(connection.endpoint, unreachable, error);
    const what = timer.signal.aborted
      ? `no answer within ${Number((timeoutMs / 1000).toFixed(1))} s`
      : describeNetworkError(error);
    throw retryableError(`connect to ${url.origin}: ${what}`, {
      cause: error,
      hint:
        `check the network connection and the endpoint (${connection.endpoint}); the command resumes when run again`,
    });
  } finally {
    clearTimeout(timeout);
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

/** What {@linkcode getJson} asks for. */
export interface JsonRequest {
  /** The Hub API URL to GET. */
  url: URL;
  /** What the request is for, to word its errors. */
  context: RequestContext;
  /** Words the error for a failed answer in the source's own terms. */
  errorFor?: (response: Response, context: RequestContext) => Promise<ModelManagerError>;
}

/**
 * GETs a Hub API URL and parses its JSON answer (at most `connection.maxJsonBytes`),
 * retrying what can succeed later. Answers the parsed body, the response headers
 * (for `Link` pagination) and the URL that answered (after redirects).
 */
export function getJson(
  connection: HubConnection,
  request: JsonRequest,
): Promise<{ body: unknown; headers: Headers; url: URL }> {
  const { url, context } = request;
  return withRetry(async () => {
    const { response, url: answeredBy } = await sendRequest(connection, url, {
      headers: { Accept: "application/json" },
    });
    if (!response.ok) {
      throw await (request.errorFor ?? errorForResponse)(response, {
        ...context,
        answeredBy,
        timeoutMs: connection.timeoutMs,
      });
    }
    const text = await readBoundedText(response, connection.endpoint, {
      maxBytes: connection.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES,
      idleTimeoutMs: connection.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      action: context.action,
    });
    try {
      return { body: JSON.parse(text), headers: response.headers, url: answeredBy };
    } catch (error) {
      throw unexpectedAnswer(
        `${context.action}: the Hub answered with invalid JSON`,
        { endpoint: connection.endpoint, cause: error },
      );
    }
  }, {
    ...connection.retry,
    signal: connection.signal,
    onRetry: connection.onRetry,
    clock: connection.clock,
  });
}
