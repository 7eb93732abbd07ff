/**
 * Downloading one file of a repository into a verified partial file: resume
 * from the persisted state, parallel ranged segments, retries that continue
 * from the bytes already written, a single-stream fallback when the server
 * ignores Range, and verification of size and hash.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import type { HubConnection } from "../http/hub_connection.ts";
import type { RetryOptions } from "../http/retry.ts";
import type { RepoFile } from "../hub/list_files.ts";
import type { RepoId } from "../hub/repo_id.ts";
import { resolveFile } from "../hub/resolve_file.ts";
import type { FileHandle, Runtime } from "../runtime/runtime.ts";
import { storageFailure } from "../store/storage_error.ts";
import type { DownloadEventHandler } from "./download_events.ts";
import {
  type FileIdentity,
  holdsSavedBytes,
  identityOfFile,
  partialPathOf,
  readDownloadState,
  removePartial,
  sameIdentity,
  statePathOf,
  writeDownloadState,
} from "./download_state.ts";
import { RemoteChangedError } from "./fetch_segment.ts";
import { expectedHashOf, hashFile } from "./file_hash.ts";
import { fetchAllSegments } from "./segment_workers.ts";
import { completedBytes, planSegments } from "./segment_plan.ts";
import { TransferTracker } from "./transfer_tracker.ts";

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
  const identity = identityOfFile(request.file);
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
  } else if (state && !holdsSavedBytes(state, partialSize)) {
    // The partial file lost bytes its state counts (removed, truncated, or not flushed before a crash).
    if (partialSize !== undefined) {
      emit({
        event: "restart",
        file: path,
        reason: `the partial file of ${path} is shorter than its saved progress; starting it over`,
      });
    }
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
  // Only an X-Linked-Etag shaped like a SHA-256 is compared: proxies may send other etags.
  const servedSha256 = /^[0-9a-f]{64}$/i.test(resolved.etag ?? "") ? resolved.etag : undefined;
  if (identity.sha256 && servedSha256 && servedSha256.toLowerCase() !== identity.sha256) {
    throw new RemoteChangedError(
      `the Hub lists ${path} with sha256 ${identity.sha256} but serves ${servedSha256}`,
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
    const transfer = new TransferTracker(runtime, destination, state, handle, emit);
    const hasher = await fetchAllSegments(
      {
        connection: options.connection,
        repo: request.repo,
        commit: request.commit,
        contentUrl: resolved.contentUrl,
        connections,
        idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
        retry: options.retry,
        emit,
        transfer,
        openWriter: () => runtime.open(partial, { write: true }),
      },
      state,
      handle,
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
