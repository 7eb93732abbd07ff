import { type Runtime } from "./runtime.ts";
import { type EnvReader } from "./proxy_variables.ts";
/**
 * The transport for a Hub request to `url`: `node:http`, whose agents apply
 * proxies, where the proxy variables read through `env` send it through a
 * proxy; else bare sockets (a host `NO_PROXY` exempts, such as a mirror on the LAN).
 */
export declare function nodeHubTransport(url: URL, env: EnvReader): typeof fetch;
/**
 * Creates the `node:fs` based runtime used on Node.js and Bun.
 */
export declare function createNodeRuntime(name: "node" | "bun"): Runtime;
