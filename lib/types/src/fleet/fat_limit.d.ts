import type { Runtime } from "../runtime/runtime.ts";
/**
 * The largest file FAT32 holds: 4 GiB less one byte.
 */
export declare const FAT32_MAX_FILE_BYTES: number;
/**
 * The file system type of the mount holding `path` (Linux `/proc/self/mounts`);
 * `undefined` where that cannot be read.
 */
export declare function filesystemTypeOf(runtime: Runtime, path: string, options?: {
    mountsPath?: string;
}): Promise<string | undefined>;
/**
 * Refuses, before anything is written, to put files of 4 GiB or more on a FAT
 * file system.
 */
export declare function refuseTooLargeForFat(runtime: Runtime, what: {
    dir: string;
    files: {
        path: string;
        size: number;
    }[];
    mountsPath?: string;
}): Promise<void>;
