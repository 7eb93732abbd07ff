import { type Runtime } from "./runtime.ts";
/**
 * Creates the runtime adapter for Deno.
 */
export declare function createDenoRuntime(): Runtime;
