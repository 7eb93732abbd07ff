/**
 * The file system as {@linkcode RuntimeDetector.getFileSystem} hands it out:
 * the adapter's file operations plus whole-file text and byte helpers, built
 * on the adapter alone (no runtime-specific API here).
 *
 * @module
 */
import { type Runtime } from "./runtime.ts";
/** The adapter's file operations. */
export type FileOperations = Pick<Runtime, "open" | "readFile" | "stat" | "lstat" | "realPath" | "mkdir" | "rename" | "remove" | "readDir" | "freeSpace">;
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
export declare function createFileSystem(runtime: Runtime): FileSystem;
