/**
 * The environment variables that name a proxy, read as curl and the runtimes
 * read them: the lower-case spelling first, then the upper-case one; and the
 * proxy they choose for a URL (`NO_PROXY` exempting hosts).
 *
 * @module
 */
/** Reads an environment variable. */
export type EnvReader = (name: string) => string | undefined;
/**
 * A proxy variable's value (`name` in upper case), or `undefined` when unset or empty.
 */
export declare function proxyVariable(env: EnvReader, name: string): string | undefined;
/**
 * Whether `HTTPS_PROXY`, `HTTP_PROXY` or `ALL_PROXY` names a proxy, in either case.
 */
export declare function namesAProxy(env: EnvReader): boolean;
/**
 * The proxy URL for a request URL, or `undefined` to go directly.
 */
export declare function proxyFor(url: URL, env: EnvReader): URL | undefined;
