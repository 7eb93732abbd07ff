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
import { runCli } from "./src/cli/main.ts";
import { RuntimeDetector } from "./src/runtime/detect_runtime.ts";

const runtime = RuntimeDetector.current();
runtime.exit(await runCli(runtime.args(), runtime));
