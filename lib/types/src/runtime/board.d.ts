/**
 * Which Rockchip chip this machine is, from the Linux device tree's
 * `compatible` list (NUL-separated, most specific first, e.g.
 * `xunlong,orangepi-5\0rockchip,rk3588s\0`). The chip is a preference for
 * choosing a model's variant, never a filter.
 *
 * @module
 */
import type { Runtime } from "./runtime.ts";
/** Where Linux exposes the board's `compatible` list. */
export declare const DEVICE_TREE_COMPATIBLE = "/proc/device-tree/compatible";
/** The chip named by a `compatible` list, among `chips`; `undefined` when none is. */
export declare function chipOfCompatible(text: string, chips: readonly string[]): string | undefined;
/**
 * The chip of the board this runs on, among `chips`; `undefined` off Linux, off
 * Rockchip or when the file cannot be read.
 *
 * @param options `path`: the `compatible` file to read (tests point it at a fake one).
 */
export declare function detectBoardChip(runtime: Runtime, chips: readonly string[], options?: {
    path?: string;
}): Promise<string | undefined>;
