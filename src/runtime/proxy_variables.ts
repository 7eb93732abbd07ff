/**
 * The environment variables that name a proxy, read as curl and the runtimes
 * read them: the lower-case spelling first, then the upper-case one.
 *
 * @module
 */

/** Reads an environment variable. */
export type EnvReader = (name: string) => string | undefined;

/**
 * A proxy variable's value (`name` in upper case), or `undefined` when unset or empty.
 */
export function proxyVariable(env: EnvReader, name: string): string | undefined {
  return env(name.toLowerCase()) || env(name) || undefined;
}

/**
 * Whether `HTTPS_PROXY`, `HTTP_PROXY` or `ALL_PROXY` names a proxy, in either case.
 */
export function namesAProxy(env: EnvReader): boolean {
  return ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"].some((name) => proxyVariable(env, name));
}
