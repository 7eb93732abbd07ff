/**
 * Model search (`GET /api/models?…`) on a mirror: asked of upstream with the
 * mirror's own token (never a client's), its `Link` pages pointed back at the
 * mirror; without an upstream, refused in plain words.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ViewSettings } from "./repo_views.ts";
/**
 * Answers a model search from upstream, or says the mirror has none.
 */
export declare function answerSearch(settings: ViewSettings, exchange: {
    request: IncomingMessage;
    response: ServerResponse;
}): Promise<void>;
