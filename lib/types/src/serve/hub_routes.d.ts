import type { IncomingMessage, ServerResponse } from "node:http";
import { type HubRefusal, type ViewSettings } from "./repo_views.ts";
/** A request's route, decoded. */
export type Route = {
    kind: "info";
    repo: string;
    revision: string;
} | {
    kind: "tree";
    repo: string;
    revision: string;
    path: string;
} | {
    kind: "paths-info";
    repo: string;
    revision: string;
} | {
    kind: "resolve";
    repo: string;
    revision: string;
    path: string;
};
/**
 * The route of a request path (raw, percent-encoded); `undefined` when it is none of them.
 */
export declare function routeOf(rawPath: string): Route | undefined;
/**
 * Answers one routed request.
 */
export declare function answerRoute(settings: ViewSettings, exchange: {
    request: IncomingMessage;
    response: ServerResponse;
    route: Route;
    /** Counts the body bytes of a file sent. */
    sent?: {
        bytes: number;
    };
}): Promise<void>;
/**
 * Answers an error as the Hub does: `X-Error-Code`, `X-Error-Message` and `{"error": …}`.
 */
export declare function answerRefusal(response: ServerResponse, refusal: HubRefusal): void;
