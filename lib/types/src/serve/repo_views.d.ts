import type { Runtime } from "../runtime/runtime.ts";
import type { BodyBuffers } from "./body_buffers.ts";
import type { BodySource } from "./file_answer.ts";
import type { PullRate } from "./pull_rate.ts";
import type { FileFacts, RepoFacts } from "./hub_answers.ts";
import { type ComputedHashes } from "./store_files.ts";
import type { Upstream } from "./upstream.ts";
/** An error answer in the Hub's shape. */
export interface HubRefusal {
    /** HTTP status. */
    status: number;
    /** `X-Error-Code`, when the Hub has one for it. */
    code?: string;
    /** `X-Error-Message` and the JSON body's `error`. */
    message: string;
    /** Extra headers (`X-Repo-Commit` on `EntryNotFound`). */
    headers?: Record<string, string>;
}
/** One file of a view and where its bytes come from. */
export interface ViewFile {
    /** What answers say about it. */
    facts: FileFacts;
    /** Opens its bytes; `undefined` for a HEAD that needs none. */
    openBody(): Promise<BodySource>;
    /** Its bytes would come from a new upstream pull (none is running for it yet). */
    startsPull: boolean;
}
/** A repository at one commit, as answers describe it. */
export interface RepoView {
    /** The repository's facts at the commit. */
    facts: RepoFacts;
    /** The revision asked was a commit id (answers are immutable). */
    byCommit: boolean;
    /** A file of the view by path; `undefined` when it has none. */
    file(path: string): Promise<ViewFile | undefined>;
}
/** What the views need. */
export interface ViewSettings {
    /** File access. */
    runtime: Runtime;
    /** The store. */
    modelsDir: string;
    /** Serve private and gated repositories. */
    allowPrivate: boolean;
    /** The pull-through upstream, if any. */
    upstream?: Upstream;
    /** Hashes of files recorded without one. */
    hashes: ComputedHashes;
    /** Told about an unreachable upstream. */
    warn: (message: string) => void;
    /** What has been served so far. */
    stats: ServeStats;
    /** Which repositories the store lacks may be pulled from upstream. */
    pulls: PullPolicy;
    /** How many new pulls each client may start. */
    pullRate: PullRate;
    /** Break a transfer off when its client takes no bytes for this long. */
    sendTimeoutMs: number;
    /** The buffers file bodies are sent from. */
    bodyBuffers: BodyBuffers;
}
/** Which repositories a mirror pulls: those it holds always, these besides. */
export interface PullPolicy {
    /** Any repository upstream has. */
    any: boolean;
    /** These `owner/name`, lower-cased. */
    repos: Set<string>;
}
/** What a server has answered so far. */
export interface ServeStats {
    /** Requests answered. */
    requests: number;
    /** File body bytes sent (headers and API answers left out). */
    bodyBytes: number;
}
/**
 * The view of a repository at a revision, or the refusal to answer with.
 */
export declare function repoView(settings: ViewSettings, asked: {
    repo: string;
    revision: string;
    via?: string[];
}): Promise<RepoView | HubRefusal>;
