import { type Runtime } from "../runtime/runtime.ts";
import { type ModelVariant } from "./model_variant.ts";
import { type ToolkitVersion } from "./toolkit_version.ts";
import { type FileRecord, type ModelRecord, type StoreReadOptions } from "./registry.ts";
/** A model in the store. */
export interface ModelInfo extends ModelVariant {
    /** The file name without `.rkllm`. */
    name: string;
    /** `owner/name` of the Hugging Face repository. */
    repo: string;
    /** The file's path inside the repository. */
    file: string;
    /** The absolute path of the `.rkllm` file. */
    path: string;
    /** The repo directory holding it and its technical files. */
    dir: string;
    /** Size in bytes. */
    size: number;
    /** The commit it was downloaded from, when recorded. */
    revision?: string;
    /** The SHA-256 the Hub stated for it, when recorded. */
    sha256?: string;
    /** When it was downloaded (ISO 8601), when recorded. */
    downloadedAt?: string;
    /** The technical files present beside it. */
    technicalFiles: string[];
    /**
     * The companion files that came with it (technical files and tokenizer companions such as
     * `chat_template.jinja`), as recorded; for a model recorded without them, the technical files.
     */
    companionFiles: string[];
    /** The `.rknn` vision encoders paired with it (empty for a language-only model). */
    encoders: string[];
    /** Whether a registry record describes it (false for a file copied in by hand). */
    recorded: boolean;
    /** The RKLLM toolkit version its file name or repository name states. */
    toolkit?: ToolkitVersion;
    /**
     * When `verify` last found one of its files missing or changed (ISO 8601); absent
     * when it verified, was never checked, or was downloaded again since.
     */
    failedVerifyAt?: string;
}
/** A partial download found in the store. */
export interface PartialDownload {
    /** `owner/name`. */
    repo: string;
    /** The file's path inside the repository. */
    file: string;
    /** The partial file's path. */
    path: string;
    /** Bytes downloaded so far (from the saved progress; 0 when there is none to trust). */
    bytes: number;
    /** The whole file's size, when the saved progress says. */
    total?: number;
}
/** What a scan of the store found. */
export interface StoreScan {
    /** The models, sorted by repo then file. */
    models: ModelInfo[];
    /** Partial downloads. */
    partials: PartialDownload[];
    /**
     * The symbolic links inside the models directory (absolute paths, sorted): owner or
     * repo directories and files that are links are foreign, never followed nor written through.
     */
    links: string[];
}
/** What is below a repo directory, as repo paths (`sub/file.rkllm`), each list sorted. */
export interface RepoDirectoryListing {
    /** The regular files. */
    files: string[];
    /** The symbolic links (to files or directories), never followed. */
    links: string[];
}
/**
 * Lists a repo directory: its regular files and its symbolic links, without
 * following any link; hidden directories are skipped.
 */
export declare function listRepoDirectory(runtime: Runtime, dir: string): Promise<RepoDirectoryListing>;
/**
 * The regular files below a repo directory, as repo paths (`sub/file.rkllm`),
 * sorted. Symbolic links are neither listed nor followed; hidden directories
 * are skipped.
 */
export declare function filesInRepoDirectory(runtime: Runtime, dir: string): Promise<string[]>;
/** A repo directory of the store. */
export interface RepoDirectory {
    /** `owner/name`. */
    repo: string;
    /** Its absolute path. */
    dir: string;
}
/** The repo directories of a store and the links beside them. */
export interface StoreDirectories {
    /** `<owner>/<name>` pairs that are real directories, sorted. */
    repos: RepoDirectory[];
    /** Owner and repo directories that are symbolic links (absolute paths, sorted), never followed. */
    links: string[];
}
/**
 * Finds the repo directories of a store, and the owner and repo entries that
 * are symbolic links (which are reported, never followed).
 */
export declare function storeDirectories(runtime: Runtime, modelsDir: string): Promise<StoreDirectories>;
/** The repo directories of a store: `<owner>/<name>` pairs that are real directories, sorted. */
export declare function repoDirectories(runtime: Runtime, modelsDir: string): Promise<RepoDirectory[]>;
/** What describes a model besides its place: the record entry and the technical files beside it. */
export interface ModelFacts {
    /** `owner/name`. */
    repo: string;
    /** The repo directory. */
    dir: string;
    /** The file's path inside the repository. */
    file: string;
    /** Its size in bytes. */
    size: number;
    /** The record entry, when it describes this very file. */
    record?: FileRecord;
    /** The technical files beside it. */
    technicalFiles: string[];
    /** What the record says came with it (format 2), or what the download plans to bring. */
    pairing?: ModelRecord;
    /** When `verify` last failed one of its files, as the record marks it. */
    failedVerifyAt?: string;
}
export declare function modelInfoOf(facts: ModelFacts): ModelInfo;
/** Scans one repo directory for models and partial downloads. */
export declare function scanRepoDirectory(runtime: Runtime, where: RepoDirectory, options?: StoreReadOptions): Promise<StoreScan>;
/** Scans the store for models and partial downloads, sorted by repo then file. */
export declare function scanStore(runtime: Runtime, modelsDir: string, options?: StoreReadOptions): Promise<StoreScan>;
