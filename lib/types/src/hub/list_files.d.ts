/**
 * Listing a repository's files with their sizes and hashes (the tree API,
 * following `Link` pagination).
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import type { HubConnection } from "../http/hub_connection.ts";
import { MAX_NAME_BYTES, type RepoId } from "./repo_id.ts";
/** A file in a repository at one commit. */
export interface RepoFile {
    /** The path inside the repository. */
    path: string;
    /** Content size in bytes. */
    size: number;
    /** The git blob SHA-1 (for non-LFS files, the hash to verify). */
    gitSha1?: string;
    /** The SHA-256 of the content, for LFS files. */
    sha256?: string;
    /** Whether the file is stored with LFS (served through a redirect). */
    lfs: boolean;
}
export { MAX_NAME_BYTES };
/** Where a listing came from, for the error that refuses it. */
export interface ListingOrigin {
    /** `"owner/name"`. */
    repo: string;
    /** The environment variable that names the endpoint, for the hint. */
    endpointVariable?: string;
}
/**
 * The error that refuses a hostile or broken listing.
 */
export declare function brokenListing(origin: ListingOrigin, problem: string): ModelManagerError;
/**
 * Adds the entry's file to `listing` (path to file, in listing order), refusing a path
 * listed twice.
 */
export declare function addListedFile(listing: Map<string, RepoFile>, entry: ListingOrigin & {
    file: RepoFile;
}): void;
/** Options for {@linkcode listRepoFiles}. */
export interface ListFilesOptions {
    /** The commit (or branch or tag) to list. */
    revision: string;
}
/**
 * Lists every file of a repository at a commit (recursively).
 */
export declare function listRepoFiles(connection: HubConnection, repo: RepoId, options: ListFilesOptions): Promise<RepoFile[]>;
