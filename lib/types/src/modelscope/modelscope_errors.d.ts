/**
 * Turns ModelScope's error answers (an HTTP status and the `Code/Message`
 * envelope) into {@linkcode ModelManagerError}s worded as ModelScope users
 * know them, with what to do next (`MODELSCOPE_API_TOKEN`, `--source`).
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import { type RequestContext } from "../http/hub_errors.ts";
/**
 * The error for a failed ModelScope answer. Retryable statuses keep the shared wording
 * and retry policy.
 */
export declare function errorForModelScope(response: Response, context: RequestContext): Promise<ModelManagerError>;
/**
 * The error for a revision ModelScope does not have.
 */
export declare function revisionNotFound(repo: string, revision: string): ModelManagerError;
/**
 * The error for a file path ModelScope does not list.
 */
export declare function fileNotFound(repo: string, file: string): ModelManagerError;
/**
 * Reads an envelope's `Data`, or fails when `Code` is not 200 or `Success` is false.
 */
export declare function envelopeData(body: unknown, action: string): Record<string, unknown>;
