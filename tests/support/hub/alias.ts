/**
 * The alias listener (`options.aliasHost`): a host such as `hf.co` that answers every request,
 * API included, with an absolute redirect to the same path and query on the hub listener,
 * carrying none of the Hub's metadata (`X-Repo-Commit`, `X-Linked-*`).
 *
 * @module
 */
import type { Exchange } from "./exchange.ts";
import { bytesPayload, respond } from "./responses.ts";

const encoder = new TextEncoder();

/** Answer an alias request: 307 (or the configured 308) to the hub listener. */
export function redirectToHub(ex: Exchange): Promise<void> {
  const status = ex.hub.options.aliasHost?.status ?? 307;
  const location = ex.hub.endpoint + ex.record.url;
  const reason = status === 308 ? "Permanent Redirect" : "Temporary Redirect";
  const body = encoder.encode(`${reason}. Redirecting to ${location}`);
  return respond(ex, {
    status,
    headers: { "Location": location, "Content-Type": "text/plain; charset=utf-8" },
    payload: bytesPayload(body),
  });
}
