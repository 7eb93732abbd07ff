import type { FileHandle, Runtime } from "../runtime/runtime.ts";
import type { FileIdentity } from "../store/partial_state.ts";
/** The hash a file is verified against. */
export interface ExpectedHash {
    /** `sha256` of the content, or `git-sha1`: SHA-1 of `"blob <size>\0" + content`. */
    algorithm: "sha256" | "git-sha1";
    /** Lower-case hex digest. */
    hex: string;
}
/**
 * The hash a file is checked against: SHA-256 for LFS files, the git blob
 * SHA-1 otherwise; `undefined` when the Hub stated neither.
 */
export declare function expectedHashOf(identity: Pick<FileIdentity, "sha256" | "gitSha1">): ExpectedHash | undefined;
/** An incremental hash over a file's content, in order. */
export interface ContentHasher {
    /** Adds the next bytes. */
    update(bytes: Uint8Array): void;
    /** The lower-case hex digest. */
    digest(): string;
}
/**
 * Starts an incremental hash for a file of `size` bytes.
 */
export declare function createContentHasher(algorithm: ExpectedHash["algorithm"], size: number): ContentHasher;
/** Options for {@linkcode hashFile}. */
export interface HashFileOptions {
    /** The hash to compute. */
    algorithm: ExpectedHash["algorithm"];
    /** Stops the pass between two reads, with a `cancelled` error. */
    signal?: AbortSignal;
}
/**
 * Hashes a whole file in one streaming pass. An abort of `options.signal` stops
 * it between two reads with a `cancelled` error.
 */
export declare function hashFile(runtime: Runtime, path: string, options: HashFileOptions): Promise<string>;
/**
 * Hashes the first `size` bytes of a file already open (the caller closes it), as
 * {@linkcode hashFile} does.
 */
export declare function hashOpenFile(handle: FileHandle, size: number, options: HashFileOptions): Promise<string>;
