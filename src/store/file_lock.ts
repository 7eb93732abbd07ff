/**
 * An advisory lock between processes, as a lock file created exclusively.
 * It records who holds it; a lock whose process is gone (same host), or that
 * was taken before the machine last booted, is taken over, so neither a crash
 * nor a power cut blocks the next run.
 *
 * @module
 */
import { dirname } from "node:path";
import { cancelledError, ModelManagerError } from "../errors.ts";
import { type Clock, systemClock } from "../clock.ts";
import { errorCodeOf, isNotFound, type Runtime } from "../runtime/runtime.ts";
import { readJsonFile } from "./json_file.ts";
import { symlinkFailure } from "./storage_error.ts";

/** Who holds a lock. */
export interface LockHolder {
  /** The holder's process id. */
  pid: number;
  /** The holder's host name. */
  host: string;
  /** The boot of the holder's machine, where the system says (Linux). */
  bootId?: string;
  /** When it took the lock (ISO 8601). */
  since: string;
  /** What it is doing, for the waiting user. */
  purpose?: string;
}

/** How to wait for a lock. */
export interface LockOptions {
  /** Stops waiting. */
  signal?: AbortSignal;
  /** Told once when the lock is busy, with its holder. */
  onWait?: (holder: LockHolder) => void;
  /** How often to look again, in milliseconds. */
  pollMs?: number;
  /** What the holder is doing (recorded in the lock file). */
  purpose?: string;
  /** Give up after this many milliseconds; without it, wait as long as the holder lives. */
  timeoutMs?: number;
  /** The clock it polls and times out on. */
  clock?: Clock;
}

/** A held lock. */
export interface HeldLock {
  /** Releases the lock (removes the lock file); safe to call twice. */
  release(): Promise<void>;
}

/** How long an unreadable lock file (its holder died while writing it) is respected. */
const UNREADABLE_GRACE_MS = 5000;

/** The holder a lock file names; `undefined` while it is unreadable; throws `ENOENT` when gone. */
async function readHolder(runtime: Runtime, path: string): Promise<LockHolder | undefined> {
  const read = await readJsonFile<LockHolder>(runtime, path, { check: holderProblem });
  if (read.status === "missing") throw read.error;
  return read.status === "ok" ? read.value : undefined;
}

function holderProblem(value: unknown): string | undefined {
  const holder = value as { pid?: unknown; host?: unknown } | null;
  return typeof holder?.pid === "number" && typeof holder?.host === "string"
    ? undefined
    : "the lock file names no pid and host";
}

/**
 * Whether a lock's holder is certainly gone: on this host, and either its
 * process has ended or the machine has booted since (after a power cut a board
 * reuses process ids, so a live id proves nothing).
 */
async function isStale(
  runtime: Runtime,
  path: string,
  holder: LockHolder | undefined,
): Promise<boolean> {
  if (holder) {
    if (holder.host !== runtime.hostname()) return false;
    const bootId = runtime.bootId();
    if (holder.bootId !== undefined && bootId !== undefined && holder.bootId !== bootId) {
      return true;
    }
    return !runtime.isProcessAlive(holder.pid);
  }
  const stat = await runtime.stat(path);
  return Date.now() - (stat.mtime?.getTime() ?? Date.now()) > UNREADABLE_GRACE_MS;
}

/**
 * Removes a stale lock. Two waiters may find the same stale lock; the takeover
 * file lets only one of them look again and remove it, so neither removes a
 * live lock the other has just taken.
 */
async function removeStaleLock(runtime: Runtime, path: string): Promise<void> {
  const takeover = `${path}.takeover`;
  try {
    const handle = await runtime.open(takeover, { write: true, createNew: true });
    await handle.close();
  } catch (error) {
    if (errorCodeOf(error) !== "EEXIST") throw error;
    const stat = await runtime.stat(takeover).catch(() => undefined);
    if (stat && Date.now() - (stat.mtime?.getTime() ?? 0) > UNREADABLE_GRACE_MS) {
      await runtime.remove(takeover);
    }
    return;
  }
  try {
    const holder = await readHolder(runtime, path);
    if (await isStale(runtime, path, holder)) await runtime.remove(path);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  } finally {
    await runtime.remove(takeover);
  }
}

/** A lock file that is a symbolic link was planted: following it would read (and remove) a foreign file. */
async function refuseLink(runtime: Runtime, path: string): Promise<void> {
  const stat = await runtime.lstat(path).catch(() => undefined);
  if (stat?.isSymlink) throw symlinkFailure(`take the lock ${path}`);
}

/** Times the lock's directory is created again when it vanishes under the lock (ENOENT). */
const MISSING_DIRECTORY_RETRIES = 5;

/**
 * Creates the lock file naming `me`, creating its directory again when it is missing
 * (another process may have removed an empty repo directory meanwhile); `undefined` when
 * the lock file exists already.
 */
async function createLockFile(
  runtime: Runtime,
  path: string,
  me: LockHolder,
): Promise<HeldLock | undefined> {
  for (let retries = 0;; retries++) {
    try {
      const handle = await runtime.open(path, { write: true, createNew: true });
      try {
        await handle.write(new TextEncoder().encode(JSON.stringify(me)), 0);
      } finally {
        await handle.close();
      }
      return heldLock(runtime, path);
    } catch (error) {
      if (errorCodeOf(error) === "EEXIST") return undefined;
      if (!isNotFound(error) || retries >= MISSING_DIRECTORY_RETRIES) throw error;
      await runtime.mkdir(dirname(path));
    }
  }
}

function heldLock(runtime: Runtime, path: string): HeldLock {
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await runtime.remove(path);
    },
  };
}

/**
 * Who holds the lock file that exists: its live holder (`undefined` while its file is
 * unreadable), or `"gone"` when the lock vanished or was stale and has been removed.
 */
async function liveHolder(
  runtime: Runtime,
  path: string,
): Promise<{ holder: LockHolder | undefined } | "gone"> {
  await refuseLink(runtime, path);
  try {
    const holder = await readHolder(runtime, path);
    if (!(await isStale(runtime, path, holder))) return { holder };
    await removeStaleLock(runtime, path);
    return "gone";
  } catch (error) {
    if (isNotFound(error)) return "gone";
    throw error;
  }
}

/**
 * Takes the lock at `path`, waiting while a live process holds it.
 */
export async function acquireLock(
  runtime: Runtime,
  path: string,
  options: LockOptions = {},
): Promise<HeldLock> {
  const me: LockHolder = {
    pid: runtime.pid(),
    host: runtime.hostname(),
    bootId: runtime.bootId(),
    since: new Date().toISOString(),
    purpose: options.purpose,
  };
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  let toldOfHolder = false;
  for (;;) {
    if (options.signal?.aborted) throw cancelledError(options.signal.reason);
    const held = await createLockFile(runtime, path, me);
    if (held) return held;
    const busy = await liveHolder(runtime, path);
    if (busy === "gone") continue;
    if (busy.holder && !toldOfHolder) {
      toldOfHolder = true;
      options.onWait?.(busy.holder);
    }
    if (options.timeoutMs !== undefined && clock.now() - started > options.timeoutMs) {
      throw new ModelManagerError("locked", `take the lock ${path}: another process holds it`, {
        hint: "wait for the other download to finish, or stop it",
      });
    }
    try {
      await clock.sleep(options.pollMs ?? 250, options.signal);
    } catch (error) {
      throw cancelledError(error);
    }
  }
}
