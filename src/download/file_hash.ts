/**
 * Content hashes: SHA-256 (what the Hub states for LFS files) and the git blob
 * SHA-1 (what it states for small files), incrementally or over a whole file.
 *
 * @module
 */
import { createHash, type Hash } from "node:crypto";
import { cancelledError } from "../errors.ts";
import type { FileHandle, Runtime } from "../runtime/runtime.ts";
import type { FileIdentity } from "../store/partial_state.ts";

/** The hash a file is verified against. */
export interface ExpectedHash {
  /** `sha256` of the content, or `git-sha1`: SHA-1 of `"blob <size>\0" + content`. */
  algorithm: "sha256" | "git-sha1";
  /** Lower-case hex digest. */
  hex: string;
}

/**
 * The hash a file is checked against: SHA-256 for LFS files, the git blob
 * SHA-1 otherwise; `undefined` when the Hub stated neither.
 */
export function expectedHashOf(
  identity: Pick<FileIdentity, "sha256" | "gitSha1">,
): ExpectedHash | undefined {
  if (identity.sha256) return { algorithm: "sha256", hex: identity.sha256 };
  if (identity.gitSha1) return { algorithm: "git-sha1", hex: identity.gitSha1 };
  return undefined;
}

/** An incremental hash over a file's content, in order. */
export interface ContentHasher {
  /** Adds the next bytes. */
  update(bytes: Uint8Array): void;
  /** The lower-case hex digest. */
  digest(): string;
}

/**
 * Starts an incremental hash for a file of `size` bytes.
 */
export function createContentHasher(
  algorithm: ExpectedHash["algorithm"],
  size: number,
): ContentHasher {
  let hash: Hash;
  if (algorithm === "git-sha1") {
    hash = createHash("sha1");
    hash.update(`blob ${size}\0`);
  } else {
    hash = createHash("sha256");
  }
  return {
    update: (bytes) => void hash.update(bytes),
    digest: () => hash.digest("hex"),
  };
}

const READ_CHUNK = 4 * 1024 * 1024;

/** Options for {@linkcode hashFile}. */
export interface HashFileOptions {
  /** The hash to compute. */
  algorithm: ExpectedHash["algorithm"];
  /** Stops the pass between two reads, with a `cancelled` error. */
  signal?: AbortSignal;
}

/**
 * Hashes a whole file in one streaming pass. An abort of `options.signal` stops
 * it between two reads with a `cancelled` error.
 */
export async function hashFile(
  runtime: Runtime,
  path: string,
  options: HashFileOptions,
): Promise<string> {
  const size = (await runtime.stat(path)).size;
  const handle = await runtime.open(path);
  try {
    return await hashOpenFile(handle, size, options);
  } finally {
    await handle.close();
  }
}

/**
 * Hashes the first `size` bytes of a file already open (the caller closes it), as
 * {@linkcode hashFile} does.
 */
export async function hashOpenFile(
  handle: FileHandle,
  size: number,
  options: HashFileOptions,
): Promise<string> {
  const { algorithm, signal } = options;
  const hasher = createContentHasher(algorithm, size);
  const buffer = new Uint8Array(Math.min(READ_CHUNK, Math.max(size, 1)));
  let position = 0;
  while (position < size) {
    if (signal?.aborted) throw cancelledError(signal.reason);
    const count = await handle.read(buffer, position);
    if (count === 0) break;
    hasher.update(buffer.subarray(0, count));
    position += count;
  }
  return hasher.digest();
}
