/**
 * The one builder of a request's {@linkcode RequestContext}: what an error
 * about the request names (repository, file, revision, action) plus what the
 * connection knows (endpoint, whether a token is sent, the timeout).
 *
 * @module
 */
import type { HubConnection } from "./hub_connection.ts";
import type { RequestContext } from "./hub_errors.ts";
/** What a request is about; the rest of its context comes from the connection. */
export type RequestSubject = Omit<RequestContext, "endpoint" | "hasToken" | "timeoutMs">;
/**
 * The context of a request sent over `connection` about `subject`.
 */
export declare function requestContext(connection: HubConnection, subject: RequestSubject): RequestContext;
