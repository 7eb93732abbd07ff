/**
 * Will it run here: the board this runs on (its chip and memory), whether a model file
 * fits that memory, and the warnings a download gives before fetching a model that will
 * not load (larger than the board's memory, or converted by a toolkit older than 1.1.0).
 *
 * @module
 */
import { detectBoardChip } from "../runtime/board.ts";
import { detectMemTotal } from "../runtime/board_memory.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { PLATFORMS } from "../store/model_variant.ts";
import {
  OLDEST_COMPATIBLE_TOOLKIT,
  predatesCompatibleToolkit,
  type ToolkitVersion,
} from "../store/toolkit_version.ts";
import { formatBytes } from "../units.ts";

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
export async function detectBoard(runtime: Runtime): Promise<Board | undefined> {
  const chip = await detectBoardChip(runtime, PLATFORMS, {
    path: runtime.env("RKLLM_DEVICE_TREE") || undefined,
  });
  if (chip === undefined) return undefined;
  const memTotal = await detectMemTotal(runtime, {
    path: runtime.env("RKLLM_MEMINFO") || undefined,
  });
  return memTotal === undefined ? { chip } : { chip, memTotal };
}

/**
 * Whether a model file of `size` bytes fits the board's memory: it is loaded whole, so it
 * must be no larger than the total (a lower bound: the runtime needs more beside it).
 * `undefined` when the memory is not known.
 */
export function fitsMemory(size: number, board: Board | undefined): boolean | undefined {
  return board?.memTotal === undefined ? undefined : size <= board.memTotal;
}

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
export function downloadWarnings(model: ModelToFetch, board?: Board): string[] {
  const warnings: string[] = [];
  const { toolkit } = model;
  if (toolkit && predatesCompatibleToolkit(toolkit.version)) {
    warnings.push(
      `${model.name} was converted with RKLLM toolkit ${toolkit.version} (says its ${toolkit.source}): ` +
        `RKLLM runtimes 1.1 and later do not load models converted before toolkit ${OLDEST_COMPATIBLE_TOOLKIT}; ` +
        `look for a newer conversion, or use a runtime of its version`,
    );
  }
  if (fitsMemory(model.size, board) === false) {
    warnings.push(
      `${model.name} (${formatBytes(model.size)}) is larger than this board's memory (${
        formatBytes(board!.memTotal!)
      }): RKLLM loads a model whole into RAM, so it will not load here; choose a smaller variant`,
    );
  }
  return warnings;
}
