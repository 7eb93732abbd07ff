import { type Runtime } from "../runtime/runtime.ts";
import { type FileRecord } from "../store/registry.ts";
import { type SafePlace } from "../store/safe_path.ts";
/** One file a served repository holds. */
export interface ServedFile {
    /** The path inside the repository. */
    path: string;
    /** Content size in bytes. */
    size: number;
    /** SHA-256 of the content, when recorded (served as an LFS file). */
    sha256?: string;
    /** Git blob SHA-1, when recorded. */
    gitSha1?: string;
    /** The commit it was recorded at. */
    revision: string;
    /** Where it is on disk. */
    storePath: string;
    /** The same place below the store's root, reached only through `safe_path.ts`. */
    place: SafePlace;
    /** Its record entry, as read. */
    recorded: FileRecord;
}
/** A repository in the store, as `serve` answers for it. */
export interface ServedRepo {
    /** `owner/name` as recorded. */
    id: string;
    /** The directory holding it. */
    dir: string;
    /** The most recent recorded commit (what a branch or `HEAD` means). */
    latest: string;
    /** Every commit a file is recorded at, the latest included. */
    commits: Set<string>;
    /** The recorded files, by path. */
    files: Map<string, ServedFile>;
    /** Whether it was private (false when not recorded). */
    private: boolean;
    /** Whether it was gated (false when not recorded). */
    gated: false | "auto" | "manual";
    /** The newest download time (ISO 8601). */
    lastModified: string;
}
/**
 * Reads a repository of the store from its registry record; `undefined` when
 * the store has no record of it. The owner and name match case-insensitively,
 * as on the Hub.
 */
export declare function readServedRepo(runtime: Runtime, asked: {
    modelsDir: string;
    repo: string;
}): Promise<ServedRepo | undefined>;
/**
 * The repository directories of a store that hold a registry record, as `owner/name`.
 */
export declare function listServedRepoIds(runtime: Runtime, modelsDir: string): Promise<string[]>;
/**
 * The files of a served repository at a commit: every recorded file at the
 * latest commit (a file kept from an older commit was unchanged when the latest
 * was downloaded), only the files recorded at it at an older one.
 */
export declare function filesAtCommit(repo: ServedRepo, commit: string): ServedFile[];
/**
 * The commit a revision means in a served repository: a known 40-hex commit,
 * or for anything else (a branch, `HEAD`) the latest; `undefined` for an
 * unknown commit.
 */
export declare function commitOf(repo: ServedRepo, revision: string): string | undefined;
/**
 * Whether a revision is a full 40-hex commit id (an immutable address).
 */
export declare function isCommitId(revision: string): boolean;
