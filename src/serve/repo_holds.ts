/**
 * The serve process's hold on a repository directory's lock while it pulls
 * files into it: the same lock a `download` takes, so the two never write the
 * same partial file at once. Pulls of several files of one repository share one
 * hold and run side by side (each file has one flight, so they never share a
 * partial); their record writes take turns inside the process.
 *
 * @module
 */
import { join } from "node:path";
import type { Runtime } from "../runtime/runtime.ts";
import { acquireLock, type HeldLock } from "../store/file_lock.ts";
import { LOCK_FILE } from "../store/store_layout.ts";

/** One repository directory held for the pulls into it. */
export interface RepoHold {
  /** Runs `work` when no other pull of this process is writing the repository's record. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** Ends this pull's share of the hold; the lock goes when the last share ends. */
  release(): Promise<void>;
}

interface SharedHold {
  users: number;
  lock: Promise<HeldLock>;
  turn: Promise<unknown>;
}

/**
 * The holds of one serve process, one per repository directory with pulls under way.
 */
export class RepoHolds {
  #runtime: Runtime;
  #shared = new Map<string, SharedHold>();

  /** Holds for the store that `runtime` reaches. */
  constructor(runtime: Runtime) {
    this.#runtime = runtime;
  }

  /**
   * A share of the hold on `repoDir`, taking its lock first when no pull of
   * this process holds it (waiting, as a download does, while another holds it).
   */
  async hold(
    repoDir: string,
    options: { purpose: string; signal?: AbortSignal },
  ): Promise<RepoHold> {
    let shared = this.#shared.get(repoDir);
    if (!shared) {
      const lock = acquireLock(this.#runtime, join(repoDir, LOCK_FILE), options);
      shared = { users: 0, lock, turn: Promise.resolve() };
      this.#shared.set(repoDir, shared);
      lock.catch(() => this.#shared.delete(repoDir));
    }
    shared.users++;
    try {
      await shared.lock;
    } catch (error) {
      shared.users--;
      throw error;
    }
    return this.#share(repoDir, shared);
  }

  #share(repoDir: string, shared: SharedHold): RepoHold {
    let released = false;
    return {
      exclusive<T>(work: () => Promise<T>): Promise<T> {
        const result = shared.turn.then(work);
        shared.turn = result.catch(() => {});
        return result;
      },
      release: async () => {
        if (released) return;
        released = true;
        if (--shared.users > 0) return;
        this.#shared.delete(repoDir);
        await (await shared.lock).release();
      },
    };
  }
}
