import { type FileSystem } from "./file_system.ts";
import type { Runtime } from "./runtime.ts";
/** The runtime names this package runs on. */
export type RuntimeName = Runtime["name"];
/** Which runtime this process runs on, and its version. */
export interface RuntimeInfo {
    /** `"deno"`, `"node"` or `"bun"`. */
    type: RuntimeName;
    /** The runtime's own version (`Deno.version.deno`, `process.versions.node`, `Bun.version`). */
    version: string;
}
/** The path functions ({@linkcode RuntimeDetector.getPath}): POSIX paths on every runtime. */
export interface PathApi {
    /** Joins segments and normalizes the result. */
    join(...segments: string[]): string;
    /** Resolves segments to an absolute path, from the working directory. */
    resolve(...segments: string[]): string;
    /** The directory part of a path. */
    dirname(path: string): string;
    /** The last part of a path, without `suffix` when it ends with it. */
    basename(path: string, suffix?: string): string;
    /** The extension of the last part (`".rkllm"`), or `""`. */
    extname(path: string): string;
    /** The relative path from `from` to `to`. */
    relative(from: string, to: string): string;
    /** Whether a path is absolute. */
    isAbsolute(path: string): boolean;
    /** Resolves `.` and `..` segments and repeated separators. */
    normalize(path: string): string;
    /** The path separator. */
    sep: string;
}
/**
 * Detects the JavaScript runtime and hands out its adapter. The only place
 * that asks which runtime the code is running on.
 *
 * The static `detect()` and `current()` answer the runtime's name and its
 * adapter; the instance from `getInstance()` answers `{ type, version }`, the
 * file system and the path functions.
 *
 * @example The adapter
 * ```ts
 * import { RuntimeDetector } from "./detect_runtime.ts";
 * const runtime = RuntimeDetector.current();
 * console.log(runtime.name);
 * ```
 *
 * @example The instance
 * ```ts
 * import { RuntimeDetector } from "./detect_runtime.ts";
 * const detector = RuntimeDetector.getInstance();
 * const { type, version } = detector.detect();
 * const path = detector.getPath().resolve("example.txt");
 * await detector.getFileSystem().writeTextFile(path, `${type} ${version}`);
 * ```
 */
export declare class RuntimeDetector {
    #private;
    /**
     * The one detector of this process.
     *
     * @example
     * ```ts
     * import { RuntimeDetector } from "./detect_runtime.ts";
     * console.log(RuntimeDetector.getInstance() === RuntimeDetector.getInstance()); // true
     * ```
     */
    static getInstance(): RuntimeDetector;
    /**
     * Which runtime this process runs on and its version; throws `unsupported_runtime` elsewhere.
     *
     * @example
     * ```ts
     * import { RuntimeDetector } from "./detect_runtime.ts";
     * const { type, version } = RuntimeDetector.getInstance().detect();
     * console.log(`${type} ${version}`);
     * ```
     */
    detect(): RuntimeInfo;
    /**
     * The file system of this process's runtime.
     *
     * @example
     * ```ts
     * import { RuntimeDetector } from "./detect_runtime.ts";
     * const fs = RuntimeDetector.getInstance().getFileSystem();
     * await fs.writeTextFile("note.txt", "hello");
     * console.log(await fs.readTextFile("note.txt"));
     * ```
     */
    getFileSystem(): FileSystem;
    /**
     * The path functions (`join`, `dirname`, `resolve`, …).
     *
     * @example
     * ```ts
     * import { RuntimeDetector } from "./detect_runtime.ts";
     * const path = RuntimeDetector.getInstance().getPath();
     * console.log(path.join("models", "limcheekin"), path.extname("model.rkllm"));
     * ```
     */
    getPath(): PathApi;
    /**
     * The name of the runtime this process runs on; throws `unsupported_runtime` otherwise.
     *
     * @example
     * ```ts
     * import { RuntimeDetector } from "./detect_runtime.ts";
     * console.log(RuntimeDetector.detect()); // "deno", "node" or "bun"
     * ```
     */
    static detect(): RuntimeName;
    /**
     * The adapter for this process's runtime, created on first use.
     *
     * @example
     * ```ts
     * import { RuntimeDetector } from "./detect_runtime.ts";
     * const runtime = RuntimeDetector.current();
     * console.log(runtime.name);
     * ```
     */
    static current(): Runtime;
}
