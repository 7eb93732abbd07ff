/**
 * What an RKLLM file name says about the model: base model, target chip,
 * quantisation, optimisation level and hybrid ratio. Names that do not follow
 * the pattern are parsed as far as they go, never rejected.
 *
 * @module
 */
import { foldersOf } from "./repo_folders.ts";
import { isEncoderFileName, isModelFileName } from "./store_layout.ts";

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
  /**
   * What the name carries after the base model besides the fields above, e.g. `16k` in
   * `…-hybrid-ratio-0.0-16k.rkllm`: the mark of a variant that differs only by it.
   */
  suffix?: string;
}

/**
 * The chips RKLLM converts for.
 *
 * @example
 * ```ts
 * import { PLATFORMS } from "./model_variant.ts";
 * PLATFORMS.includes("rk3588"); // true
 * ```
 */
export const PLATFORMS: readonly string[] = ["rk3588", "rk3576", "rk3562", "rv1126b"];

const PLATFORM = /(?:^|[-_.])(rk3588|rk3576|rk3562|rv1126b)(?=$|[-_.])/i;
const QUANTIZATION = /(?:^|[-_.])(w8a8(?:_g\d+)?|w4a16(?:_g\d+)?|w4a8(?:_g\d+)?)(?=$|[-_.])/i;
const OPTIMIZATION = /(?:^|[-_.])opt[-_]?([01])(?=$|[-_.])/i;
const HYBRID_RATIO = /(?:^|[-_.])hybrid[-_]ratio[-_]?(\d+(?:\.\d+)?)(?=$|[-_]|\.(?!\d))/i;

/**
 * Parses the variant fields of an RKLLM file name (with or without `.rkllm`; a
 * `.rknn` vision encoder's name parses the same way). Tokens may be separated by
 * `-`, `_` or `.` and stand in any order.
 *
 * @example
 * ```ts
 * import { parseModelVariant } from "./model_variant.ts";
 * parseModelVariant("Qwen2.5-0.5B-Instruct-rk3588-w8a8-opt-0-hybrid-ratio-0.0.rkllm");
 * // { baseModel: "Qwen2.5-0.5B-Instruct", platform: "rk3588", quantization: "w8a8", optimization: 0, hybridRatio: 0 }
 * ```
 */
export function parseModelVariant(fileName: string): ModelVariant {
  const name = fileName.split("/").pop()!.replace(/\.rk(?:llm|nn)$/i, "");
  const variant: ModelVariant = {};
  const platform = PLATFORM.exec(name);
  const quantization = QUANTIZATION.exec(name);
  const optimization = OPTIMIZATION.exec(name);
  const hybridRatio = HYBRID_RATIO.exec(name);
  if (platform) variant.platform = platform[1].toLowerCase();
  if (quantization) variant.quantization = quantization[1].toLowerCase();
  if (optimization) variant.optimization = Number(optimization[1]);
  if (hybridRatio) variant.hybridRatio = Number(hybridRatio[1]);
  const tokens = [platform, quantization, optimization, hybridRatio]
    .filter((match): match is RegExpExecArray => match !== null)
    .sort((a, b) => a.index - b.index);
  if (tokens.length === 0) return variant;
  if (tokens[0].index > 0) {
    variant.baseModel = name.slice(0, tokens[0].index).replace(/[-_.]+$/, "");
  }
  const suffix = leftoverText(name, tokens);
  if (suffix) variant.suffix = suffix;
  return variant;
}

/** The text between and after the recognised tokens, joined by `-`. */
function leftoverText(name: string, tokens: RegExpExecArray[]): string {
  const pieces: string[] = [];
  tokens.forEach((token, index) => {
    const end = index + 1 < tokens.length ? tokens[index + 1].index : name.length;
    pieces.push(name.slice(token.index + token[0].length, end).replace(/^[-_.]+|[-_.]+$/g, ""));
  });
  return pieces.filter(Boolean).join("-");
}

/**
 * The `.rknn` vision encoders among `paths` that go with the model file: those nearest to
 * it (see {@linkcode encoderPairing}), and among them those for its chip; all of them when
 * none names that chip or the model names no chip.
 */
export function pairedEncoders(modelFile: string, paths: readonly string[]): string[] {
  return encoderPairing(paths)(modelFile);
}

/**
 * {@linkcode pairedEncoders} for many model files of one listing: `paths` are read
 * once, and each model file then costs a look-up per folder above it, not a pass over
 * the listing. An encoder belongs to the `.rkllm` files of `paths` nearest to it: those
 * under the deepest folder above it that holds any (the root when none does), so a
 * model in a subfolder never takes another model's encoder.
 */
export function encoderPairing(
  paths: readonly string[],
  options: { variantOf?: (fileName: string) => ModelVariant } = {},
): (modelFile: string) => string[] {
  const { variantOf = parseModelVariant } = options;
  const modelFolders = new Set(paths.filter(isModelFileName).flatMap(foldersOf));
  const byOwner = new Map<string, { path: string; chip?: string }[]>();
  for (const path of paths.filter(isEncoderFileName)) {
    const owner = foldersOf(path).find((folder) => modelFolders.has(folder)) ?? "";
    const owned = byOwner.get(owner) ?? [];
    owned.push({ path, chip: variantOf(path).platform });
    byOwner.set(owner, owned);
  }
  return (modelFile) => {
    const nearest = foldersOf(modelFile).reverse().flatMap((folder) => byOwner.get(folder) ?? []);
    const chip = variantOf(modelFile).platform;
    const sameChip = chip === undefined ? [] : nearest.filter((encoder) => encoder.chip === chip);
    return (sameChip.length > 0 ? sameChip : nearest).map((encoder) => encoder.path);
  };
}
