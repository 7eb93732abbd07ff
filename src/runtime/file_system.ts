/**
 * The file system as {@linkcode RuntimeDetector.getFileSystem} hands it out:
 * the adapter's file operations plus whole-file text and byte helpers, built
 * on the adapter alone (no runtime-specific API here).
 *
 * @module
 */
import { isNotFound, type Runtime } from "./runtime.ts";

/** The adapter's file operations. */
export type FileOperations = Pick<
  Runtime,
  | "open"
  | "readFile"
  | "stat"
  | "lstat"
  | "realPath"
  | "mkdir"
  | "rename"
  | "remove"
  | "readDir"
  | "freeSpace"
>;

/** Files and directories, the same on Deno, Node.js and Bun. */
export interface FileSystem extends FileOperations {
  /** Reads a whole file as UTF-8 text. */
  readTextFile(path: string): Promise<string>;
  /** Creates or replaces a file with `data` (never through a symbolic link). */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** Creates or replaces a file with UTF-8 `text` (never through a symbolic link). */
  writeTextFile(path: string, text: string): Promise<void>;
  /** Whether something exists at `path` (following symbolic links). */
  exists(path: string): Promise<boolean>;
}

export function createFileSystem(runtime: Runtime): FileSystem {
  const writeFile = async (path: string, data: Uint8Array): Promise<void> => {
    const handle = await runtime.open(path, { write: true, create: true, truncate: true });
    try {
      await handle.write(data, 0);
    } finally {
      await handle.close();
    }
  };
  return {
    open: (path, options) => runtime.open(path, options),
    readFile: (path) => runtime.readFile(path),
    stat: (path) => runtime.stat(path),
    lstat: (path) => runtime.lstat(path),
    realPath: (path) => runtime.realPath(path),
    mkdir: (path) => runtime.mkdir(path),
    rename: (from, to) => runtime.rename(from, to),
    remove: (path) => runtime.remove(path),
    readDir: (path) => runtime.readDir(path),
    freeSpace: (path) => runtime.freeSpace(path),
    readTextFile: async (path) => new TextDecoder().decode(await runtime.readFile(path)),
    writeFile,
    writeTextFile: (path, text) => writeFile(path, new TextEncoder().encode(text)),
    exists: (path) =>
      runtime.stat(path).then(() => true, (error) => {
        if (isNotFound(error)) return false;
        throw error;
      }),
  };
}
