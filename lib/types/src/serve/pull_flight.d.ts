import type { HubConnection } from "../http/hub_connection.ts";
import type { RepoFile } from "../hub/list_files.ts";
import type { RepoId } from "../hub/repo_id.ts";
import { type Runtime } from "../runtime/runtime.ts";
import type { BodySource } from "./file_answer.ts";
import type { RepoHolds } from "./repo_holds.ts";
/** What a pull downloads and where it records it. */
export interface PullRequest {
    /** The repository as upstream spells it. */
    repo: RepoId;
    /** The pinned commit. */
    commit: string;
    /** The file as upstream lists it at that commit. */
    file: RepoFile;
    /** Every file upstream lists at that commit (what comes with a model file). */
    listing: readonly RepoFile[];
    /** Whether the repository was private upstream. */
    private: boolean;
    /** Whether it was gated upstream. */
    gated: false | "auto" | "manual";
    /** The commit was what upstream's default branch points at: record it as the latest. */
    isLatest: boolean;
}
/** The settings of every pull. */
export interface PullSettings {
    /** File access. */
    runtime: Runtime;
    /** The store. */
    modelsDir: string;
    /** Upstream, with the mirror's own token. */
    connection: HubConnection;
    /** Restart an upstream request after this long without a byte. */
    idleTimeoutMs?: number;
    /** The process's holds on repository locks, shared by its pulls. */
    holds: RepoHolds;
}
/**
 * One file being pulled from upstream into the store.
 */
export declare class PullFlight {
    #private;
    /** Where the finished file goes. */
    readonly destination: string;
    /** Its size. */
    readonly size: number;
    /** Settles when the file is verified, in place and recorded (or failed). */
    readonly done: Promise<void>;
    /** Starts the download. */
    constructor(request: PullRequest, settings: PullSettings);
    /**
     * A body source reading the file as it arrives.
     */
    source(): BodySource;
}
