/**
 * One record per request `serve` answered, for its request log.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";

/** One request `serve` answered (or whose answer was cut). */
export interface ServedRequest {
  /** `GET`, `HEAD`, `POST`. */
  method: string;
  /** The path and query asked for, as sent (non-printable characters as `?`). */
  path: string;
  /** The status answered. */
  status: number;
  /** Body bytes sent. */
  bytes: number;
  /** Milliseconds from the request to the end of its answer. */
  ms: number;
  /** The client's address. */
  client: string;
  /** The answer ended before all of it was sent. */
  cut: boolean;
}

/**
 * Calls `onServed` once when the answer to a request has ended or was cut; `sent`
 * counts the body bytes of a streamed file (other answers count their `Content-Length`).
 */
export function watchRequest(
  exchange: { request: IncomingMessage; response: ServerResponse; sent: { bytes: number } },
  onServed: (served: ServedRequest) => void,
): void {
  const { request, response, sent } = exchange;
  const started = performance.now();
  let told = false;
  const tell = () => {
    if (told) return;
    told = true;
    const finished = response.writableFinished;
    const declared = Number(response.getHeader("content-length") ?? 0);
    const whole = finished && request.method !== "HEAD" && response.statusCode !== 304
      ? declared || 0
      : 0;
    onServed({
      method: request.method ?? "GET",
      path: (request.url ?? "/").replace(/[^\x21-\x7e]/g, "?"),
      status: response.statusCode,
      bytes: Math.max(sent.bytes, whole),
      ms: Math.round(performance.now() - started),
      client: request.socket.remoteAddress ?? "",
      cut: !finished,
    });
  };
  response.once("finish", tell);
  response.once("close", tell);
}
