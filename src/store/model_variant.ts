/**
 * What an RKLLM file name says about the model: base model, target chip,
 * quantisation, optimisation level and hybrid ratio. Names that do not follow
 * the pattern are parsed as far as they go, never rejected.
 *
 * @module
 */

/** The variant fields parsed from a `.rkllm` file name; absent where the name does not say. */
export interface ModelVariant {
  /** The model before the conversion suffixes, e.g. `Qwen2.5-0.5B-Instruct`. */
  baseModel?: string;
  /** The target chip, e.g. `rk3588`. */
  platform?: string;
  /** The quantisation, e.g. `w8a8` or `w4a16_g128`. */
  quantization?: string;
  /** The optimisation level (0 or 1). */
  optimization?: number;
  /** The hybrid quantisation ratio, e.g. 0.5. */
  hybridRatio?: number;
}

/** The chips RKLLM converts for. */
export const PLATFORMS: readonly string[] = ["rk3588", "rk3576", "rk3562", "rv1126b"];

const PLATFORM = /(?:^|[-_.])(rk3588|rk3576|rk3562|rv1126b)(?=$|[-_.])/i;
const QUANTIZATION = /(?:^|[-_.])(w8a8(?:_g\d+)?|w4a16(?:_g\d+)?|w4a8(?:_g\d+)?)(?=$|[-_.])/i;
const OPTIMIZATION = /(?:^|[-_.])opt[-_]?([01])(?=$|[-_.])/i;
const HYBRID_RATIO = /(?:^|[-_.])hybrid[-_]ratio[-_]?(\d+(?:\.\d+)?)(?=$|[-_]|\.(?!\d))/i;

/**
 * Parses the variant fields of an RKLLM file name (with or without `.rkllm`).
 *
 * @example
 * ```ts
 * import { parseModelVariant } from "./model_variant.ts";
 * parseModelVariant("Qwen2.5-0.5B-Instruct-rk3588-w8a8-opt-0-hybrid-ratio-0.0.rkllm");
 * // { baseModel: "Qwen2.5-0.5B-Instruct", platform: "rk3588", quantization: "w8a8", optimization: 0, hybridRatio: 0 }
 * ```
 */
export function parseModelVariant(fileName: string): ModelVariant {
  const name = fileName.split("/").pop()!.replace(/\.rkllm$/i, "");
  const variant: ModelVariant = {};
  const platform = PLATFORM.exec(name);
  const quantization = QUANTIZATION.exec(name);
  const optimization = OPTIMIZATION.exec(name);
  const hybridRatio = HYBRID_RATIO.exec(name);
  if (platform) variant.platform = platform[1].toLowerCase();
  if (quantization) variant.quantization = quantization[1].toLowerCase();
  if (optimization) variant.optimization = Number(optimization[1]);
  if (hybridRatio) variant.hybridRatio = Number(hybridRatio[1]);
  const firstToken = [platform, quantization, optimization, hybridRatio]
    .filter((match): match is RegExpExecArray => match !== null)
    .reduce((first, match) => Math.min(first, match.index), Infinity);
  if (Number.isFinite(firstToken) && firstToken > 0) {
    variant.baseModel = name.slice(0, firstToken).replace(/[-_.]+$/, "");
  }
  return variant;
}
