/**
 * How much memory this machine has, from Linux's `/proc/meminfo` (`MemTotal:  16288708 kB`):
 * an `.rkllm` model is loaded whole into the board's RAM, so a file larger than it cannot run.
 *
 * @module
 */
import type { Runtime } from "./runtime.ts";
/** Where Linux reports memory. */
export declare const MEMINFO = "/proc/meminfo";
/** The total memory a `meminfo` text states, in bytes; `undefined` when it states none. */
export declare function memTotalOf(text: string): number | undefined;
/**
 * The total memory of this machine in bytes; `undefined` off Linux or when the file
 * cannot be read.
 *
 * @param options `path`: the `meminfo` file to read (tests point it at a fake one).
 */
export declare function detectMemTotal(runtime: Runtime, options?: {
    path?: string;
}): Promise<number | undefined>;
