/**
 * Proxies from the environment (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`) for
 * the CLI's requests. Deno's and Bun's `fetch` read these variables by
 * themselves; Node.js 24 reads them only with `NODE_USE_ENV_PROXY=1`, so the
 * CLI asks `node:http` to apply them where it can. The library leaves the
 * process-wide `fetch` alone: an application decides that, not a dependency.
 *
 * @module
 */
import * as http from "node:http";
import type { Runtime } from "../runtime/runtime.ts";
import { createProxyFetch } from "./proxy_fetch.ts";

/**
 * The variables that name a proxy, in the spellings the runtimes read.
 */
export const PROXY_VARIABLES: readonly string[] = [
  "HTTPS_PROXY",
  "https_proxy",
  "HTTP_PROXY",
  "http_proxy",
];

/**
 * Makes the global `fetch` honour the proxy variables, when one is set and the
 * runtime offers `http.setGlobalProxyFromEnv` (Node.js 24; a harmless no-op
 * on Deno and Bun, whose `fetch` honours them anyway). Answers whether it did.
 */
export function applyEnvProxy(runtime: Runtime): boolean {
  if (!PROXY_VARIABLES.some((name) => runtime.env(name))) return false;
  const setGlobalProxyFromEnv = (http as { setGlobalProxyFromEnv?: () => unknown })
    .setGlobalProxyFromEnv;
  if (typeof setGlobalProxyFromEnv !== "function") return false;
  setGlobalProxyFromEnv();
  return true;
}

/**
 * Applies the proxy variables for this process and answers the `fetch` the CLI
 * must use for them when the global one cannot (Node.js before 24 has no
 * `http.setGlobalProxyFromEnv`); `undefined` when the global `fetch` is right.
 */
export function envProxyFetch(runtime: Runtime): typeof fetch | undefined {
  if (applyEnvProxy(runtime) || runtime.name !== "node") return undefined;
  return createProxyFetch((name) => runtime.env(name));
}
