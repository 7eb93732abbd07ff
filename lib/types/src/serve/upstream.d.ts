import { type RepoFile } from "../hub/list_files.ts";
import { type RepoId } from "../hub/repo_id.ts";
import { type RepoInfo } from "../hub/repo_info.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { PullFlight } from "./pull_flight.ts";
/**
 * The header naming the serve instances a request went through.
 */
export declare const SERVE_VIA_HEADER = "X-Rkllm-Serve-Via";
/**
 * The serve instances a request went through, from its {@linkcode SERVE_VIA_HEADER}
 * (at most 32, so a forged header cannot grow without bound).
 */
export declare function viaChainOf(header: string | undefined): string[];
/** What upstream says about a repository at a revision. */
export interface UpstreamView {
    /** The repository as upstream spells it. */
    repo: RepoId;
    /** Its info at the revision asked. */
    info: RepoInfo;
    /** Its files at `info.sha`. */
    files: RepoFile[];
    /** The revision asked was a branch (or `HEAD`), not a commit. */
    isLatest: boolean;
}
/** Settings of {@linkcode Upstream}. */
export interface UpstreamSettings {
    runtime: Runtime;
    /** The store pulled files go to. */
    modelsDir: string;
    /** The upstream endpoint, without a trailing slash. */
    endpoint: string;
    /** The mirror's own token for upstream. */
    token?: string;
    /** This server's id, sent upstream and looked for in answers. */
    serverId: string;
    fetch?: typeof fetch;
    /** Cancels every upstream request. */
    signal?: AbortSignal;
    /** Restart an upstream request after this long without a byte. */
    idleTimeoutMs?: number;
    /** Attempts of a failed upstream request. */
    attempts?: number;
}
/**
 * The upstream of a pull-through `serve`.
 */
export declare class Upstream {
    #private;
    readonly endpoint: string;
    /** Creates the upstream; nothing is fetched until asked. */
    constructor(settings: UpstreamSettings);
    /**
     * The repository's info and files at a revision, from upstream.
     */
    view(repoText: string, revision: string, options: {
        isLatest: boolean;
        via?: string[];
    }): Promise<UpstreamView>;
    /**
     * Upstream's answer to a model search (`query`: `?search=…`, as the client sent it),
     * asked with the mirror's token.
     */
    search(query: string, options?: {
        via?: string[];
    }): Promise<Response>;
    /**
     * The pull of one file: the one already running for it, or a new one.
     */
    pull(view: UpstreamView, file: RepoFile): PullFlight;
    /**
     * Whether a pull of the file is under way.
     */
    isPulling(view: UpstreamView, file: RepoFile): boolean;
    /** Waits for every pull under way to settle. */
    settle(): Promise<void>;
}
/**
 * Refuses an upstream that is this server itself: asks it once and compares
 * the id it answers with. An upstream that cannot be reached is accepted (the
 * store answers alone until it comes back).
 */
export declare function refuseSelfUpstream(endpoint: string, options: {
    serverId: string;
    fetch?: typeof fetch;
}): Promise<void>;
