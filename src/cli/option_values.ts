/**
 * Reading option values of the command line: whole numbers within bounds and
 * the variant filters `--platform` and `--quant`. A value that cannot be right
 * is a usage error that names what would be, before anything is sent or written.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import { parseModelVariant, PLATFORMS } from "../store/model_variant.ts";

/**
 * The quantisations RKLLM converts to (`../shared/hf-hub-protocol.md` §8), for
 * hints and help. Others of the same shape (`w4a8`, other `_gN` groups) are
 * accepted too: whatever the file-name parser recognises can select a file.
 */
export const KNOWN_QUANTIZATIONS: readonly string[] = [
  "w8a8",
  "w4a16",
  "w4a16_g32",
  "w4a16_g64",
  "w4a16_g128",
  "w8a8_g128",
  "w8a8_g256",
  "w8a8_g512",
];

function usageError(message: string, hint: string): ModelManagerError {
  return new ModelManagerError("usage", message, { hint });
}

/** The range and default of a whole-number option, for {@linkcode wholeNumber}. */
export interface WholeNumberOptions {
  /** The smallest value accepted. */
  min: number;
  /** The largest value accepted. */
  max: number;
  /** The value when the option is absent. */
  fallback: number;
}

/**
 * A whole-number option value from `options.min` to `options.max`, or
 * `options.fallback` when the option is absent; anything else is a usage error.
 */
export function wholeNumber(
  value: string | boolean | undefined,
  flag: string,
  options: WholeNumberOptions,
): number {
  const { min, max, fallback } = options;
  if (value === undefined) return fallback;
  const number = Number(value);
  if (
    typeof value !== "string" || value.trim() === "" || !Number.isInteger(number) || number < min ||
    number > max
  ) {
    throw usageError(
      `invalid ${flag} "${value}": expected a whole number from ${min} to ${max}`,
      `for example ${flag} ${fallback}`,
    );
  }
  return number;
}

/**
 * The chip of `--platform`, lower-cased; `undefined` when absent. A chip RKLLM
 * does not convert for is a usage error naming the valid ones.
 */
export function platformOption(value: string | boolean | undefined): string | undefined {
  if (value === undefined) return undefined;
  const platform = String(value).trim().toLowerCase();
  if (!PLATFORMS.includes(platform)) {
    throw usageError(
      `invalid --platform "${value}": not a chip RKLLM converts for`,
      `use one of ${PLATFORMS.join(", ")}`,
    );
  }
  return platform;
}

/**
 * The quantisation of `--quant`, lower-cased; `undefined` when absent. A value
 * that no RKLLM file name can carry (so would never select a file) is a usage
 * error naming the known ones.
 */
export function quantOption(value: string | boolean | undefined): string | undefined {
  if (value === undefined) return undefined;
  const quantization = String(value).trim().toLowerCase();
  // The file-name parser is the authority: a value it would not read from a name matches no file.
  if (parseModelVariant(`model-${quantization}.rkllm`).quantization !== quantization) {
    throw usageError(
      `invalid --quant "${value}": not an RKLLM quantisation`,
      `use one of ${KNOWN_QUANTIZATIONS.join(", ")}`,
    );
  }
  return quantization;
}
