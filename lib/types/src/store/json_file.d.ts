/**
 * The one way to read a JSON file and check its shape: read, parse, check,
 * and answer what happened as data, so each caller decides in one place what
 * a missing, unreadable, corrupt or ill-shaped file means to it (warn, throw,
 * or fall back).
 *
 * @module
 */
import { type Runtime } from "../runtime/runtime.ts";
import { type SafePlace } from "./safe_path.ts";
/**
 * What reading a JSON file found:
 * - `ok`: it parsed and passed the check; `value` is the parsed content;
 * - `missing`: the file does not exist (`error` is the runtime's `ENOENT` error);
 * - `unreadable`: reading it failed otherwise (`error`: permissions, a directory, a link
 *   on the way to a {@linkcode SafePlace}, more than `maxBytes`, …);
 * - `corrupt`: it is not JSON (`error` is the parser's);
 * - `invalid`: it is JSON, but the check found `problem`; `value` is the parsed content.
 */
export type JsonFileRead<T> = {
    status: "ok";
    value: T;
} | {
    status: "missing";
    error: unknown;
} | {
    status: "unreadable";
    error: unknown;
} | {
    status: "corrupt";
    error: unknown;
} | {
    status: "invalid";
    problem: string;
    value: unknown;
};
/** How to check what a JSON file holds. */
export interface JsonFileOptions {
    /** Says what is wrong with the parsed value, or `undefined` when its shape is right. */
    check?: (value: unknown) => string | undefined;
    /** Refuse a larger file as `unreadable` (only for a {@linkcode SafePlace}), reading no more. */
    maxBytes?: number;
}
/**
 * Reads `path`, parses it as JSON and checks its shape with `options.check`.
 * Never throws for a missing, unreadable or corrupt file: the answer says which.
 * A {@linkcode SafePlace} is read inside its store, through no symbolic link.
 */
export declare function readJsonFile<T = unknown>(runtime: Runtime, path: string | SafePlace, options?: JsonFileOptions): Promise<JsonFileRead<T>>;
/**
 * Whether a parsed JSON value is an object (not `null`, not an array): the
 * first check of most shapes.
 */
export declare function isJsonObject(value: unknown): value is Record<string, unknown>;
