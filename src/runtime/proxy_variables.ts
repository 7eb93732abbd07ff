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
export function proxyVariable(env: EnvReader, name: string): string | undefined {
  return env(name.toLowerCase()) || env(name) || undefined;
}

/**
 * Whether `HTTPS_PROXY`, `HTTP_PROXY` or `ALL_PROXY` names a proxy, in either case.
 */
export function namesAProxy(env: EnvReader): boolean {
  return ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"].some((name) => proxyVariable(env, name));
}

/** Whether `NO_PROXY` (`host`, `.suffix`, `host:port`, `*`) names the URL's host. */
function bypassesProxy(url: URL, env: EnvReader): boolean {
  const entries = (proxyVariable(env, "NO_PROXY") ?? "").split(/[\s,]+/).filter(Boolean);
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return entries.some((entry) => {
    if (entry === "*") return true;
    const [name, entryPort] = entry.toLowerCase().replace(/^\*/, "").split(/:(?=\d+$)/);
    if (entryPort && entryPort !== port) return false;
    const bare = name.replace(/^\./, "");
    return host === bare || host.endsWith(`.${bare}`);
  });
}

/**
 * The proxy URL for a request URL, or `undefined` to go directly.
 */
export function proxyFor(url: URL, env: EnvReader): URL | undefined {
  const named = url.protocol === "https:"
    ? proxyVariable(env, "HTTPS_PROXY")
    : url.protocol === "http:"
    ? proxyVariable(env, "HTTP_PROXY")
    : undefined;
  const proxy = named ?? proxyVariable(env, "ALL_PROXY");
  if (!proxy || bypassesProxy(url, env)) return undefined;
  try {
    return new URL(proxy.includes("://") ? proxy : `http://${proxy}`);
  } catch {
    return undefined;
  }
}
