/**
 * What every store operation shares: the runtime, the models directory, the
 * Hub connection and where warnings go.
 *
 * @module
 */
import type { HubConnection } from "../http/hub_connection.ts";
import type { Runtime } from "../runtime/runtime.ts";
import type { RepoSource } from "../source/repo_source.ts";
/** The resolved settings an operation runs with. */
export interface StoreContext {
    /** File system and process access. */
    runtime: Runtime;
    /** The absolute models directory, its links resolved (every link below it is foreign). */
    modelsDir: string;
    /** The Hub connection (endpoint, token, fetch, signal, retry, offline). */
    connection: HubConnection;
    /** The hub repositories are read from. */
    source?: RepoSource;
    /** Receives warnings (corrupt records and the like). */
    warn: (message: string) => void;
}
