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
export declare const PLATFORMS: readonly string[];
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
export declare function parseModelVariant(fileName: string): ModelVariant;
/**
 * The `.rknn` vision encoders among `paths` that go with the model file: those nearest to
 * it (see {@linkcode encoderPairing}), and among them those for its chip; all of them when
 * none names that chip or the model names no chip.
 */
export declare function pairedEncoders(modelFile: string, paths: readonly string[]): string[];
/**
 * {@linkcode pairedEncoders} for many model files of one listing: `paths` are read
 * once, and each model file then costs a look-up per folder above it, not a pass over
 * the listing. An encoder belongs to the `.rkllm` files of `paths` nearest to it: those
 * under the deepest folder above it that holds any (the root when none does), so a
 * model in a subfolder never takes another model's encoder.
 */
export declare function encoderPairing(paths: readonly string[], options?: {
    variantOf?: (fileName: string) => ModelVariant;
}): (modelFile: string) => string[];
