import type { Runtime } from "../runtime/runtime.ts";
import { type JsonFileRead } from "./json_file.ts";
/** What is known about one downloaded file. */
export interface FileRecord {
    /** Size in bytes. */
    size: number;
    /** SHA-256 of the content, when the Hub stated it (LFS files). */
    sha256?: string;
    /** Git blob SHA-1, when the Hub stated it (small files). */
    gitSha1?: string;
    /** The commit it was downloaded from. */
    revision: string;
    /** When it was downloaded (ISO 8601). */
    downloadedAt: string;
    /**
     * Its modification time (ms since the epoch) when last known good: a file whose time or
     * size differs is hashed again before a download trusts it.
     */
    mtimeMs?: number;
    /** When `verify` found it corrupt (ISO 8601): the next download hashes it and repairs it. */
    failedVerifyAt?: string;
}
/**
 * The record format this version writes (its whole part is the major version).
 */
export declare const RECORD_FORMAT_VERSION = 2;
/**
 * The largest record read: far above any real one (hundreds of bytes per file), low
 * enough that a record on a stranger's USB stick cannot fill the memory.
 */
export declare const MAX_RECORD_BYTES: number;
/** What came with one model file (record format 2). */
export interface ModelRecord {
    /** The companion files (technical files, tokenizer companions) downloaded with it. */
    companions: string[];
    /** The `.rknn` vision encoders it is paired with. */
    encoders: string[];
}
/** Options for reading what the store holds. */
export interface StoreReadOptions {
    /** Told, in one line, about each file that is there but unusable; by default nobody is. */
    warn?: (message: string) => void;
}
/** What {@linkcode writeRecordUnlessNewer} writes, and where. */
export interface RepoRecordWrite {
    /** The repo directory in the store. */
    dir: string;
    /** The record to save there. */
    record: RepoRecord;
}
/** The record of one repo directory. */
export interface RepoRecord {
    /** Format version: 1 (files only) or 2 (adds `models`). */
    version: number;
    /** `owner/name`. */
    repo: string;
    /** The commit of the most recent download. */
    revision: string;
    /** Per file path inside the repository. */
    files: Record<string, FileRecord>;
    /** Per model file path (format 2): its companions and encoders; absent in format 1. */
    models?: Record<string, ModelRecord>;
    /** Whether the repository was private on the Hub when last downloaded (absent: not recorded). */
    private?: boolean;
    /** Whether it was gated (`"auto"`, `"manual"`) when last downloaded (absent: not recorded). */
    gated?: false | "auto" | "manual";
    /** The hub it was last downloaded from (absent: Hugging Face, or not recorded). */
    source?: "huggingface" | "modelscope";
}
/**
 * Reads a repo directory's record. A missing record answers `undefined`; a
 * corrupt one also does, after telling `warn`.
 */
export declare function readRepoRecord(runtime: Runtime, repoDir: string, options?: StoreReadOptions): Promise<RepoRecord | undefined>;
/**
 * Reads a repo directory's record and says what happened, as data: through no
 * symbolic link (the owner and name levels included), at most
 * {@linkcode MAX_RECORD_BYTES}, checked for the shape this version reads.
 */
export declare function readRecordFile(runtime: Runtime, repoDir: string): Promise<JsonFileRead<RepoRecord>>;
/**
 * The version of the record in `repoDir` when a newer rkllm-models wrote it
 * (a higher major version), else `undefined`.
 */
export declare function newerRecordVersion(runtime: Runtime, repoDir: string): Promise<number | undefined>;
/**
 * Writes a repo directory's record atomically, unless a record of a newer major
 * version is there: that one is left as it is (reading it warned about it), and
 * the answer is `false`. A repo directory reached through a symbolic link is
 * refused with a `storage` error. Only `record_writer.ts` and removals call it.
 */
export declare function writeRecordUnlessNewer(runtime: Runtime, write: RepoRecordWrite): Promise<boolean>;
