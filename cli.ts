#!/usr/bin/env -S deno run -q -A
/**
 * The `rkllm-models` command line: `deno run -A cli.ts <command>`, `node cli.ts
 * <command>` (Node.js 24) or `bun cli.ts <command>`. Run with `--help` for the
 * commands.
 *
 * @example
 * ```sh
 * deno run -A cli.ts download limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4
 * ```
 *
 * @module
 */
import * as nodeModule from "node:module";

// Node.js strips the types of every module at each start; its compile cache makes every start
// after the first faster. The rest is imported after this call so that the cache covers it.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { runCli } = await import("./src/cli/main.ts");
const { RuntimeDetector } = await import("./src/runtime/detect_runtime.ts");

const runtime = RuntimeDetector.current();
runtime.exit(await runCli(runtime.args(), runtime));
