/**
 * The package version, kept equal to `deno.json` and `package.json` (a test checks).
 *
 * @module
 */

/** The version of rkllm-models. */
export const VERSION = "0.1.0";
