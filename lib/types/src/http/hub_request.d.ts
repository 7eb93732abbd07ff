/**
 * The one HTTP helper: sends a request with the token scoped to the Hub's origin,
 * follows redirects by hand (bounded, `http:`/`https:` only, dropping
 * `Authorization` on any hop that leaves the endpoint's origin), bounds the wait
 * for an answer by the connection's request timeout, and turns network failures
 * and timeouts into retryable errors.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import { type HubConnection } from "./hub_connection.ts";
import { type RequestContext } from "./hub_errors.ts";
/**
 * The longest redirect chain followed.
 */
export declare const MAX_REDIRECTS = 10;
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
export declare function offlineError(action: string): ModelManagerError;
/**
 * Sends one request to a Hub URL (or to a URL it redirected to).
 */
export declare function sendRequest(connection: HubConnection, url: URL, options?: SendOptions): Promise<SentRequest>;
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
export declare function getJson(connection: HubConnection, request: JsonRequest): Promise<{
    body: unknown;
    headers: Headers;
    url: URL;
}>;
