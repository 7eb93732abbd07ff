/**
 * Which files of a repo directory rkllm-models made: those its registry record
 * lists, the record itself, partial downloads with their state, and its own
 * temporary and lock files. Everything else belongs to someone else and is
 * left alone, whatever its name.
 *
 * @module
 */
import { isAtomicTemporary } from "./atomic_write.ts";
import type { RepoRecord } from "./registry.ts";
import { LOCK_FILE, RECORD_FILE } from "./store_layout.ts";
import {
  destinationOfPartial,
  PARTIAL_SUFFIX,
  partialPathOf,
  STATE_SUFFIX,
  statePathOf,
} from "./partial_state.ts";

/** The files of a repo directory (repo paths), by who made them. */
export interface RepoFileOwners {
  /** The files the registry record lists, and the record itself. */
  recorded: string[];
  /** Partial downloads that have their state file, and state files (with or without one). */
  partial: string[];
  /** This tool's temporary files and lock takeover marks (not the lock itself). */
  scratch: string[];
  /** The lock file, which only its holder removes. */
  lock: string[];
  /** Everything else: files this tool did not make. */
  foreign: string[];
}

function ownerOf(file: string, present: ReadonlySet<string>, record: RepoRecord | undefined) {
  const name = file.split("/").pop()!;
  if (file === RECORD_FILE || Object.hasOwn(record?.files ?? {}, file)) return "recorded";
  if (name.endsWith(STATE_SUFFIX)) return "partial";
  if (name.endsWith(PARTIAL_SUFFIX) && present.has(statePathOf(destinationOfPartial(file)!))) {
    return "partial";
  }
  if (file === LOCK_FILE) return "lock";
  if (isAtomicTemporary(name) || file === `${LOCK_FILE}.takeover`) return "scratch";
  return "foreign";
}

/**
 * Sorts the regular files of a repo directory by who made them, given its
 * (validated) record; without a record, no finished file counts as this tool's.
 */
export function ownersOf(files: readonly string[], record: RepoRecord | undefined): RepoFileOwners {
  const owners: RepoFileOwners = { recorded: [], partial: [], scratch: [], lock: [], foreign: [] };
  const present = new Set(files);
  for (const file of files) owners[ownerOf(file, present, record)].push(file);
  return owners;
}

/**
 * What a killed run left that a complete model no longer needs: temporary
 * files, state files whose partial file is gone, and partial downloads (with
 * their state) of files that are now recorded and in place. Partial downloads
 * of files not yet in place stay, to be resumed.
 */
export function leftoversOf(files: readonly string[], record: RepoRecord | undefined): string[] {
  const present = new Set(files);
  const inPlace = (file: string) => present.has(file) && Object.hasOwn(record?.files ?? {}, file);
  return files.filter((file) => {
    const name = file.split("/").pop()!;
    if (isAtomicTemporary(name)) return true;
    const destination = destinationOfPartial(file);
    if (destination === undefined) return false;
    if (file.endsWith(STATE_SUFFIX)) {
      return !present.has(partialPathOf(destination)) || inPlace(destination);
    }
    return present.has(statePathOf(destination)) && inPlace(destination);
  });
}
