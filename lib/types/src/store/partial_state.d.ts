import type { Runtime } from "../runtime/runtime.ts";
import type { RepoFile } from "../hub/list_files.ts";
/** The suffix of a partial download's file, beside its destination. */
export declare const PARTIAL_SUFFIX = ".part";
/** The suffix of a partial download's state file, beside its destination. */
export declare const STATE_SUFFIX = ".part.state";
/** One byte range of a file and how much of it is on disk. */
export interface Segment {
    /** First byte (inclusive). */
    start: number;
    /** Last byte (inclusive). */
    end: number;
    /** The next byte to fetch; `end + 1` when the segment is complete. */
    next: number;
}
/** Bytes already downloaded across segments. */
export declare function completedBytes(segments: Segment[]): number;
/** What identifies the remote file a partial download belongs to. */
export interface FileIdentity {
    size: number;
    /** SHA-256 of the content, when known (LFS files). */
    sha256?: string;
    /** Git blob SHA-1, when known (small files). */
    gitSha1?: string;
}
/** Whether a value is a SHA-256 in hex (a masked `*` or any other text is not). */
export declare function isSha256Hex(value: string | undefined): value is string;
/** Whether a value is a git SHA-1 in hex (a masked `*` or any other text is not). */
export declare function isGitSha1Hex(value: string | undefined): value is string;
/**
 * The identity the Hub states for a listed file: its size, and the SHA-256
 * for LFS files or the git blob SHA-1 for the others. A hash that is not
 * well-formed hex of its length (gated repos mask them as `*`) is left out.
 */
export declare function identityOfFile(file: RepoFile): FileIdentity;
/** The state file's contents. */
export interface DownloadState {
    version: 1;
    /** The repository path of the file. */
    file: string;
    /** The commit it was resolved at. */
    commit: string;
    /** The remote file's identity when the download began. */
    identity: FileIdentity;
    /**
     * How far each segment got: bytes written to the partial file. With a
     * {@linkcode DownloadState.bootId}, bytes the system may still hold in memory only.
     */
    segments: Segment[];
    /**
     * The boot of the machine during which `segments` were saved. Written bytes
     * survive a killed process but not a power cut or reboot: a later boot (or
     * another machine) trusts only {@linkcode DownloadState.durableSegments}, as
     * does a file without a hash to check it against.
     */
    bootId?: string;
    /** How far each segment got on disk: the last progress a flush of the partial file made durable. */
    durableSegments?: Segment[];
    /** Set once the partial file has been verified and only awaits its rename into place. */
    verified?: boolean;
    /** The hash it was verified against (none: checked by size only), once `verified`. */
    verifiedHash?: {
        algorithm: "sha256" | "git-sha1";
        hex: string;
    };
}
/** The partial file beside a destination. */
export declare function partialPathOf(destination: string): string;
/** The state file beside a destination's partial file. */
export declare function statePathOf(destination: string): string;
/**
 * The destination a partial file or its state file belongs to; `undefined`
 * for any other name.
 */
export declare function destinationOfPartial(path: string): string | undefined;
/**
 * Reads a download's state; `undefined` when there is none or it is unreadable
 * (the download then starts over).
 */
export declare function readDownloadState(runtime: Runtime, destination: string): Promise<DownloadState | undefined>;
/**
 * `state` claiming `segments` on any boot, without the claims bound to one
 * ({@linkcode DownloadState.bootId}, {@linkcode DownloadState.durableSegments}).
 */
export declare function claimingOnAnyBoot(state: DownloadState, segments: Segment[]): DownloadState;
/**
 * Whether progress that no flush has made durable may be trusted for a file
 * (in the boot that wrote it): only when a hash is checked before the file is
 * accepted, which catches bytes lost without a reboot (a disk pulled out and
 * mounted again).
 */
export declare function mayTrustUnflushed(identity: FileIdentity): boolean;
/**
 * Whether a partial file of `partialSize` bytes (`undefined`: missing) still
 * holds every byte its state counts; if not (removed, truncated, or not flushed
 * before a crash), the download starts over.
 */
export declare function holdsSavedBytes(state: DownloadState, partialSize: number | undefined): boolean;
/** What {@linkcode writeDownloadState} saves, and for which file. */
export interface DownloadStateWrite {
    /** The file being downloaded (not its `.part`). */
    destination: string;
    /** The state to save beside it. */
    state: DownloadState;
    /**
     * Flush the state file before it replaces the old one. Without, a power cut may
     * leave the old state, or on some file systems an empty one.
     *
     * @default true
     */
    flush?: boolean;
}
/** How far a partial download got. */
export interface PartialProgress {
    /** Bytes downloaded that the next run keeps (0 when it must start over). */
    bytes: number;
    /** The file's size. */
    total: number;
}
/**
 * How far the partial download of `destination` got, from its state file: the
 * bytes actually downloaded (a partial file's apparent size says nothing, as
 * parallel segments write at their offsets), and the file's size. `undefined`
 * when there is no readable state, or it belongs to another version of the file
 * than `options.identity`.
 */
export declare function partialProgress(runtime: Runtime, destination: string, options?: {
    /** The remote file as it is now: a partial download of another version counts as none. */
    identity?: FileIdentity;
}): Promise<PartialProgress | undefined>;
/** Saves a download's state atomically; a file-system failure is a resumable `storage` error. */
export declare function writeDownloadState(runtime: Runtime, saved: DownloadStateWrite): Promise<void>;
/** Removes a download's partial file and state. */
export declare function removePartial(runtime: Runtime, destination: string): Promise<void>;
/** Whether the remote file is still the one a partial download belongs to. */
export declare function sameIdentity(a: FileIdentity, b: FileIdentity): boolean;
