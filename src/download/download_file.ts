/**
 * Downloading one file of a repository into a verified partial file: resume
 * from the persisted state, parallel ranged segments, retries that continue
 * from the bytes already written, a single-stream fallback when the server
 * ignores Range, and verification of size and the best hash the Hub gave.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import type { HubConnection } from "../http/hub_connection.ts";
import type { RepoSource } from "../source/repo_source.ts";
import type { RetryOptions } from "../http/retry.ts";
import type { RepoFile } from "../hub/list_files.ts";
import type { RepoId } from "../hub/repo_id.ts";
import { type FileHandle, hubTransport, type Runtime } from "../runtime/runtime.ts";
import { storageFailure } from "../store/storage_error.ts";
import type { DownloadEventHandler } from "./download_events.ts";
import { type ConfirmedFile, confirmFile } from "./confirm_identity.ts";
import {
  claimingOnAnyBoot,
  type DownloadState,
  type FileIdentity,
  holdsSavedBytes,
  identityOfFile,
  partialPathOf,
  readDownloadState,
  removePartial,
  sameIdentity,
  statePathOf,
  writeDownloadState,
} from "../store/partial_state.ts";
import { RemoteChangedError } from "./fetch_segment.ts";
import { type ExpectedHash, expectedHashOf } from "./file_hash.ts";
import { PrefixHasher } from "./prefix_hasher.ts";
import { fetchAllSegments, type SegmentRun } from "./segment_workers.ts";
import { PieceBook } from "./piece_book.ts";
import { planSegments } from "./segment_plan.ts";
import { TransferTracker } from "./transfer_tracker.ts";

/** The engine's settings. */
export interface DownloadEngineOptions {
  /** File system and process access. */
  runtime: Runtime;
  /** Hub settings (endpoint, token, fetch, user signal). */
  connection: HubConnection;
  /** The hub files are resolved on; Hugging Face when absent. */
  source?: RepoSource;
  /** Parallel connections for large files ({@linkcode DEFAULT_CONNECTIONS} when absent). */
  connections?: number;
  /** Files at least this large use parallel segments ({@linkcode DEFAULT_PARALLEL_THRESHOLD} when absent). */
  parallelThreshold?: number;
  /**
   * Restart a request after this long without a byte, or too slow over it
   * ({@linkcode DEFAULT_IDLE_TIMEOUT_MS} when absent).
   */
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
  /**
   * The SHA-256 the file was verified against (from the listing, or from
   * `X-Linked-Etag` when the listing had none).
   */
  sha256?: string;
  /**
   * The git blob SHA-1 it was verified against (from the listing, or from the
   * `ETag` of a small file). With neither, the file was checked by size only.
   */
  gitSha1?: string;
  /** Bytes fetched over the network by this run. */
  transferred: number;
  /** Bytes that were already on disk from an earlier run. */
  resumedBytes: number;
}

/**
 * The defaults, chosen from the benchmarks in `bench/`.
 */
export const DEFAULT_CONNECTIONS = 8;
/**
 * Files from this size up are fetched with parallel segments.
 */
export const DEFAULT_PARALLEL_THRESHOLD = 64 * 1024 * 1024;
/**
 * No byte for this long restarts a request.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
/** A verify event is reported when more than this is left to hash once the last byte arrived. */
const VERIFY_EVENT_BYTES = 64 * 1024 * 1024;

/**
 * Moves a verified partial file into place and removes its state.
 */
export async function finalizeDownload(runtime: Runtime, destination: string): Promise<void> {
  await runtime.rename(partialPathOf(destination), destination);
  await runtime.remove(statePathOf(destination));
}

/** A finished file whose hash is not the one expected. */
class HashMismatchError extends Error {
  readonly expected: ExpectedHash;
  readonly actual: string;
  constructor(expected: ExpectedHash, actual: string) {
    super(`expected ${expected.algorithm} ${expected.hex}, got ${actual}`);
    this.name = "HashMismatchError";
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * Downloads one file into `<destination>.part` and verifies it, resuming an
 * earlier partial download of the same file when one exists. The verified
 * partial file is then moved into place with {@linkcode finalizeDownload}.
 * A file that fails its hash, or changes on the server meanwhile, is
 * downloaded once more from the start (its content may have changed on the
 * CDN) before that is an error.
 */
export function downloadToPartial(
  request: FileDownloadRequest,
  options: DownloadEngineOptions,
): Promise<FileDownloadResult> {
  return downloadRestarting(request, options, []);
}

/** Why a download starts over from nothing: its finished hash, or the remote file changed. */
type RestartCause = "hash" | "changed";

/** What starts a download over, and the error reported when it happens a second time. */
interface Restart {
  cause: RestartCause;
  reason: string;
  failure: ModelManagerError;
}

/** The restart `error` calls for, if it calls for one. */
function restartFor(error: unknown, path: string): Restart | undefined {
  if (error instanceof HashMismatchError) {
    return {
      cause: "hash",
      reason:
        `the finished file failed its ${error.expected.algorithm} check; downloading it again from the start`,
      failure: integrityFailure(path, error),
    };
  }
  if (error instanceof RemoteChangedError) {
    return {
      cause: "changed",
      reason: error.message,
      failure: new ModelManagerError("integrity", `download ${path}: ${error.message}`, {
        hint: "the file changed on the server while downloading; run the command again later",
      }),
    };
  }
  return undefined;
}

/** One attempt; after a restart cause not in `restarted`, the partial file is removed and one more. */
async function downloadRestarting(
  request: FileDownloadRequest,
  options: DownloadEngineOptions,
  restarted: readonly RestartCause[],
): Promise<FileDownloadResult> {
  const path = request.file.path;
  try {
    return await attemptDownload(request, options);
  } catch (error) {
    const restart = restartFor(error, path);
    if (!restart) throw error;
    await removePartial(options.runtime, request.destination);
    if (restarted.includes(restart.cause)) throw restart.failure;
    options.onEvent?.({ event: "restart", file: path, reason: restart.reason });
    return await downloadRestarting(request, options, [...restarted, restart.cause]);
  }
}

function integrityFailure(path: string, error: HashMismatchError): ModelManagerError {
  const { expected, actual } = error;
  return new ModelManagerError(
    "integrity",
    `verify ${path}: expected ${expected.algorithm} ${expected.hex}, got ${actual}`,
    {
      hint:
        "the bytes were corrupted in transit or by the server, twice; the bad file was removed — run the command again",
      file: path,
      expected: expected.hex,
      actual,
    },
  );
}

/** The state of an earlier partial download that can be continued, if any. */
async function resumableState(
  request: FileDownloadRequest,
  options: DownloadEngineOptions,
  identity: FileIdentity,
): Promise<{ state?: DownloadState; partialSize?: number }> {
  const { runtime } = options;
  const emit = options.onEvent ?? (() => {});
  const path = request.file.path;
  const state = await readDownloadState(runtime, request.destination);
  const partialSize =
    (await runtime.stat(partialPathOf(request.destination)).catch(() => undefined))?.size;
  if (state && !sameIdentity(state.identity, identity)) {
    emit({
      event: "restart",
      file: path,
      reason: `${path} changed on the Hub since the partial download; starting it over`,
    });
    return { partialSize };
  }
  if (state && !holdsSavedBytes(state, partialSize)) {
    // The partial file lost bytes its state counts (removed, truncated, or not flushed before a crash).
    if (partialSize !== undefined) {
      emit({
        event: "restart",
        file: path,
        reason: `the partial file of ${path} is shorter than its saved progress; starting it over`,
      });
    }
    return { partialSize };
  }
  return { state, partialSize };
}

async function attemptDownload(
  request: FileDownloadRequest,
  options: DownloadEngineOptions,
): Promise<FileDownloadResult> {
  const emit = options.onEvent ?? (() => {});
  const path = request.file.path;
  const listed = identityOfFile(request.file);

  const resumable = await resumableState(request, options, listed);
  if (resumable.state?.verified && resumable.partialSize === listed.size) {
    return alreadyVerified(request, { state: resumable.state, listed, emit });
  }

  const confirmed = await confirmFile(request, {
    connection: options.connection,
    source: options.source,
    retry: options.retry,
    onEvent: options.onEvent,
  });
  let state = resumable.state;
  if (state && !sameIdentity(state.identity, confirmed.identity)) {
    emit({
      event: "restart",
      file: path,
      reason: `${path} changed on the Hub (its listing and download agree); starting it over`,
    });
    state = undefined;
  }
  const connections = options.connections ?? DEFAULT_CONNECTIONS;
  state ??= {
    version: 1,
    file: path,
    commit: request.commit,
    identity: confirmed.identity,
    segments: planSegments(confirmed.identity.size, {
      connections,
      parallelThreshold: options.parallelThreshold ?? DEFAULT_PARALLEL_THRESHOLD,
    }),
  };
  return await downloadInto(request, options, { state, confirmed, connections });
}

/** A file a previous run downloaded and verified, reported as skipped. */
function alreadyVerified(
  request: FileDownloadRequest,
  found: { state: DownloadState; listed: FileIdentity; emit: DownloadEventHandler },
): FileDownloadResult {
  const { state, listed, emit } = found;
  emit({
    event: "done",
    file: request.file.path,
    total: listed.size,
    transferred: 0,
    skipped: true,
  });
  const hash = state.verifiedHash ?? expectedHashOf(listed);
  return resultOf(request, {
    size: listed.size,
    hash,
    transferred: 0,
    resumedBytes: listed.size,
  });
}

/** What one attempt downloads: from which state, where the bytes are, over how many connections. */
interface AttemptPlan {
  state: DownloadState;
  confirmed: ConfirmedFile;
  connections: number;
}

/** Fetches what is missing into the partial file, verifies it and saves it as verified. */
async function downloadInto(
  request: FileDownloadRequest,
  options: DownloadEngineOptions,
  plan: AttemptPlan,
): Promise<FileDownloadResult> {
  const { runtime } = options;
  const emit = options.onEvent ?? (() => {});
  const { state, confirmed: { identity, expected }, connections } = plan;
  const { destination, file: { path } } = request;
  const book = new PieceBook(state.segments);
  const resumedBytes = book.completed();
  const handle = await openPartial(runtime, partialPathOf(destination), resumedBytes === 0, path);
  try {
    await writeDownloadState(runtime, { destination, state });
    emit({
      event: "start",
      file: path,
      total: identity.size,
      resumedBytes,
      connections: Math.min(connections, book.pieces.length),
    });
    const transfer = new TransferTracker(runtime, { destination, state, book, handle, emit });
    const rereadBytes = await fetchAndVerify(request, options, { plan, book, handle, transfer });
    const verified = {
      // The last save flushed every byte: the segments hold on any boot.
      ...claimingOnAnyBoot(state, book.snapshot()),
      verified: true,
      verifiedHash: expected,
    };
    await writeDownloadState(runtime, { destination, state: verified });
    emit({
      event: "done",
      file: path,
      total: identity.size,
      transferred: transfer.transferred,
      skipped: false,
      rereadBytes,
    });
    return resultOf(request, {
      size: identity.size,
      hash: expected,
      transferred: transfer.transferred,
      resumedBytes,
    });
  } finally {
    await handle.close();
  }
}

/** One attempt's piece state, partial file and bookkeeping. */
interface AttemptFiles {
  plan: AttemptPlan;
  book: PieceBook;
  handle: FileHandle;
  transfer: TransferTracker;
}

/**
 * Fetches every missing byte, hashing the contiguous prefix as it grows, and
 * verifies the file; answers how much was left to hash after the last byte.
 */
async function fetchAndVerify(
  request: FileDownloadRequest,
  options: DownloadEngineOptions,
  files: AttemptFiles,
): Promise<number | undefined> {
  const { plan, book, handle, transfer } = files;
  const { state, confirmed: { identity, expected } } = plan;
  const reader = expected && await openReader(options.runtime, request);
  try {
    const hasher = reader && new PrefixHasher(expected, {
      handle: reader,
      size: identity.size,
      contiguous: () => book.contiguous(),
      file: request.file.path,
      signal: options.connection.signal,
    });
    // What an earlier run wrote is hashed from the file while the rest downloads.
    hasher?.readBackPrefix();
    const run = segmentRun(request, options, { plan, transfer, hasher });
    await fetchAllSegments(run, { state, book, handle });
    // Whatever the hasher has not reached once the last byte arrived is read back from disk.
    const rereadBytes = hasher && identity.size - hasher.hashed;
    await transfer.save();
    await verifyPartial(request, options, { identity, expected, handle, hasher, rereadBytes });
    return rereadBytes;
  } finally {
    await reader?.close().catch(() => {});
  }
}

/**
 * A handle of the hasher's own on the partial file, so that its reads never
 * queue behind a connection's writes (Deno serialises the calls on one handle).
 */
async function openReader(runtime: Runtime, request: FileDownloadRequest): Promise<FileHandle> {
  try {
    return await runtime.open(partialPathOf(request.destination));
  } catch (error) {
    throw storageFailure(`open ${partialPathOf(request.destination)} to hash it`, error, {
      resumable: true,
    });
  }
}

/** What the segment workers of one attempt need. */
function segmentRun(
  request: FileDownloadRequest,
  options: DownloadEngineOptions,
  attempt: { plan: AttemptPlan; transfer: TransferTracker; hasher?: PrefixHasher },
): SegmentRun {
  const { plan: { confirmed, connections }, transfer, hasher } = attempt;
  const { runtime } = options;
  return {
    connection: transportFor(options),
    source: options.source,
    repo: request.repo,
    commit: request.commit,
    contentUrl: confirmed.resolved.contentUrl,
    connections,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    onWritten: hasher && ((position, bytes) => hasher.written(position, bytes)),
    retry: options.retry,
    emit: options.onEvent ?? (() => {}),
    transfer,
    openWriter: () => runtime.open(partialPathOf(request.destination), { write: true }),
  };
}

/**
 * Checks the partial file's size and hash. A wrong size removes it (an
 * `integrity` error); a wrong hash is a {@linkcode HashMismatchError}.
 */
async function verifyPartial(
  request: FileDownloadRequest,
  options: DownloadEngineOptions,
  downloaded: {
    identity: FileIdentity;
    expected?: ExpectedHash;
    handle: FileHandle;
    hasher?: PrefixHasher;
    /** What the hasher had left when the last byte arrived. */
    rereadBytes?: number;
  },
): Promise<void> {
  const { runtime } = options;
  const emit = options.onEvent ?? (() => {});
  const { identity, expected, handle, hasher, rereadBytes = 0 } = downloaded;
  const { destination, file: { path } } = request;
  const size = (await runtime.stat(partialPathOf(destination))).size;
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
  if (expected && hasher) {
    // Most of the file was hashed as it arrived; what is left is read back here.
    if (rereadBytes > VERIFY_EVENT_BYTES) emit({ event: "verify", file: path, rereadBytes });
    const actual = await hasher.digest();
    if (actual !== expected.hex) {
      await handle.close();
      throw new HashMismatchError(expected, actual);
    }
  }
}

/**
 * The connection file bodies are fetched over: the runtime's own transport
 * (Node: bare sockets) when the caller left `fetch` to the platform, else the
 * caller's `fetch`. Either way the http layer adds the token, follows
 * redirects and times out requests the same.
 */
function transportFor(options: DownloadEngineOptions): HubConnection {
  const { connection, runtime } = options;
  return { ...connection, fetch: hubTransport(runtime, connection.fetch) };
}

function resultOf(
  request: FileDownloadRequest,
  outcome: { size: number; hash?: ExpectedHash; transferred: number; resumedBytes: number },
): FileDownloadResult {
  const { size, hash, transferred, resumedBytes } = outcome;
  return {
    file: request.file.path,
    destination: request.destination,
    size,
    sha256: hash?.algorithm === "sha256" ? hash.hex : undefined,
    gitSha1: hash?.algorithm === "git-sha1" ? hash.hex : undefined,
    transferred,
    resumedBytes,
  };
}

async function openPartial(
  runtime: Runtime,
  partial: string,
  fresh: boolean,
  file: string,
): Promise<FileHandle> {
  try {
    const handle = await runtime.open(partial, { write: true, create: true });
    if (fresh) {
      await handle.truncate(0).catch(async (error) => {
        await handle.close().catch(() => {});
        throw error;
      });
    }
    return handle;
  } catch (error) {
    throw storageFailure(`create ${partial} for ${file}`, error, { resumable: true });
  }
}
