import type { HubConnection } from "../http/hub_connection.ts";
import { type RetryOptions } from "../http/retry.ts";
import type { RepoFile } from "../hub/list_files.ts";
import type { RepoId } from "../hub/repo_id.ts";
import type { ResolvedFile } from "../hub/resolve_file.ts";
import type { RepoSource } from "../source/repo_source.ts";
import { type DownloadEventHandler } from "./download_events.ts";
import { type FileIdentity } from "../store/partial_state.ts";
import { type ExpectedHash } from "./file_hash.ts";
/** A resolved file whose identity the listing and resolve agree on. */
export interface ConfirmedFile {
    /** Where the bytes are served. */
    resolved: ResolvedFile;
    /** The file's identity (a new one when the file changed since it was listed). */
    identity: FileIdentity;
    /** The hash to verify against; none when the Hub gave none (checked by size only). */
    expected?: ExpectedHash;
}
/** How to confirm a file. */
export interface ConfirmOptions {
    /** Hub settings. */
    connection: HubConnection;
    /** The hub the file is resolved and listed on; Hugging Face when absent. */
    source?: RepoSource;
    /** How often to ask again while the answers disagree (the engine's retry policy). */
    retry?: RetryOptions;
    /** Told about each new attempt. */
    onEvent?: DownloadEventHandler;
}
/**
 * Resolves `what.file` and confirms its identity. Throws an `integrity` error
 * when the listing and resolve keep disagreeing; nothing on disk is touched.
 */
export declare function confirmFile(what: {
    repo: RepoId;
    commit: string;
    file: RepoFile;
}, options: ConfirmOptions): Promise<ConfirmedFile>;
