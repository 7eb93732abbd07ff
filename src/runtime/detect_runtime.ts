/**
 * Picks the runtime adapter once, for the whole process.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import { createDenoRuntime } from "./deno_runtime.ts";
import { createNodeRuntime } from "./node_runtime.ts";
import type { Runtime } from "./runtime.ts";

/** The runtime names this package runs on. */
export type RuntimeName = Runtime["name"];

/**
 * Detects the JavaScript runtime and hands out its adapter. The only place
 * that asks which runtime the code is running on.
 *
 * @example
 * ```ts
 * import { RuntimeDetector } from "./detect_runtime.ts";
 * const runtime = RuntimeDetector.current();
 * console.log(runtime.name);
 * ```
 */
export class RuntimeDetector {
  static #current: Runtime | undefined;

  /** The name of the runtime this process runs on; throws `unsupported_runtime` otherwise. */
  static detect(): RuntimeName {
    const global = globalThis as {
      Deno?: unknown;
      Bun?: unknown;
      process?: { versions?: { node?: string } };
    };
    if (global.Deno !== undefined) return "deno";
    if (global.Bun !== undefined) return "bun";
    if (global.process?.versions?.node) return "node";
    throw new ModelManagerError(
      "unsupported_runtime",
      "unsupported JavaScript runtime: rkllm-models runs on Deno, Node.js and Bun",
      {
        hint: "use Deno 2, Node.js 24 or Bun 1.2 or newer",
      },
    );
  }

  /** The adapter for this process's runtime, created on first use. */
  static current(): Runtime {
    if (!RuntimeDetector.#current) {
      const name = RuntimeDetector.detect();
      RuntimeDetector.#current = name === "deno" ? createDenoRuntime() : createNodeRuntime(name);
    }
    return RuntimeDetector.#current;
  }
}
