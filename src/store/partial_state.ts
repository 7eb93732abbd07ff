/**
 * The store's layout for a partial download: its names (`<file>.part` beside
 * `<file>.part.state`) and the persisted state, which file (and which version
 * of it) the partial bytes belong to and how far each segment got. Resuming
 * is reading this file, not guessing from sizes. The download engine writes
 * it; the store reads it to list, report and clean partial downloads.
 *
 * @module
 */
import { writeJsonAtomic } from "./atomic_write.ts";
import { isJsonObject, readJsonFile } from "./json_file.ts";
import { storageFailure } from "./storage_error.ts";
import type { Runtime } from "../runtime/runtime.ts";
import type { RepoFile } from "../hub/list_files.ts";

/** The suffix of a partial download's file, beside its destination. */
export const PARTIAL_SUFFIX = ".part";

/** The suffix of a partial download's state file, beside its destination. */
export const STATE_SUFFIX = `${PARTIAL_SUFFIX}.state`;

/** One byte range of a file and how much of it is on disk. */
export interface Segment {
  /** First byte (inclusive). */
  start: number;
  /** Last byte (inclusive). */
  end: number;
  /** The next byte to fetch; `end + 1` when the segment is complete. */
  next: number;
}

/** Bytes already downloaded across segments. */
export function completedBytes(segments: Segment[]): number {
  return segments.reduce((sum, segment) => sum + (segment.next - segment.start), 0);
}

/** What identifies the remote file a partial download belongs to. */
export interface FileIdentity {
  size: number;
  /** SHA-256 of the content, when known (LFS files). */
  sha256?: string;
  /** Git blob SHA-1, when known (small files). */
  gitSha1?: string;
}

/** Whether a value is a SHA-256 in hex (a masked `*` or any other text is not). */
export function isSha256Hex(value: string | undefined): value is string {
  return value !== undefined && /^[0-9a-f]{64}$/i.test(value);
}

/** Whether a value is a git SHA-1 in hex (a masked `*` or any other text is not). */
export function isGitSha1Hex(value: string | undefined): value is string {
  return value !== undefined && /^[0-9a-f]{40}$/i.test(value);
}

/**
 * The identity the Hub states for a listed file: its size, and the SHA-256
 * for LFS files or the git blob SHA-1 for the others. A hash that is not
 * well-formed hex of its length (gated repos mask them as `*`) is left out.
 */
export function identityOfFile(file: RepoFile): FileIdentity {
  const gitSha1 = file.lfs ? undefined : file.gitSha1;
  return {
    size: file.size,
    sha256: isSha256Hex(file.sha256) ? file.sha256.toLowerCase() : undefined,
    gitSha1: isGitSha1Hex(gitSha1) ? gitSha1.toLowerCase() : undefined,
  };
}

/** The state file's contents. */
export interface DownloadState {
  version: 1;
  /** The repository path of the file. */
  file: string;
  /** The commit it was resolved at. */
  commit: string;
  /** The remote file's identity when the download began. */
  identity: FileIdentity;
  /**
   * How far each segment got: bytes written to the partial file. With a
   * {@linkcode DownloadState.bootId}, bytes the system may still hold in memory only.
   */
  segments: Segment[];
  /**
   * The boot of the machine during which `segments` were saved. Written bytes
   * survive a killed process but not a power cut or reboot: a later boot (or
   * another machine) trusts only {@linkcode DownloadState.durableSegments}, as
   * does a file without a hash to check it against.
   */
  bootId?: string;
  /** How far each segment got on disk: the last progress a flush of the partial file made durable. */
  durableSegments?: Segment[];
  /** Set once the partial file has been verified and only awaits its rename into place. */
  verified?: boolean;
  /** The hash it was verified against (none: checked by size only), once `verified`. */
  verifiedHash?: { algorithm: "sha256" | "git-sha1"; hex: string };
}

/** The partial file beside a destination. */
export function partialPathOf(destination: string): string {
  return `${destination}${PARTIAL_SUFFIX}`;
}

/** The state file beside a destination's partial file. */
export function statePathOf(destination: string): string {
  return `${destination}${STATE_SUFFIX}`;
}

/**
 * The destination a partial file or its state file belongs to; `undefined`
 * for any other name.
 */
export function destinationOfPartial(path: string): string | undefined {
  if (path.endsWith(STATE_SUFFIX)) return path.slice(0, -STATE_SUFFIX.length);
  if (path.endsWith(PARTIAL_SUFFIX)) return path.slice(0, -PARTIAL_SUFFIX.length);
  return undefined;
}

/**
 * Reads a download's state; `undefined` when there is none or it is unreadable
 * (the download then starts over).
 */
export async function readDownloadState(
  runtime: Runtime,
  destination: string,
): Promise<DownloadState | undefined> {
  const read = await readJsonFile<DownloadState>(runtime, statePathOf(destination), {
    check: downloadStateProblem,
  });
  if (read.status === "unreadable") throw read.error;
  return read.status === "ok" ? trustedState(read.value, runtime.bootId()) : undefined;
}

/**
 * A saved state as this boot may trust it: progress saved during this boot
 * stands (the partial file's bytes are in the page cache if not on disk); after
 * a reboot, or on another machine, only the progress that was flushed counts.
 */
function trustedState(state: DownloadState, bootId: string | undefined): DownloadState {
  const { bootId: savedDuring, durableSegments } = state;
  if (savedDuring === undefined || durableSegments === undefined) {
    return claimingOnAnyBoot(state, state.segments);
  }
  if (savedDuring === bootId && mayTrustUnflushed(state.identity)) return state;
  return claimingOnAnyBoot(state, durableSegments);
}

/**
 * `state` claiming `segments` on any boot, without the claims bound to one
 * ({@linkcode DownloadState.bootId}, {@linkcode DownloadState.durableSegments}).
 */
export function claimingOnAnyBoot(state: DownloadState, segments: Segment[]): DownloadState {
  const { bootId: _boot, durableSegments: _durable, ...rest } = state;
  return { ...rest, segments };
}

/**
 * Whether progress that no flush has made durable may be trusted for a file
 * (in the boot that wrote it): only when a hash is checked before the file is
 * accepted, which catches bytes lost without a reboot (a disk pulled out and
 * mounted again).
 */
export function mayTrustUnflushed(identity: FileIdentity): boolean {
  return identity.sha256 !== undefined || identity.gitSha1 !== undefined;
}

/** What is wrong with a parsed state, or `undefined` when a download can resume from it. */
function downloadStateProblem(parsed: unknown): string | undefined {
  const state = parsed as Partial<DownloadState> | undefined;
  if (!isJsonObject(parsed) || state?.version !== 1) return "not a version 1 state";
  if (!Array.isArray(state.segments)) return "segments is not an array";
  if (typeof state.identity?.size !== "number") return "identity.size is not a number";
  if (state.bootId !== undefined && typeof state.bootId !== "string") return "bootId is not text";
  const savesDurable = state.bootId !== undefined || state.durableSegments !== undefined;
  if (savesDurable && !Array.isArray(state.durableSegments)) {
    return "durableSegments is not an array";
  }
  const segmentsValid = [...state.segments, ...state.durableSegments ?? []].every(
    (segment: Segment) =>
      Number.isSafeInteger(segment.start) && Number.isSafeInteger(segment.end) &&
      Number.isSafeInteger(segment.next) && segment.next >= segment.start &&
      segment.next <= segment.end + 1,
  );
  return segmentsValid ? undefined : "a segment's bytes are out of its range";
}

/**
 * Whether a partial file of `partialSize` bytes (`undefined`: missing) still
 * holds every byte its state counts; if not (removed, truncated, or not flushed
 * before a crash), the download starts over.
 */
export function holdsSavedBytes(state: DownloadState, partialSize: number | undefined): boolean {
  if (partialSize === undefined) return false;
  return state.segments.every((segment) =>
    segment.next === segment.start || segment.next <= partialSize
  );
}

/** What {@linkcode writeDownloadState} saves, and for which file. */
export interface DownloadStateWrite {
  /** The file being downloaded (not its `.part`). */
  destination: string;
  /** The state to save beside it. */
  state: DownloadState;
  /**
   * Flush the state file before it replaces the old one. Without, a power cut may
   * leave the old state, or on some file systems an empty one.
   *
   * @default true
   */
  flush?: boolean;
}

/** How far a partial download got. */
export interface PartialProgress {
  /** Bytes downloaded that the next run keeps (0 when it must start over). */
  bytes: number;
  /** The file's size. */
  total: number;
}

/**
 * How far the partial download of `destination` got, from its state file: the
 * bytes actually downloaded (a partial file's apparent size says nothing, as
 * parallel segments write at their offsets), and the file's size. `undefined`
 * when there is no readable state, or it belongs to another version of the file
 * than `options.identity`.
 */
export async function partialProgress(
  runtime: Runtime,
  destination: string,
  options: {
    /** The remote file as it is now: a partial download of another version counts as none. */
    identity?: FileIdentity;
  } = {},
): Promise<PartialProgress | undefined> {
  try {
    const state = await readDownloadState(runtime, destination);
    if (!state) return undefined;
    if (options.identity && !sameIdentity(state.identity, options.identity)) return undefined;
    const total = state.identity.size;
    const partialSize = (await runtime.stat(partialPathOf(destination)).catch(() => undefined))
      ?.size;
    if (!holdsSavedBytes(state, partialSize)) return { bytes: 0, total };
    return { bytes: state.verified ? total : completedBytes(state.segments), total };
  } catch {
    return undefined;
  }
}

/** Saves a download's state atomically; a file-system failure is a resumable `storage` error. */
export async function writeDownloadState(
  runtime: Runtime,
  saved: DownloadStateWrite,
): Promise<void> {
  const { destination, state, flush } = saved;
  try {
    await writeJsonAtomic(runtime, { path: statePathOf(destination), value: state, flush });
  } catch (error) {
    throw storageFailure(`save the progress of ${state.file}`, error, { resumable: true });
  }
}

/** Removes a download's partial file and state. */
export async function removePartial(runtime: Runtime, destination: string): Promise<void> {
  await runtime.remove(partialPathOf(destination));
  await runtime.remove(statePathOf(destination));
}

/** Whether the remote file is still the one a partial download belongs to. */
export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  if (a.size !== b.size) return false;
  if (a.sha256 && b.sha256) return a.sha256 === b.sha256;
  if (a.gitSha1 && b.gitSha1) return a.gitSha1 === b.gitSha1;
  return !a.sha256 && !b.sha256 && !a.gitSha1 && !b.gitSha1;
}
