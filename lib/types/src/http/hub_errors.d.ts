/**
 * Turns the Hub's error answers (status, `X-Error-Code`, `X-Error-Message`, JSON
 * body) into {@linkcode ModelManagerError}s with hints users can act on.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
/** What was being asked for, so the error can name it. */
export interface RequestContext {
    /** `owner/name`. */
    repo?: string;
    /** A file path inside the repository. */
    file?: string;
    revision?: string;
    /** The Hub's base URL, for links in hints. */
    endpoint: string;
    /** Whether a token was sent. */
    hasToken: boolean;
    /** A short description of the request ("read repo info"), starting with a verb. */
    action: string;
    /** The URL that answered, when redirects led away from the endpoint (a Hub alias). */
    answeredBy?: URL;
    /** The request timeout, for reading the error's body. */
    timeoutMs?: number;
}
/** Options for {@linkcode unexpectedAnswer}. */
export interface UnexpectedAnswerOptions {
    /** The endpoint that answered, named in the hint. */
    endpoint: string;
    /** The error behind it (e.g. a JSON parse error). */
    cause?: unknown;
}
/**
 * The error for an answer that no Hugging Face Hub would give (not JSON, no
 * commit, an unexpected status): most likely the endpoint is not a Hub.
 */
export declare function unexpectedAnswer(message: string, options: UnexpectedAnswerOptions): ModelManagerError;
/**
 * Whether an HTTP status is worth retrying.
 */
export declare function isRetryableStatus(status: number): boolean;
/**
 * The error for a response that is not a success. Its message says what was wrong
 * (`cannot find repository acme/nope on the Hub`); its hint what to do.
 */
export declare function errorForResponse(response: Response, context: RequestContext): Promise<ModelManagerError>;
