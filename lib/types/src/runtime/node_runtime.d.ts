import { type Runtime } from "./runtime.ts";
/**
 * Creates the `node:fs` based runtime used on Node.js and Bun.
 */
export declare function createNodeRuntime(name: "node" | "bun"): Runtime;
