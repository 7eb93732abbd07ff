/**
 * Helpers of the fleet tests (`serve`, pull-through, nginx, export/import):
 * a store filled from the loopback Hub, byte comparison of files, and the
 * official Python client run from the repository's `.venv`.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ModelManager } from "../../src/model_manager.ts";
import { finished, ROOT } from "./cli_process.ts";

/** The Python of the virtual environment `scripts/setup_python.sh` makes. */
export const VENV_PYTHON = join(ROOT, ".venv", "bin", "python");

/**
 * Downloads models from a Hub into a store with the library.
 *
 * @example
 * ```ts ignore
 * await fillStore(hub.endpoint, dir, [{ repo: "o/n", file: "m.rkllm" }]);
 * ```
 */
export async function fillStore(
  endpoint: string,
  modelsDir: string,
  models: { repo: string; file?: string; token?: string }[],
): Promise<void> {
  for (const model of models) {
    const manager = new ModelManager({
      endpoint,
      modelsDir,
      token: model.token,
      onWarning: () => {},
      retry: { attempts: 1 },
    });
    await manager.downloadModel(model.repo, model.file);
  }
}

/** The SHA-256 of a file on disk. */
export function fileSha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/** What a finished Python process did. */
export interface PythonResult {
  /** Exit status. */
  code: number;
  /** Its stdout. */
  stdout: string;
  /** Its stderr. */
  stderr: string;
}

/**
 * Runs a program of the repository's `.venv` (`python` by default, or `hf`) with
 * arguments and environment, killed after `CHILD_LIFETIME_MS` like every child of a test; fails
 * with a hint when the venv is missing.
 *
 * @example
 * ```ts ignore
 * await runVenv(["-c", "print(1)"], { HF_ENDPOINT: url });
 * ```
 */
export function runVenv(
  args: string[],
  env: Record<string, string>,
  options: { program?: string } = {},
): Promise<PythonResult> {
  const program = join(ROOT, ".venv", "bin", options.program ?? "python");
  if (!existsSync(program)) {
    throw new Error(
      `${program} is missing: run scripts/setup_python.sh (it makes .venv with huggingface_hub)`,
    );
  }
  const child = spawn(program, args, {
    env: { PATH: "/usr/bin:/bin", HF_HUB_DISABLE_TELEMETRY: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return finished(child);
}
