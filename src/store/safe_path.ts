/**
 * The one way every command reaches a file inside a store (the models
 * directory, an import source, an export target): the path below the store's
 * root is resolved one part at a time with `lstat`, and a symbolic link at any
 * level is refused, never followed. The root itself is trusted as given (the
 * models directory may be a link to another disk).
 *
 * @module
 */
import { basename, dirname, join } from "node:path";
import { ModelManagerError } from "../errors.ts";
import { pathPartsProblem } from "../hub/repo_id.ts";
import {
  errorCodeOf,
  type FileHandle,
  type FileStat,
  isNotFound,
  type Runtime,
} from "../runtime/runtime.ts";
import { storageFailure, symlinkFailure } from "./storage_error.ts";

/** A path below a trusted directory. */
export interface SafePlace {
  /** The trusted directory (a store's root), taken as given. */
  root: string;
  /** The `/`-separated path below it: no empty, `.` or `..` part, not absolute. */
  path: string;
}

/** What {@linkcode lstatInside} found. */
export interface InsideEntry {
  /** The joined path. */
  path: string;
  /** What is there, not following a link; `undefined` when nothing is. */
  stat?: FileStat;
}

/** A file {@linkcode openInside} opened for reading. */
export interface OpenedInside {
  /** The joined path. */
  path: string;
  /** What `lstat` saw there: a regular file. */
  stat: FileStat;
  /** The open file; the caller closes it. */
  handle: FileHandle;
}

/**
 * The place of `repoPath` (or of the repo directory itself) in a store laid out
 * as `<root>/<owner>/<name>`: the owner and name levels are checked too.
 */
export function placeInRepo(repoDir: string, repoPath?: string): SafePlace {
  const repo = `${basename(dirname(repoDir))}/${basename(repoDir)}`;
  return {
    root: dirname(dirname(repoDir)),
    path: repoPath === undefined ? repo : `${repo}/${repoPath}`,
  };
}

/** The parts of `place.path`, or a `storage` error when one would leave the root. */
function partsOf(place: SafePlace): string[] {
  if (pathPartsProblem(place.path) === undefined) return place.path.split("/");
  throw new ModelManagerError(
    "storage",
    `refused the path ${JSON.stringify(place.path)}: it is not a path inside ${place.root}`,
    { hint: "a record or request named a file outside the store; remove it or export again" },
  );
}

/**
 * The `storage` error for a symbolic link met on the way to a file that is read.
 */
export function linkRefusal(place: SafePlace, link: string): ModelManagerError {
  const refusal = new ModelManagerError(
    "storage",
    `read ${
      join(place.root, place.path)
    }: ${link} is a symbolic link, and rkllm-models follows none inside ${place.root}`,
    {
      hint:
        "remove the link if you did not place it there (anyone who can write there can), or put the real file in its place",
    },
  );
  linkRefusals.add(refusal);
  return refusal;
}

const linkRefusals = new WeakSet<Error>();

/**
 * Whether an error is {@linkcode linkRefusal}'s: a symbolic link met inside a store.
 */
export function isLinkRefusal(error: unknown): boolean {
  return error instanceof Error && linkRefusals.has(error);
}

async function lstatOrMissing(runtime: Runtime, path: string): Promise<FileStat | undefined> {
  try {
    return await runtime.lstat(path);
  } catch (error) {
    if (isNotFound(error) || errorCodeOf(error) === "ENOTDIR") return undefined;
    throw storageFailure(`read ${path}`, error);
  }
}

/**
 * Looks at `place` without following a link at any level: a link on the way,
 * or at the end, is refused with a `storage` error; a missing part answers no `stat`.
 */
export async function lstatInside(runtime: Runtime, place: SafePlace): Promise<InsideEntry> {
  const parts = partsOf(place);
  const whole = join(place.root, ...parts);
  let current = place.root;
  for (const [index, part] of parts.entries()) {
    current = join(current, part);
    const stat = await lstatOrMissing(runtime, current);
    if (!stat) return { path: whole };
    if (stat.isSymlink) throw linkRefusal(place, current);
    if (index === parts.length - 1) return { path: whole, stat };
    if (!stat.isDirectory) return { path: whole };
  }
  return { path: whole };
}

function notFound(path: string): Error {
  return Object.assign(new Error(`ENOENT: ${path} does not exist`), { code: "ENOENT" });
}

/**
 * Opens the regular file at `place` for reading, never through a link; a missing
 * file rejects with an `ENOENT` error, anything but a regular file with a `storage` error.
 */
export async function openInside(runtime: Runtime, place: SafePlace): Promise<OpenedInside> {
  const { path, stat } = await lstatInside(runtime, place);
  if (!stat) throw notFound(path);
  if (!stat.isFile) throw storageFailure(`read ${path}`, new Error("it is not a regular file"));
  try {
    return { path, stat, handle: await runtime.open(path, { noFollow: true }) };
  } catch (error) {
    if (isNotFound(error)) throw error;
    if (errorCodeOf(error) === "ELOOP") throw linkRefusal(place, path);
    throw storageFailure(`read ${path}`, error);
  }
}

/** Options of {@linkcode readInside}. */
export interface ReadInsideOptions {
  /** Refuse a larger file with an `integrity` error, reading no more than this many bytes. */
  maxBytes?: number;
}

/**
 * Reads the whole regular file at `place`, never through a link.
 */
export async function readInside(
  runtime: Runtime,
  place: SafePlace,
  options: ReadInsideOptions = {},
): Promise<Uint8Array> {
  const limit = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
  const { path, stat, handle } = await openInside(runtime, place);
  try {
    if (stat.size > limit) throw tooLarge(path, limit);
    // One byte more than expected tells a file that grew since the lstat.
    const buffer = new Uint8Array(Math.min(stat.size, limit) + 1);
    let length = 0;
    while (length < buffer.length) {
      const count = await handle.read(buffer.subarray(length), length);
      if (count === 0) break;
      length += count;
    }
    if (length > limit) throw tooLarge(path, limit);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}

function tooLarge(path: string, limit: number): ModelManagerError {
  return new ModelManagerError(
    "integrity",
    `read ${path}: it is larger than the ${limit} bytes such a file may have`,
    { hint: "the file was not written by rkllm-models; remove it or export again" },
  );
}

/**
 * Creates the directory at `place` one level at a time below its root (the root
 * with its parents when missing) and answers its path; a level that is a link
 * or not a directory is refused with a `storage` error naming it.
 */
export async function ensureDirectoryInside(runtime: Runtime, place: SafePlace): Promise<string> {
  const parts = partsOf(place);
  await runtime.mkdir(place.root).catch((error) => {
    throw storageFailure(`create the directory ${place.root}`, error);
  });
  let current = place.root;
  for (const part of parts) {
    current = join(current, part);
    let stat = await lstatOrMissing(runtime, current);
    if (!stat) {
      await runtime.mkdir(current).catch((error) => {
        throw storageFailure(`create the directory ${current}`, error);
      });
      stat = await runtime.lstat(current).catch((error) => {
        throw storageFailure(`read ${current}`, error);
      });
    }
    if (stat.isSymlink) throw symlinkFailure(`write into ${current}`);
    if (!stat.isDirectory) {
      throw storageFailure(
        `create the directory ${current}`,
        new Error("a file of that name is in the way"),
      );
    }
  }
  return current;
}
