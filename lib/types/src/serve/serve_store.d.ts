import { type Runtime } from "../runtime/runtime.ts";
import { type GuardCounts } from "./connection_guard.ts";
import type { ServeStats } from "./repo_views.ts";
import { type ServedRequest } from "./request_log.ts";
/** Options of {@linkcode serveStore}. */
export interface ServeOptions {
    /**
     * The address to listen on; `0.0.0.0` serves the LAN.
     *
     * @default "127.0.0.1"
     */
    host?: string;
    /**
     * The port; 0 picks a free one.
     *
     * @default 8090
     */
    port?: number;
    /** Pull what the store lacks from this Hub or mirror; without it, only the store is served. */
    upstream?: string;
    /** The mirror's own token for upstream (never a client's). */
    token?: string;
    /**
     * With an upstream, pull any repository it has; without it, only those the store
     * holds and those in `pullRepos`.
     */
    pullAny?: boolean;
    /** Repositories (`owner/name`) pulled from upstream though the store lacks them. */
    pullRepos?: string[];
    /**
     * New upstream pulls each client address may start per minute.
     *
     * @default 30
     */
    pullsPerMinute?: number;
    /**
     * The clock of the pull rate.
     *
     * @default `Date.now`
     */
    now?: () => number;
    /** Serve private and gated repositories too; without it they are refused. */
    allowPrivate?: boolean;
    /**
     * The runtime adapter.
     *
     * @default detected
     */
    runtime?: Runtime;
    /**
     * The `fetch` used for upstream.
     *
     * @default the global `fetch`
     */
    fetch?: typeof fetch;
    /**
     * Told about problems that do not stop the server.
     *
     * @default `console.warn`
     */
    onWarning?: (message: string) => void;
    /** Restart an upstream request after this many milliseconds without a byte. */
    idleTimeoutMs?: number;
    /**
     * Connections open at once; beyond them a client is answered `503`. Fewer when the
     * process's limit on open files allows fewer.
     *
     * @default 256
     */
    maxConnections?: number;
    /**
     * Close a client's connection when it sends nothing for this many milliseconds while
     * a request is awaited, or takes no bytes of an answer for as long.
     *
     * @default 60000
     */
    clientTimeoutMs?: number;
    /**
     * Close a client's connection when its request's headers take longer than this many
     * milliseconds.
     *
     * @default 20000
     */
    headerTimeoutMs?: number;
    /** Told of each request once its answer has ended or was cut (the request log). */
    onRequest?: (served: ServedRequest) => void;
}
/** A running server. */
export interface ServeHandle {
    /** The endpoint URL that works from this machine, e.g. `http://127.0.0.1:8090`. */
    url: string;
    /** The URLs other machines of the LAN can use (when listening on all addresses). */
    lanUrls: string[];
    /** The port listened on. */
    port: number;
    /** What it has served so far (live). */
    stats: ServeStats;
    /** Its clients' connections: open, turned away, timed out (live). */
    connections: GuardCounts;
    /** Stops listening, ends open connections and upstream downloads (their partial files stay). */
    close(): Promise<void>;
}
/**
 * The port `serve` listens on by default.
 *
 * @example
 * ```ts
 * import { DEFAULT_SERVE_PORT } from "./serve_store.ts";
 * const endpoint = `http://127.0.0.1:${DEFAULT_SERVE_PORT}`;
 * ```
 */
export declare const DEFAULT_SERVE_PORT = 8090;
/**
 * Serves a store as a read-only Hugging Face endpoint.
 *
 * @example
 * ```ts
 * import { serveStore } from "./serve_store.ts";
 * const server = await serveStore("./models", { port: 0 });
 * console.log(server.url); // HF_ENDPOINT=… for any Hugging Face client
 * await server.close();
 * ```
 */
export declare function serveStore(modelsDir: string, options?: ServeOptions): Promise<ServeHandle>;
