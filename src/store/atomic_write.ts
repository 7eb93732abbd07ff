/**
 * The one atomic-write helper: write a temporary file beside the target, flush
 * it, rename it over the target. A crash leaves the old file or the new one,
 * never half of either.
 *
 * @module
 */
import type { Runtime } from "../runtime/runtime.ts";

let counter = 0;

/** What {@linkcode writeFileAtomic} writes, and where. */
export interface AtomicFile {
  /** The file to replace. */
  path: string;
  /** Its new contents; a string is written as UTF-8. */
  data: Uint8Array | string;
  /**
   * Flush the new contents before the rename. Without, a crash of the process
   * still leaves the old file or the new one; a power cut may leave an empty one
   * on file systems that do not order the rename after the data.
   *
   * @default true
   */
  flush?: boolean;
}

/** Replaces `file.path` with `file.data` atomically. */
export async function writeFileAtomic(runtime: Runtime, file: AtomicFile): Promise<void> {
  const { path, data, flush = true } = file;
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const temporary = `${path}.tmp-${runtime.pid()}-${Date.now().toString(36)}-${counter++}`;
  const handle = await runtime.open(temporary, { write: true, createNew: true });
  try {
    await handle.write(bytes, 0);
    if (flush) await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await runtime.remove(temporary).catch(() => {});
    throw error;
  }
  await handle.close();
  try {
    await runtime.rename(temporary, path);
  } catch (error) {
    await runtime.remove(temporary).catch(() => {});
    throw error;
  }
}

/** What {@linkcode writeJsonAtomic} writes, and where. */
export interface AtomicJson {
  /** The file to replace. */
  path: string;
  /** The value, written as pretty JSON. */
  value: unknown;
  /** As {@linkcode AtomicFile.flush}. */
  flush?: boolean;
}

/** Writes a value as pretty JSON, atomically. */
export function writeJsonAtomic(runtime: Runtime, file: AtomicJson): Promise<void> {
  const data = `${JSON.stringify(file.value, null, 2)}\n`;
  return writeFileAtomic(runtime, { path: file.path, data, flush: file.flush });
}

/** Whether a file name is one of this helper's temporary files. */
export function isAtomicTemporary(name: string): boolean {
  return /\.tmp-\d+-[0-9a-z]+-\d+$/.test(name);
}
