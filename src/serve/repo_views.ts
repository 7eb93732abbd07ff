/**
 * Which answer a request for a repository at a revision gets: from the store,
 * or (pull-through) from upstream metadata with bytes from the store when it
 * already holds the same file, else from a shared upstream download. An
 * upstream that cannot be reached leaves the store answering alone.
 *
 * @module
 */
import { errorSignals, ModelManagerError } from "../errors.ts";
import { SERVE_REFUSAL_HEADER } from "../http/serve_marks.ts";
import type { RepoFile } from "../hub/list_files.ts";
import type { Runtime } from "../runtime/runtime.ts";
import type { BodyBuffers } from "./body_buffers.ts";
import type { BodySource } from "./file_answer.ts";
import type { PullRate } from "./pull_rate.ts";
import type { FileFacts, RepoFacts } from "./hub_answers.ts";
import {
  commitOf,
  filesAtCommit,
  isCommitId,
  readServedRepo,
  type ServedFile,
  type ServedRepo,
} from "./served_repo.ts";
import { identityOfFile } from "../store/partial_state.ts";
import { storedCopyOf } from "../store/stored_copy.ts";
import { type ComputedHashes, isServable, openStoreFile } from "./store_files.ts";
import type { Upstream, UpstreamView } from "./upstream.ts";

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
export async function repoView(
  settings: ViewSettings,
  asked: { repo: string; revision: string; via?: string[] },
): Promise<RepoView | HubRefusal> {
  const stored = await readServedRepo(settings.runtime, {
    modelsDir: settings.modelsDir,
    repo: asked.repo,
  });
  const byCommit = isCommitId(asked.revision);
  // With an upstream, its listing is the truth (the store may hold only some files of a
  // commit); the store still gives the bytes of every file it holds.
  const pullable = settings.pulls.any || settings.pulls.repos.has(asked.repo.toLowerCase());
  if (settings.upstream && !stored && !pullable) {
    return {
      status: 404,
      code: "RepoNotFound",
      message: "Repository not found on this mirror, which pulls only the repositories it allows",
    };
  }
  if (settings.upstream) {
    const answer = await upstreamView(settings, settings.upstream, { ...asked, stored });
    if (answer !== undefined && !("status" in answer && stored)) return answer;
  }
  if (!stored) return { status: 404, code: "RepoNotFound", message: "Repository not found" };
  const refused = accessRefusal(settings, stored);
  if (refused) return refused;
  const commit = commitOf(stored, asked.revision);
  if (!commit) {
    return { status: 404, code: "RevisionNotFound", message: `Invalid rev id: ${asked.revision}` };
  }
  return await storeView(settings, stored, { commit, byCommit });
}

function accessRefusal(
  settings: ViewSettings,
  access: { private: boolean; gated: false | "auto" | "manual" },
): HubRefusal | undefined {
  if (settings.allowPrivate) return undefined;
  if (access.private) {
    return { status: 404, code: "RepoNotFound", message: "Repository not found" };
  }
  if (access.gated) {
    return {
      status: 403,
      code: "GatedRepo",
      message: "This repository is gated; this mirror serves it only with --allow-private",
      headers: { [SERVE_REFUSAL_HEADER]: "allow-private" },
    };
  }
  return undefined;
}

async function storeView(
  settings: ViewSettings,
  repo: ServedRepo,
  at: { commit: string; byCommit: boolean },
): Promise<RepoView> {
  const files: ServedFile[] = [];
  for (const file of filesAtCommit(repo, at.commit)) {
    if (await isServable(settings.hashes, file)) files.push(file);
  }
  const facts = await Promise.all(files.map((file) => settings.hashes.factsOf(file)));
  return {
    facts: {
      id: repo.id,
      sha: at.commit,
      private: repo.private,
      gated: repo.gated,
      lastModified: repo.lastModified,
      files: facts,
    },
    byCommit: at.byCommit,
    file(path) {
      const index = files.findIndex((file) => file.path === path);
      if (index === -1) return Promise.resolve(undefined);
      return Promise.resolve({
        startsPull: false,
        facts: facts[index],
        openBody: () => openStoreFile(settings.runtime, files[index].place),
      });
    },
  };
}

/** The upstream's answer; `undefined` when upstream cannot be reached. */
async function upstreamView(
  settings: ViewSettings,
  upstream: Upstream,
  asked: { repo: string; revision: string; via?: string[]; stored?: ServedRepo },
): Promise<RepoView | HubRefusal | undefined> {
  let view: UpstreamView;
  try {
    view = await upstream.view(asked.repo, asked.revision, {
      isLatest: !isCommitId(asked.revision),
      via: asked.via,
    });
  } catch (error) {
    return upstreamRefusal(settings, upstream, { error, revision: asked.revision });
  }
  const refused = accessRefusal(settings, view.info);
  if (refused) return refused;
  const facts = view.files.map(factsOfListed);
  return {
    facts: {
      id: view.info.id,
      sha: view.info.sha,
      private: view.info.private,
      gated: view.info.gated,
      lastModified: view.info.lastModified ?? new Date(0).toISOString(),
      files: facts,
    },
    byCommit: !view.isLatest,
    async file(path) {
      const listed = view.files.find((file) => file.path === path);
      if (!listed) return undefined;
      const held = await storedCopy(settings, asked.stored, listed);
      return {
        startsPull: !held && !upstream.isPulling(view, listed),
        facts: factsOfListed(listed),
        openBody: () =>
          held
            ? openStoreFile(settings.runtime, held.place)
            : Promise.resolve(upstream.pull(view, listed).source()),
      };
    },
  };
}

function upstreamRefusal(
  settings: ViewSettings,
  upstream: Upstream,
  failure: { error: unknown; revision: string },
): HubRefusal | undefined {
  const { error } = failure;
  if (!(error instanceof ModelManagerError)) throw error;
  if (errorSignals(error).status === LOOP_STATUS) {
    return { status: LOOP_STATUS, message: "the request came back to a mirror it went through" };
  }
  switch (error.code) {
    case "repo_not_found":
      return errorSignals(error).hubErrorCode === "RevisionNotFound"
        ? { status: 404, code: "RevisionNotFound", message: `Invalid rev id: ${failure.revision}` }
        : { status: 404, code: "RepoNotFound", message: "Repository not found" };
    case "gated":
      return {
        status: 403,
        code: "GatedRepo",
        message: "This repository is gated upstream, and the mirror's token has no access to it",
        headers: { [SERVE_REFUSAL_HEADER]: "upstream-gated" },
      };
    case "auth":
      return { status: 401, code: "RepoNotFound", message: "Upstream refused the mirror's token" };
    case "config":
      throw error;
    default:
      settings.warn(
        `upstream ${upstream.endpoint} did not answer (${error.message}); serving the store alone`,
      );
      return undefined;
  }
}

/** What a server answers a request that came back to it through a loop of mirrors. */
const LOOP_STATUS = 508;

/** The facts of a file as upstream lists it. */
function factsOfListed(file: RepoFile): FileFacts {
  return {
    path: file.path,
    size: file.size,
    sha256: file.lfs ? file.sha256 : undefined,
    gitSha1: file.lfs ? undefined : file.gitSha1,
  };
}

/** The store's copy of a listed file when it holds that very file (see {@linkcode storedCopyOf}). */
async function storedCopy(
  settings: ViewSettings,
  stored: ServedRepo | undefined,
  listed: RepoFile,
): Promise<ServedFile | undefined> {
  const file = stored?.files.get(listed.path);
  if (!file) return undefined;
  const copy = await storedCopyOf(settings.runtime, {
    place: file.place,
    recorded: file.recorded,
    wanted: identityOfFile(listed),
  });
  return copy === "same" ? file : undefined;
}
