/**
 * One upstream download shared by every client that asks for the same file
 * (single flight). The download engine writes one sequential stream into the
 * partial file; each client reads the bytes already on disk as they arrive.
 * The last byte is held back until the file has been verified, so a file that
 * fails verification reaches no client as a complete transfer: their
 * responses are broken off instead. A pull holds the repository's lock while it
 * writes (see {@linkcode RepoHolds}), so a `download` of the same file never
 * writes the same partial file at the same time.
 *
 * @module
 */
import { join } from "node:path";
import { ModelManagerError } from "../errors.ts";
import type { DownloadEvent } from "../download/download_events.ts";
import {
  downloadToPartial,
  type FileDownloadResult,
  finalizeDownload,
} from "../download/download_file.ts";
import { identityOfFile, partialPathOf } from "../store/partial_state.ts";
import type { HubConnection } from "../http/hub_connection.ts";
import type { RepoFile } from "../hub/list_files.ts";
import type { RepoId } from "../hub/repo_id.ts";
import { loadModelsConfig } from "../config/models_config.ts";
import { isNotFound, type Runtime } from "../runtime/runtime.ts";
import { type ModelRecord, readRepoRecord } from "../store/registry.ts";
import { recordStoredFiles } from "../store/record_writer.ts";
import { placeInRepo } from "../store/safe_path.ts";
import { storedCopyOf } from "../store/stored_copy.ts";
import { filesOfModel, modelRecordOf } from "../store/model_files.ts";
import { isModelFileName, repoDirOf, storePathOf } from "../store/store_layout.ts";
import type { BodySource } from "./file_answer.ts";
import type { RepoHold, RepoHolds } from "./repo_holds.ts";

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
export class PullFlight {
  /** Where the finished file goes. */
  readonly destination: string;
  /** Its size. */
  readonly size: number;
  /** Settles when the file is verified, in place and recorded (or failed). */
  readonly done: Promise<void>;
  #written = 0;
  #finished = false;
  #failure: Error | undefined;
  #generation = 0;
  #wake = new Set<() => void>();
  #runtime: Runtime;

  /** Starts the download. */
  constructor(request: PullRequest, settings: PullSettings) {
    this.#runtime = settings.runtime;
    this.size = request.file.size;
    this.destination = storePathOf(
      repoDirOf(settings.modelsDir, request.repo),
      request.file.path,
    );
    this.done = this.#run(request, settings).then(
      () => {
        this.#finished = true;
        this.#notify();
      },
      (error) => {
        this.#failure = error instanceof Error ? error : new Error(String(error));
        this.#notify();
        throw this.#failure;
      },
    );
    this.done.catch(() => {});
  }

  async #run(request: PullRequest, settings: PullSettings): Promise<void> {
    const repoDir = repoDirOf(settings.modelsDir, request.repo);
    const hold = await settings.holds.hold(repoDir, {
      purpose: `serve: pull ${request.repo.id}/${request.file.path}`,
      signal: settings.connection.signal,
    });
    try {
      // A download that held the lock meanwhile may have brought the file.
      if (await isRecorded(settings.runtime, repoDir, request)) return;
      await this.#pull(request, settings, hold);
    } finally {
      await hold.release();
    }
  }

  async #pull(request: PullRequest, settings: PullSettings, hold: RepoHold): Promise<void> {
    const { runtime } = settings;
    await runtime.mkdir(join(this.destination, ".."));
    const result = await downloadToPartial({
      repo: request.repo,
      commit: request.commit,
      file: request.file,
      destination: this.destination,
    }, {
      runtime,
      connection: settings.connection,
      connections: 1,
      // One sequential stream, so the bytes on disk are always a prefix clients can read.
      parallelThreshold: Number.MAX_SAFE_INTEGER,
      idleTimeoutMs: settings.idleTimeoutMs,
      retry: settings.connection.retry,
      onEvent: (event) => this.#onEvent(event),
    });
    await hold.exclusive(() => recordPulledFile(settings, request, result));
  }

  #onEvent(event: DownloadEvent): void {
    if (event.event === "progress") {
      this.#written = event.bytes;
    } else if (event.event === "restart") {
      // The bytes clients read so far may be wrong: break their transfers off.
      this.#generation++;
      this.#written = 0;
    } else if (event.event === "start") {
      this.#written = event.resumedBytes;
    }
    this.#notify();
  }

  #notify(): void {
    const waiting = [...this.#wake];
    this.#wake.clear();
    waiting.forEach((wake) => wake());
  }

  #changed(): Promise<void> {
    return new Promise((resolve) => this.#wake.add(resolve));
  }

  /**
   * A body source reading the file as it arrives.
   */
  source(): BodySource {
    const generation = this.#generation;
    let handle: Awaited<ReturnType<Runtime["open"]>> | undefined;
    let closed = false;
    const readable = () => this.#finished ? this.size : Math.min(this.#written, this.size - 1);
    return {
      read: async (buffer, position) => {
        for (;;) {
          if (this.#failure) throw this.#failure;
          if (this.#generation !== generation) {
            throw new Error("the upstream download restarted");
          }
          const limit = readable();
          if (position < limit) {
            handle ??= await this.#open();
            if (closed) {
              // Closed while the file opened: that close found no handle to close.
              await handle?.close();
              throw new Error("the body source is closed");
            }
            if (handle) {
              const wanted = Math.min(buffer.length, limit - position);
              return await handle.read(buffer.subarray(0, wanted), position);
            }
          }
          if (this.#finished && position >= this.size) return 0;
          await this.#changed();
        }
      },
      close: async () => {
        closed = true;
        await handle?.close();
      },
    };
  }

  async #open() {
    for (const path of [partialPathOf(this.destination), this.destination]) {
      try {
        return await this.#runtime.open(path);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    return undefined;
  }
}

/** Whether the store already holds the file as upstream lists it, recorded and in place. */
async function isRecorded(
  runtime: Runtime,
  repoDir: string,
  request: PullRequest,
): Promise<boolean> {
  const { file } = request;
  return await storedCopyOf(runtime, {
    place: placeInRepo(repoDir, file.path),
    recorded: (await readRepoRecord(runtime, repoDir))?.files[file.path],
    wanted: identityOfFile(file),
  }) === "same";
}

/** Moves the verified file into place and records it; the caller holds the repository. */
async function recordPulledFile(
  settings: PullSettings,
  request: PullRequest,
  result: FileDownloadResult,
): Promise<void> {
  const { runtime } = settings;
  const repoDir = repoDirOf(settings.modelsDir, request.repo);
  try {
    await finalizeDownload(runtime, result.destination);
    const { size, sha256, gitSha1 } = result;
    await recordStoredFiles(runtime, {
      dir: repoDir,
      repo: request.repo.id,
      files: { [request.file.path]: { size, sha256, gitSha1, revision: request.commit } },
      models: await modelEntriesOf(runtime, { repoDir, request }),
      // Upstream speaks the Hub's protocol: what it serves is recorded as from Hugging Face.
      facts: {
        revision: request.isLatest ? request.commit : undefined,
        private: request.private,
        gated: request.gated,
        source: "huggingface",
      },
    });
  } catch (error) {
    throw new ModelManagerError(
      "storage",
      `record ${request.file.path} of ${request.repo.id} in ${repoDir}: ${
        error instanceof Error ? error.message : error
      }`,
      { hint: "check that the store is writable", cause: error },
    );
  }
}

/**
 * The `models` entries of the repository's model files once this file is recorded: for
 * each, what a download would bring with it as the listing holds it, among the files the
 * store then holds. A model pulled alone names no companion until a client pulls one.
 */
async function modelEntriesOf(
  runtime: Runtime,
  what: { repoDir: string; request: PullRequest },
): Promise<Record<string, ModelRecord>> {
  const { file, listing } = what.request;
  const record = await readRepoRecord(runtime, what.repoDir);
  const held = new Set([...Object.keys(record?.files ?? {}), file.path]);
  const { COMPANION_FILES } = await loadModelsConfig(runtime);
  const entries: Record<string, ModelRecord> = {};
  for (const modelFile of listing.filter((entry) => isModelFileName(entry.path))) {
    if (!held.has(modelFile.path)) continue;
    const planned = filesOfModel(listing, { modelFile, companionFiles: COMPANION_FILES })
      .filter((entry) => held.has(entry.file.path));
    entries[modelFile.path] = modelRecordOf(
      planned.map((entry) => ({ file: entry.file.path, kind: entry.kind })),
    );
  }
  return entries;
}
