/**
 * The upstream Hub of a pull-through mirror: its metadata (repo info and file
 * listing, asked once per repository and revision and kept a short while) and
 * one {@linkcode PullFlight} per file being pulled. Requests go out with the
 * mirror's own token, never a client's, and carry this server's id so that an
 * upstream that is this server itself is detected and refused.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import { SERVE_ID_HEADER } from "../http/serve_marks.ts";
import type { HubConnection } from "../http/hub_connection.ts";
import { sendRequest } from "../http/hub_request.ts";
import { listRepoFiles, type RepoFile } from "../hub/list_files.ts";
import { parseRepoId, type RepoId } from "../hub/repo_id.ts";
import { fetchRepoInfo, type RepoInfo } from "../hub/repo_info.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { PullFlight } from "./pull_flight.ts";
import { RepoHolds } from "./repo_holds.ts";

/**
 * The header naming the serve instances a request went through.
 */
export const SERVE_VIA_HEADER = "X-Rkllm-Serve-Via";

/**
 * The serve instances a request went through, from its {@linkcode SERVE_VIA_HEADER}
 * (at most 32, so a forged header cannot grow without bound).
 */
export function viaChainOf(header: string | undefined): string[] {
  return (header ?? "").split(",").map((id) => id.trim()).filter(Boolean).slice(-32);
}

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

/** How long upstream metadata is reused. */
const METADATA_TTL_MS = 30_000;

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
export class Upstream {
  readonly endpoint: string;
  #settings: UpstreamSettings;
  #connection: HubConnection;
  #views = new Map<string, { at: number; view: Promise<UpstreamView> }>();
  #flights = new Map<string, PullFlight>();
  #holds: RepoHolds;

  /** Creates the upstream; nothing is fetched until asked. */
  constructor(settings: UpstreamSettings) {
    this.endpoint = settings.endpoint;
    this.#settings = settings;
    this.#holds = new RepoHolds(settings.runtime);
    this.#connection = {
      endpoint: settings.endpoint,
      token: settings.token,
      fetch: markedFetch(settings.fetch ?? globalThis.fetch, {
        serverId: settings.serverId,
        via: [],
      }),
      signal: settings.signal,
      retry: { attempts: settings.attempts ?? 3, baseDelayMs: 500, maxDelayMs: 4000 },
      offline: false,
    };
  }

  /**
   * The repository's info and files at a revision, from upstream.
   */
  view(
    repoText: string,
    revision: string,
    options: { isLatest: boolean; via?: string[] },
  ): Promise<UpstreamView> {
    const key = `${repoText.toLowerCase()}@${revision}`;
    const cached = this.#views.get(key);
    if (cached && Date.now() - cached.at < METADATA_TTL_MS) return cached.view;
    const connection = this.#connectionVia(options.via);
    const view = this.#fetchView(connection, { repoText, revision, isLatest: options.isLatest });
    this.#views.set(key, { at: Date.now(), view });
    view.catch(() => this.#views.delete(key));
    return view;
  }

  /**
   * Upstream's answer to a model search (`query`: `?search=…`, as the client sent it),
   * asked with the mirror's token.
   */
  async search(query: string, options: { via?: string[] } = {}): Promise<Response> {
    const url = new URL(`${this.endpoint}/api/models${query}`);
    return (await sendRequest(this.#connectionVia(options.via), url)).response;
  }

  /** The connection, naming the servers a request came through so a loop of mirrors comes back marked. */
  #connectionVia(via: string[] | undefined): HubConnection {
    return {
      ...this.#connection,
      fetch: markedFetch(this.#settings.fetch ?? globalThis.fetch, {
        serverId: this.#settings.serverId,
        via: via ?? [],
      }),
    };
  }

  async #fetchView(
    connection: HubConnection,
    asked: { repoText: string; revision: string; isLatest: boolean },
  ): Promise<UpstreamView> {
    const { revision, isLatest } = asked;
    const info = await fetchRepoInfo(connection, parseRepoId(asked.repoText), { revision });
    let repo = parseRepoId(asked.repoText);
    try {
      repo = parseRepoId(info.id);
    } catch {
      // keep the spelling asked for
    }
    const files = await listRepoFiles(connection, repo, { revision: info.sha });
    return { repo, info, files, isLatest };
  }

  /**
   * The pull of one file: the one already running for it, or a new one.
   */
  pull(view: UpstreamView, file: RepoFile): PullFlight {
    const key = flightKey(view, file);
    const running = this.#flights.get(key);
    if (running) return running;
    const flight = new PullFlight({
      repo: view.repo,
      commit: view.info.sha,
      file,
      listing: view.files,
      private: view.info.private,
      gated: view.info.gated,
      isLatest: view.isLatest,
    }, {
      runtime: this.#settings.runtime,
      modelsDir: this.#settings.modelsDir,
      connection: this.#connection,
      idleTimeoutMs: this.#settings.idleTimeoutMs,
      holds: this.#holds,
    });
    this.#flights.set(key, flight);
    flight.done.catch(() => {}).finally(() => this.#flights.delete(key));
    return flight;
  }

  /**
   * Whether a pull of the file is under way.
   */
  isPulling(view: UpstreamView, file: RepoFile): boolean {
    return this.#flights.has(flightKey(view, file));
  }

  /** Waits for every pull under way to settle. */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.#flights.values()].map((flight) => flight.done));
  }
}

function flightKey(view: UpstreamView, file: RepoFile): string {
  return `${view.repo.id.toLowerCase()}@${view.info.sha}/${file.path}`;
}

/**
 * Refuses an upstream that is this server itself: asks it once and compares
 * the id it answers with. An upstream that cannot be reached is accepted (the
 * store answers alone until it comes back).
 */
export async function refuseSelfUpstream(
  endpoint: string,
  options: { serverId: string; fetch?: typeof fetch },
): Promise<void> {
  const doFetch = options.fetch ?? globalThis.fetch;
  let answerId: string | null = null;
  try {
    const response = await doFetch(`${endpoint}/api/models/rkllm-models/serve-probe`, {
      signal: AbortSignal.timeout(5000),
    });
    answerId = response.headers.get(SERVE_ID_HEADER);
    await response.body?.cancel();
  } catch {
    return;
  }
  if (answerId === options.serverId) throw selfUpstreamError(endpoint);
}

function selfUpstreamError(endpoint: string): ModelManagerError {
  return new ModelManagerError(
    "config",
    `invalid --upstream ${endpoint}: it is this server itself`,
    { hint: "give the URL of another Hub or mirror, such as https://huggingface.co" },
  );
}

/**
 * A `fetch` that names the servers a request came through and this one on every
 * request, and refuses answers from itself.
 */
function markedFetch(
  inner: typeof fetch,
  mark: { serverId: string; via: string[] },
): typeof fetch {
  const { serverId } = mark;
  const chain = [...mark.via, serverId].join(", ");
  return async (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : {}));
    headers.set(SERVE_VIA_HEADER, chain);
    const response = await inner(input, { ...init, headers });
    if (response.headers.get(SERVE_ID_HEADER) === serverId) {
      await response.body?.cancel();
      throw selfUpstreamError(new URL(response.url || String(input)).origin);
    }
    return response;
  };
}
