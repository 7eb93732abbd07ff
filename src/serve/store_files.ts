/**
 * The files of the store as `serve` hands them out: only a regular file inside
 * its repository's directory (no symbolic link on the way) of exactly the
 * recorded size is served, and a file recorded without a hash (an old record)
 * gets one computed once and remembered.
 *
 * @module
 */
import { hashOpenFile } from "../download/file_hash.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { lstatInside, openInside, type SafePlace } from "../store/safe_path.ts";
import type { BodySource } from "./file_answer.ts";
import type { FileFacts } from "./hub_answers.ts";
import type { ServedFile } from "./served_repo.ts";

/** Files recorded without a hash from this size up are hashed with SHA-256 and served as LFS. */
const LARGE_FILE_BYTES = 10 * 1024 * 1024;

/**
 * Hashes computed for files recorded without one, by path, size and modification time.
 */
export class ComputedHashes {
  #known = new Map<string, Promise<FileFacts>>();
  #runtime: Runtime;

  /** Creates an empty cache. */
  constructor(runtime: Runtime) {
    this.#runtime = runtime;
  }

  /**
   * The facts of a served file, hashing it first when the record has no hash.
   */
  async factsOf(file: ServedFile): Promise<FileFacts> {
    if (file.sha256 || file.gitSha1) {
      return { path: file.path, size: file.size, sha256: file.sha256, gitSha1: file.gitSha1 };
    }
    const { stat } = await lstatInside(this.#runtime, file.place);
    if (!stat?.isFile) throw new Error(`${file.storePath} is not a regular file`);
    const key = `${file.storePath}\0${stat.size}\0${stat.mtime?.getTime() ?? 0}`;
    let facts = this.#known.get(key);
    if (!facts) {
      facts = this.#hash(file);
      this.#known.set(key, facts);
      facts.catch(() => this.#known.delete(key));
    }
    return await facts;
  }

  async #hash(file: ServedFile): Promise<FileFacts> {
    const algorithm = file.size >= LARGE_FILE_BYTES ? "sha256" : "git-sha1";
    const { handle } = await openInside(this.#runtime, file.place);
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
 * Whether a recorded file is on disk as recorded: a regular file of the recorded
 * size, reached from the repository's directory without a symbolic link on the
 * way (neither the file nor a folder above it), so never a file outside the store.
 */
export async function isServable(runtime: Runtime, file: ServedFile): Promise<boolean> {
  try {
    const { stat } = await lstatInside(runtime, file.place);
    return stat !== undefined && stat.isFile && stat.size === file.size;
  } catch {
    return false;
  }
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
