import type { Runtime } from "../runtime/runtime.ts";
/** One repository directory held for the pulls into it. */
export interface RepoHold {
    /** Runs `work` when no other pull of this process is writing the repository's record. */
    exclusive<T>(work: () => Promise<T>): Promise<T>;
    /** Ends this pull's share of the hold; the lock goes when the last share ends. */
    release(): Promise<void>;
}
/**
 * The holds of one serve process, one per repository directory with pulls under way.
 */
export declare class RepoHolds {
    #private;
    /** Holds for the store that `runtime` reaches. */
    constructor(runtime: Runtime);
    /**
     * A share of the hold on `repoDir`, taking its lock first when no pull of
     * this process holds it (waiting, as a download does, while another holds it).
     */
    hold(repoDir: string, options: {
        purpose: string;
        signal?: AbortSignal;
    }): Promise<RepoHold>;
}
