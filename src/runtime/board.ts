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
export const DEVICE_TREE_COMPATIBLE = "/proc/device-tree/compatible";

/** Chips that run another chip's conversions: the RK3588S is an RK3588 with fewer pins. */
const SAME_NPU: Record<string, string> = { rk3588s: "rk3588" };

/** The chip named by a `compatible` list, among `chips`; `undefined` when none is. */
export function chipOfCompatible(text: string, chips: readonly string[]): string | undefined {
  for (const entry of text.split("\0")) {
    const name = entry.trim().toLowerCase().match(/^rockchip,(r[kv]\d+[a-z]?)$/)?.[1];
    if (!name) continue;
    const chip = SAME_NPU[name] ?? name;
    if (chips.includes(chip)) return chip;
  }
  return undefined;
}

/**
 * The chip of the board this runs on, among `chips`; `undefined` off Linux, off
 * Rockchip or when the file cannot be read.
 *
 * @param options `path`: the `compatible` file to read (tests point it at a fake one).
 */
export async function detectBoardChip(
  runtime: Runtime,
  chips: readonly string[],
  options: { path?: string } = {},
): Promise<string | undefined> {
  try {
    const bytes = await runtime.readFile(options.path ?? DEVICE_TREE_COMPATIBLE);
    return chipOfCompatible(new TextDecoder().decode(bytes), chips);
  } catch {
    return undefined;
  }
}
