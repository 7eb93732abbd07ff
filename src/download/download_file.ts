/**
 * Downloading one file of a repository into a verified partial file: resume
 * from the persisted state, parallel ranged segments, retries that continue
 * from the bytes already written, a single-stream fallback when the server
 * ignores Range, and verification of size and hash.
 *
 * @module
 */
import { cancelledError, isAbortError, ModelManagerError } from "../errors.ts";
import type { HubConnection } from "../http/hub_connection.ts";
import { type RetryOptions, withRetry } from "../http/retry.ts";
import type { RepoFile } from "../hub/list_files.ts";
import type { RepoId } from "../hub/repo_id.ts";
import { resolveFile } from "../hub/resolve_file.ts";
import type { FileHandle, Runtime } from "../runtime/runtime.ts";
import { storageFailure } from "../store/storage_error.ts";
import type { DownloadEventHandler } from "./download_events.ts";
import {
  type DownloadState,
  type FileIdentity,
  partialPathOf,
  readDownloadState,
  removePartial,
  sameIdentity,
  statePathOf,
  writeDownloadState,
} from "./download_state.ts";
import {
  fetchSegment,
  RangeIgnoredError,
  RemoteChangedError,
  type SegmentFetch,
} from "./fetch_segment.ts";
import { createContentHasher, type ExpectedHash, hashFile } from "./file_hash.ts";
import { completedBytes, isComplete, planSegments, type Segment } from "./segment_plan.ts";

/** The engine's settings. */
export interface DownloadEngineOptions {
  /** File system and process access. */
  runtime: Runtime;
  /** Hub settings (endpoint, token, fetch, user signal). */
  connection: HubConnection;
  /** Parallel connections for large files (default 8). */
  connections?: number;
  /** Files at least this large use parallel segments (default 64 MiB). */
  parallelThreshold?: number;
  /** Restart a request after this long without a byte (default 30 s). */
  idleTimeoutMs?: number;
  /** Retry policy for each segment. */
  retry?: RetryOptions;
  /** Receives progress events. */
  onEvent?: DownloadEventHandler;
}

/** One file to download. */
export interface FileDownloadRequest {
  /** The repository. */
  repo: RepoId;
  /** The pinned commit. */
  commit: string;
  /** The file as listed at that commit. */
  file: RepoFile;
  /** Where the finished file goes (the partial file sits beside it). */
  destination: string;
}

/** What a finished file download did. */
export interface FileDownloadResult {
  /** The repository path. */
  file: string;
  /** Where the file goes once finalised. */
  destination: string;
  /** Size in bytes. */
  size: number;
  /** The verified SHA-256, for LFS files. */
  sha256?: string;
  /** The verified git blob SHA-1, for small files. */
  gitSha1?: string;
  /** Bytes fetched over the network by this run. */
  transferred: number;
  /** Bytes that were already on disk from an earlier run. */
  resumedBytes: number;
}

/** The defaults, chosen from the benchmarks in `bench/`. */
export const DEFAULT_CONNECTIONS = 8;
/** Files from this size up are fetched with parallel segments. */
export const DEFAULT_PARALLEL_THRESHOLD = 64 * 1024 * 1024;
/** No byte for this long restarts a request. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

const SAVE_EVERY_MS = 1000;
const SAVE_EVERY_BYTES = 16 * 1024 * 1024;
const SAVE_MIN_INTERVAL_MS = 100;
const PROGRESS_EVERY_MS = 100;

/** The hash a file is checked against: SHA-256 for LFS files, the git blob SHA-1 otherwise. */
export function expectedHashOf(identity: FileIdentity): ExpectedHash | undefined {
  if (identity.sha256) return { algorithm: "sha256", hex: identity.sha256 };
  if (identity.gitSha1) return { algorithm: "git-sha1", hex: identity.gitSha1 };
  return undefined;
}

function identityOf(file: RepoFile): FileIdentity {
  return { size: file.size, sha256: file.sha256, gitSha1: file.lfs ? undefined : file.gitSha1 };
}

/**
 * Moves a verified partial file into place and removes its state.
 *
 * @example
 * ```ts ignore
 * await finalizeDownload(runtime, "/models/o/n/model.rkllm");
 * ```
 */
export async function finalizeDownload(runtime: Runtime, destination: string): Promise<void> {
  await runtime.rename(partialPathOf(destination), destination);
  await runtime.remove(statePathOf(destination));
}

/**
 * Downloads one file into `<destination>.part` and verifies it, resuming an
 * earlier partial download of the same file when one exists. The verified
 * partial file is then moved into place with {@linkcode finalizeDownload}.
 *
 * @example
 * ```ts ignore
 * const result = await downloadToPartial(request, { runtime, connection });
 * await finalizeDownload(runtime, result.destination);
 * ```
 */
export async function downloadToPartial(
  request: FileDownloadRequest,
  options: DownloadEngineOptions,
): Promise<FileDownloadResult> {
  const { runtime } = options;
  const emit = options.onEvent ?? (() => {});
  const identity = identityOf(request.file);
  const path = request.file.path;
  for (let restarts = 0;; restarts++) {
    try {
      return await attemptDownload(request, options, identity);
    } catch (error) {
      if (!(error instanceof RemoteChangedError) || restarts >= 1) {
        if (error instanceof RemoteChangedError) {
          await removePartial(runtime, request.destination);
          throw new ModelManagerError("integrity", `download ${path}: ${error.message}`, {
            hint: "the file changed on the server while downloading; run the command again later",
          });
        }
        throw error;
      }
      emit({ event: "restart", file: path, reason: error.message });
      await removePartial(runtime, request.destination);
    }
  }
}

async function attemptDownload(
  request: FileDownloadRequest,
  options: DownloadEngineOptions,
  identity: FileIdentity,
): Promise<FileDownloadResult> {
  const { runtime } = options;
  const emit = options.onEvent ?? (() => {});
  const path = request.file.path;
  const destination = request.destination;
  const partial = partialPathOf(destination);

  let state = await readDownloadState(runtime, destination);
  const partialSize = (await runtime.stat(partial).catch(() => undefined))?.size;
  if (state && !sameIdentity(state.identity, identity)) {
    emit({
      event: "restart",
      file: path,
      reason: `${path} changed on the Hub since the partial download; starting it over`,
    });
    state = undefined;
  } else if (state && partialSize === undefined) {
    state = undefined;
  }
  if (state?.verified && partialSize === identity.size) {
    emit({ event: "done", file: path, total: identity.size, transferred: 0, skipped: true });
    return {
      file: path,
      destination,
      size: identity.size,
      ...hashFields(identity),
      transferred: 0,
      resumedBytes: identity.size,
    };
  }

  const resolved = await resolveFile(options.connection, request.repo, request.commit, path);
  if (resolved.size !== undefined && resolved.size !== identity.size) {
    throw new RemoteChangedError(
      `the Hub lists ${path} with ${identity.size} bytes but serves ${resolved.size}`,
    );
  }
  const connections = options.connections ?? DEFAULT_CONNECTIONS;
  if (!state) {
    state = {
      version: 1,
      file: path,
      commit: request.commit,
      identity,
      segments: planSegments(identity.size, {
        connections,
        parallelThreshold: options.parallelThreshold ?? DEFAULT_PARALLEL_THRESHOLD,
      }),
    };
  }
  const resumedBytes = completedBytes(state.segments);
  const handle = await openPartial(runtime, partial, resumedBytes === 0, path);
  try {
    await writeDownloadState(runtime, destination, state);
    emit({
      event: "start",
      file: path,
      total: identity.size,
      resumedBytes,
      connections: Math.min(connections, state.segments.length),
    });
    const transfer = new TransferTracker(runtime, destination, state, handle, emit, resumedBytes);
    const hasher = await fetchAllSegments(
      request,
      options,
      state,
      handle,
      resolved.contentUrl,
      transfer,
    );
    await transfer.save();

    const expected = expectedHashOf(identity);
    const size = (await runtime.stat(partial)).size;
    if (size !== identity.size) {
      await handle.close();
      await removePartial(runtime, destination);
      throw new ModelManagerError(
        "integrity",
        `verify ${path}: expected ${identity.size} bytes, got ${size}`,
        {
          hint: "the partial file was removed; run the command again to download it from scratch",
        },
      );
    }
    if (expected) {
      let actual: string;
      if (hasher) {
        actual = hasher.digest();
      } else {
        emit({ event: "verify", file: path });
        actual = await hashFile(runtime, partial, expected.algorithm, options.connection.signal);
      }
      if (actual !== expected.hex) {
        await handle.close();
        await removePartial(runtime, destination);
        throw new ModelManagerError(
          "integrity",
          `verify ${path}: expected ${expected.algorithm} ${expected.hex}, got ${actual}`,
          {
            hint:
              "the bytes were corrupted in transit or by the server; the bad file was removed — run the command again",
            details: { file: path, expected: expected.hex, actual, algorithm: expected.algorithm },
          },
        );
      }
    }
    state.verified = true;
    await writeDownloadState(runtime, destination, state);
    emit({
      event: "done",
      file: path,
      total: identity.size,
      transferred: transfer.transferred,
      skipped: false,
    });
    return {
      file: path,
      destination,
      size: identity.size,
      ...hashFields(identity),
      transferred: transfer.transferred,
      resumedBytes,
    };
  } finally {
    await handle.close();
  }
}

function hashFields(identity: FileIdentity): { sha256?: string; gitSha1?: string } {
  return { sha256: identity.sha256, gitSha1: identity.gitSha1 };
}

async function openPartial(
  runtime: Runtime,
  partial: string,
  fresh: boolean,
  file: string,
): Promise<FileHandle> {
  try {
    const handle = await runtime.open(partial, { write: true, create: true });
    if (fresh) await handle.truncate(0);
    return handle;
  } catch (error) {
    throw storageFailure(`create ${partial} for ${file}`, error, true);
  }
}

/** Counts bytes, reports progress and persists segment progress as it goes. */
class TransferTracker {
  transferred = 0;
  #runtime: Runtime;
  #destination: string;
  #state: DownloadState;
  #handle: FileHandle;
  #emit: DownloadEventHandler;
  #base: number;
  #lastProgressAt = 0;
  #lastSaveAt = Date.now();
  #unsavedBytes = 0;
  #saving: Promise<void> | undefined;

  constructor(
    runtime: Runtime,
    destination: string,
    state: DownloadState,
    handle: FileHandle,
    emit: DownloadEventHandler,
    base: number,
  ) {
    this.#runtime = runtime;
    this.#destination = destination;
    this.#state = state;
    this.#handle = handle;
    this.#emit = emit;
    this.#base = base;
  }

  onBytes(count: number): void {
    this.transferred += count;
    this.#unsavedBytes += count;
    const now = Date.now();
    if (now - this.#lastProgressAt >= PROGRESS_EVERY_MS) {
      this.#lastProgressAt = now;
      this.#emit({
        event: "progress",
        file: this.#state.file,
        bytes: completedBytes(this.#state.segments),
        total: this.#state.identity.size,
      });
    }
    const due = now - this.#lastSaveAt >= SAVE_EVERY_MS || this.#unsavedBytes >= SAVE_EVERY_BYTES;
    if (due && !this.#saving && now - this.#lastSaveAt >= SAVE_MIN_INTERVAL_MS) {
      this.#saving = this.save().catch(() => {}).finally(() => (this.#saving = undefined));
    }
  }

  restartFromZero(): void {
    this.#base = 0;
  }

  /** Flushes the data, then records how far each segment got. */
  async save(): Promise<void> {
    await this.#saving;
    this.#lastSaveAt = Date.now();
    this.#unsavedBytes = 0;
    const snapshot = {
      ...this.#state,
      segments: this.#state.segments.map((segment) => ({ ...segment })),
    };
    await this.#handle.sync();
    await writeDownloadState(this.#runtime, this.#destination, snapshot);
  }

  finalProgress(): void {
    this.#emit({
      event: "progress",
      file: this.#state.file,
      bytes: completedBytes(this.#state.segments),
      total: this.#state.identity.size,
    });
  }
}

async function fetchAllSegments(
  request: FileDownloadRequest,
  options: DownloadEngineOptions,
  state: DownloadState,
  handle: FileHandle,
  contentUrl: URL,
  transfer: TransferTracker,
) {
  const emit = options.onEvent ?? (() => {});
  const path = request.file.path;
  const userSignal = options.connection.signal;
  let currentUrl = contentUrl;
  let refreshing: Promise<void> | undefined;
  const refreshUrl = () => {
    refreshing ??= resolveFile(options.connection, request.repo, request.commit, path)
      .then((resolved) => void (currentUrl = resolved.contentUrl))
      .finally(() => (refreshing = undefined));
    return refreshing;
  };

  for (;;) {
    const wholeFile = state.segments.length === 1;
    const newHasher = () => {
      const expected = expectedHashOf(state.identity);
      return expected ? createContentHasher(expected.algorithm, state.identity.size) : undefined;
    };
    const stop = new AbortController();
    const signal = userSignal ? AbortSignal.any([userSignal, stop.signal]) : stop.signal;
    const connection: HubConnection = { ...options.connection, signal };
    const job: SegmentFetch = {
      connection,
      contentUrl: currentUrl,
      handle,
      total: state.identity.size,
      idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
      file: path,
      repo: request.repo.id,
      onBytes: (count) => transfer.onBytes(count),
      // Hashing while streaming works only when the bytes arrive in order from byte 0.
      hasher: wholeFile && state.segments[0].next === 0 ? newHasher() : undefined,
      onRestartFromZero: () => {
        job.hasher = newHasher();
        transfer.restartFromZero();
        emit({
          event: "restart",
          file: path,
          reason: "the server ignored Range; downloading from the start",
        });
      },
    };
    const queue = state.segments.filter((segment) => segment.next <= segment.end);
    const worker = async () => {
      for (let segment = queue.shift(); segment; segment = queue.shift()) {
        const current: Segment = segment;
        let before = current.next;
        await withRetry(async () => {
          job.contentUrl = currentUrl;
          before = current.next;
          await fetchSegment(job, current, wholeFile);
        }, {
          ...options.retry,
          signal,
          madeProgress: () => current.next > before,
          onRetry: (event) => {
            emit({
              event: "retry",
              file: path,
              attempt: event.attempt,
              delayMs: Math.round(event.delayMs),
              message: event.error.message,
            });
            if (event.error.details.refreshUrl) void refreshUrl().catch(() => {});
          },
        }).catch((error) => {
          // The first failure stops every other segment; it is the one reported.
          if (!stop.signal.aborted) stop.abort(error);
          throw error;
        });
      }
    };
    const workers = Array.from({
      length: Math.min(options.connections ?? DEFAULT_CONNECTIONS, queue.length),
    }, worker);
    const results = await Promise.allSettled(workers);
    const failure = results.find((result): result is PromiseRejectedResult =>
      result.status === "rejected"
    );
    if (!failure) {
      transfer.finalProgress();
      if (!isComplete(state.segments)) {
        throw new Error("internal: segments incomplete after all workers finished");
      }
      return job.hasher;
    }
    await transfer.save().catch(() => {});
    if (userSignal?.aborted) throw cancelledError(userSignal.reason);
    const reason = stop.signal.reason ?? failure.reason;
    if (reason instanceof RangeIgnoredError) {
      emit({
        event: "restart",
        file: path,
        reason: "the server ignores Range; downloading in one stream",
      });
      state.segments = [{ start: 0, end: state.identity.size - 1, next: 0 }];
      await handle.truncate(0);
      transfer.restartFromZero();
      continue;
    }
    throw isAbortError(reason) ? cancelledError(reason) : reason;
  }
}
