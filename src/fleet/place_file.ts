/**
 * Putting one recorded file into another store (export, import): copied, or
 * hard-linked when asked and both are on one file system; the placed bytes are
 * checked against the recorded size and hash before they take the file's name,
 * so a file that does not verify never appears. Both ends are reached through
 * no symbolic link.
 *
 * @module
 */
import { link } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ModelManagerError } from "../errors.ts";
import { hashOpenFile } from "../download/file_hash.ts";
import {
  errorCodeOf,
  type FileHandle,
  type FileStat,
  isNotFound,
  type Runtime,
} from "../runtime/runtime.ts";
import type { FileRecord } from "../store/registry.ts";
import { ensureDirectoryInside, openInside, type SafePlace } from "../store/safe_path.ts";

/** How a file was placed and checked. */
export interface PlacedFile {
  /** `link` (a hard link, no bytes copied) or `copy`. */
  method: "link" | "copy";
  /** What it was checked against: a hash, or only its size (recorded without a hash). */
  checkedBy: "sha256" | "git-sha1" | "size";
}

/** A file placed under a temporary name beside its destination, verified, not yet renamed. */
export interface StagedFile extends PlacedFile {
  /** The temporary file. */
  temporary: string;
  /** Where it goes. */
  destination: string;
}

/** What {@linkcode stageVerifiedFile} places, and how. */
export interface PlaceRequest {
  /** The file to place, inside its store. */
  source: SafePlace;
  /** Where it goes, inside the target store (its directories are created). */
  destination: SafePlace;
  /** What it must be. */
  expected: FileRecord;
  /** How errors name it. */
  label: string;
  /**
   * `copy` (the default) always copies. A hard link ties both files together, so that
   * writing to one changes the other: `link-or-copy` hard-links when on one file system,
   * `link-if-read-only` only a source nobody may write to.
   */
  how?: "copy" | "link-or-copy" | "link-if-read-only";
}

const COPY_CHUNK = 4 * 1024 * 1024;

/**
 * Places `request.source` under a temporary name beside `request.destination` and
 * verifies it; the caller renames it into place, or removes it.
 */
export async function stageVerifiedFile(
  runtime: Runtime,
  request: PlaceRequest,
): Promise<StagedFile> {
  const { destination: place } = request;
  const parent = dirname(place.path);
  const dir = parent === "."
    ? place.root
    : await ensureDirectoryInside(runtime, { root: place.root, path: parent });
  const destination = join(dir, basename(place.path));
  const temporary = `${destination}.rkllm-import`;
  await runtime.remove(temporary).catch(() => {});
  const source = await openInside(runtime, request.source);
  let method: PlacedFile["method"];
  try {
    method = linking(request.how, source.stat) && await linked(source.path, temporary)
      ? "link"
      : await copied(runtime, source.handle, temporary).then(() => "copy" as const);
  } finally {
    await source.handle.close();
  }
  try {
    const temporaryPlace = { root: place.root, path: `${place.path}.rkllm-import` };
    const checkedBy = await verifyPlaced(runtime, temporaryPlace, request);
    return { method, checkedBy, temporary, destination };
  } catch (error) {
    await runtime.remove(temporary).catch(() => {});
    throw error;
  }
}

/**
 * Places `request.source` at `request.destination` and verifies it.
 */
export async function placeVerifiedFile(
  runtime: Runtime,
  request: PlaceRequest,
): Promise<PlacedFile> {
  const staged = await stageVerifiedFile(runtime, request);
  try {
    await runtime.rename(staged.temporary, staged.destination);
  } catch (error) {
    await runtime.remove(staged.temporary).catch(() => {});
    throw error;
  }
  return { method: staged.method, checkedBy: staged.checkedBy };
}

function linking(how: PlaceRequest["how"], source: FileStat): boolean {
  if (how === "link-or-copy") return true;
  // Nobody may write to it (its mode says): a hard link cannot be changed through the source.
  return how === "link-if-read-only" && source.mode !== undefined && (source.mode & 0o222) === 0;
}

/** Whether a hard link was made; `false` where the file systems cannot (then it is copied). */
async function linked(source: string, destination: string): Promise<boolean> {
  try {
    await link(source, destination);
    return true;
  } catch (error) {
    if (isNotFound(error)) throw error;
    // EXDEV (another file system), EPERM (FAT, some network shares): copy instead.
    if (!["EXDEV", "EPERM", "ENOTSUP", "EOPNOTSUPP", "EMLINK"].includes(errorCodeOf(error) ?? "")) {
      throw error;
    }
    return false;
  }
}

/** Copies an open file to a new file (created exclusively, never through a link). */
async function copied(runtime: Runtime, source: FileHandle, destination: string): Promise<void> {
  const target = await runtime.open(destination, { write: true, createNew: true });
  try {
    const buffer = new Uint8Array(COPY_CHUNK);
    let position = 0;
    for (;;) {
      const count = await source.read(buffer, position);
      if (count === 0) break;
      await target.write(buffer.subarray(0, count), position);
      position += count;
    }
    await target.sync();
  } catch (error) {
    await target.close().catch(() => {});
    await runtime.remove(destination).catch(() => {});
    throw error;
  }
  await target.close();
}

async function verifyPlaced(
  runtime: Runtime,
  placed: SafePlace,
  request: PlaceRequest,
): Promise<PlacedFile["checkedBy"]> {
  const { expected, label } = request;
  const { handle, stat } = await openInside(runtime, placed);
  try {
    if (stat.size !== expected.size) {
      throw mismatch(label, `expected ${expected.size} bytes, found ${stat.size}`);
    }
    const algorithm = expected.sha256 ? "sha256" : expected.gitSha1 ? "git-sha1" : undefined;
    if (!algorithm) return "size";
    const wanted = (expected.sha256 ?? expected.gitSha1)!.toLowerCase();
    const actual = await hashOpenFile(handle, stat.size, { algorithm });
    if (actual !== wanted) throw mismatch(label, `expected ${algorithm} ${wanted}, got ${actual}`);
    return algorithm;
  } finally {
    await handle.close();
  }
}

function mismatch(label: string, detail: string): ModelManagerError {
  return new ModelManagerError("integrity", `verify ${label}: ${detail}`, {
    hint: "the copy is damaged or was changed; export it again from a store that verifies",
  });
}
