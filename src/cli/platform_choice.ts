/**
 * The chip a command selects variants by: `--platform`, else `RKLLM_PLATFORM`,
 * else `platform` of the user config file, each a filter; without any of them,
 * the board's chip as a preference. `any` turns both off.
 *
 * @module
 */
import { resolveSetting } from "../config/settings.ts";
import { detectBoardChip } from "../runtime/board.ts";
import { PLATFORMS } from "../store/model_variant.ts";
import type { CommandContext } from "./command.ts";
import { platformOption } from "./option_values.ts";

/** What selects variants by chip. */
export interface PlatformChoice {
  /** Keep only this chip's files (asked for by flag, environment or user config). */
  platform?: string;
  /** Prefer this chip's files: the board's, when nothing was asked for. */
  preferPlatform?: string;
}

/**
 * Resolves the chip filter and preference of a command.
 */
export async function platformChoice(context: CommandContext): Promise<PlatformChoice> {
  const flag = context.values.platform;
  const asked = resolveSetting(context.runtime, "platform", {
    option: flag === undefined ? undefined : String(flag),
    envName: "RKLLM_PLATFORM",
    userConfig: context.userConfig(),
  });
  if (asked?.trim().toLowerCase() === "any") return {};
  if (asked !== undefined) return { platform: platformOption(asked) };
  const board = await detectBoardChip(context.runtime, PLATFORMS, {
    path: context.runtime.env("RKLLM_DEVICE_TREE") || undefined,
  });
  return board ? { preferPlatform: board } : {};
}
