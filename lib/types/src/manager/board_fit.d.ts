import type { Runtime } from "../runtime/runtime.ts";
import { type ToolkitVersion } from "../store/toolkit_version.ts";
/** The Rockchip board this runs on. */
export interface Board {
    /** Its chip, e.g. `rk3588`. */
    chip: string;
    /** Its total memory in bytes, when `/proc/meminfo` says. */
    memTotal?: number;
}
/**
 * The board this runs on; `undefined` off a Rockchip board. `RKLLM_DEVICE_TREE` and
 * `RKLLM_MEMINFO` name other files to read (tests point them at fake ones).
 */
export declare function detectBoard(runtime: Runtime): Promise<Board | undefined>;
/**
 * Whether a model file of `size` bytes fits the board's memory: it is loaded whole, so it
 * must be no larger than the total (a lower bound: the runtime needs more beside it).
 * `undefined` when the memory is not known.
 */
export declare function fitsMemory(size: number, board: Board | undefined): boolean | undefined;
/** What a download is about to fetch, for {@linkcode downloadWarnings}. */
export interface ModelToFetch {
    /** `owner/name/file`, as the warning names it. */
    name: string;
    /** The model file's size in bytes. */
    size: number;
    /** The toolkit version its names state, when they do. */
    toolkit?: ToolkitVersion;
}
/**
 * The warnings to give before fetching a model: larger than the board's memory, or
 * converted by a toolkit older than 1.1.0. Warnings only: the model may be meant for
 * another board or another runtime.
 */
export declare function downloadWarnings(model: ModelToFetch, board?: Board): string[];
