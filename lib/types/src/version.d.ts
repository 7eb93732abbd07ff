/**
 * The package version, kept equal to `deno.json` and `package.json` (a test checks).
 *
 * @module
 */
/**
 * The version of rkllm-models.
 *
 * @example
 * ```ts
 * import { VERSION } from "./version.ts";
 * console.log(`rkllm-models ${VERSION}`);
 * ```
 */
export declare const VERSION = "0.1.0";
