/**
 * The files of the store as `serve` hands them out: only a file that is the one
 * its record names (see {@linkcode storedCopyOf}) is served; one changed since
 * it was recorded is served only when it still hashes to the recorded hash, and
 * a file recorded without a hash (an old record) gets one computed once and
 * remembered.
 *
 * @module
 */
import { hashOpenFile } from "../download/file_hash.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { lstatInside, openInside, type SafePlace } from "../store/safe_path.ts";
import { storedCopyOf } from "../store/stored_copy.ts";
import type { BodySource } from "./file_answer.ts";
import type { FileFacts } from "./hub_answers.ts";
import type { ServedFile } from "./served_repo.ts";

/** Files recorded without a hash from this size up are hashed with SHA-256 and served as LFS. */
const LARGE_FILE_BYTES = 10 * 1024 * 1024;

/**
 * Hashes computed for files recorded without one or changed since recorded, by path, size
 * and modification time.
 */
export class ComputedHashes {
  #known = new Map<string, Promise<FileFacts>>();
  /** File access. */
  readonly runtime: Runtime;

  /** Creates an empty cache. */
  constructor(runtime: Runtime) {
    this.runtime = runtime;
  }

  /**
   * The facts of a served file, hashing it first when the record has no hash.
   */
  async factsOf(file: ServedFile): Promise<FileFacts> {
    if (file.sha256 || file.gitSha1) {
      return { path: file.path, size: file.size, sha256: file.sha256, gitSha1: file.gitSha1 };
    }
    return await this.computed(file);
  }

  /** The facts of a served file as its bytes are now, hashed once per size and modification time. */
  async computed(file: ServedFile): Promise<FileFacts> {
    const { stat } = await lstatInside(this.runtime, file.place);
    if (!stat?.isFile) throw new Error(`${file.storePath} is not a regular file`);
    const algorithm = file.sha256
      ? "sha256"
      : file.gitSha1
      ? "git-sha1"
      : file.size >= LARGE_FILE_BYTES
      ? "sha256"
      : "git-sha1";
    const key = `${file.storePath}\0${stat.size}\0${stat.mtime?.getTime() ?? 0}\0${algorithm}`;
    let facts = this.#known.get(key);
    if (!facts) {
      facts = this.#hash(file, algorithm);
      this.#known.set(key, facts);
      facts.catch(() => this.#known.delete(key));
    }
    return await facts;
  }

  async #hash(file: ServedFile, algorithm: "sha256" | "git-sha1"): Promise<FileFacts> {
    const { handle } = await openInside(this.runtime, file.place);
    try {
      const hex = await hashOpenFile(handle, file.size, { algorithm });
      return algorithm === "sha256"
        ? { path: file.path, size: file.size, sha256: hex }
        : { path: file.path, size: file.size, gitSha1: hex };
    } finally {
      await handle.close();
    }
  }
}

/**
 * Whether a recorded file is on disk as recorded: the file its record names
 * (see {@linkcode storedCopyOf}), or one changed since that still hashes to
 * the recorded hash; never a file outside the store.
 */
export async function isServable(hashes: ComputedHashes, file: ServedFile): Promise<boolean> {
  const copy = await storedCopyOf(hashes.runtime, { place: file.place, recorded: file.recorded });
  if (copy !== "stale") return copy === "same";
  if (!file.sha256 && !file.gitSha1) return true;
  const facts = await hashes.computed(file).catch(() => undefined);
  return facts !== undefined &&
    (file.sha256 ? facts.sha256 === file.sha256 : facts.gitSha1 === file.gitSha1);
}

/**
 * Opens a store file as a body source, never through a symbolic link.
 */
export async function openStoreFile(runtime: Runtime, place: SafePlace): Promise<BodySource> {
  const { handle } = await openInside(runtime, place);
  return {
    read: (buffer, position) => handle.read(buffer, position),
    close: () => handle.close(),
  };
}
