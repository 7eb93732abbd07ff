/**
 * The one note for users of earlier versions, whose store was `./models`: when
 * the default per-user store is empty and `./models` holds a store, say which
 * `--dir` reaches it.
 *
 * @module
 */
import { join, resolve } from "node:path";
import type { SettingSource } from "../config/settings.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { RECORD_FILE } from "../store/store_layout.ts";

async function entriesOf(runtime: Runtime, dir: string): Promise<string[]> {
  try {
    return (await runtime.readDir(dir)).filter((entry) => entry.isDirectory).map((entry) =>
      entry.name
    );
  } catch {
    return [];
  }
}

/** Whether `dir` holds at least one `<owner>/<repo>/` with a registry record. */
async function holdsStore(runtime: Runtime, dir: string): Promise<boolean> {
  for (const owner of await entriesOf(runtime, dir)) {
    for (const repo of await entriesOf(runtime, join(dir, owner))) {
      const found = await runtime.stat(join(dir, owner, repo, RECORD_FILE)).then(
        (stat) => stat.isFile,
        () => false,
      );
      if (found) return true;
    }
  }
  return false;
}

/**
 * The note to print when the models directory is the built-in default, it holds no
 * store and `./models` does; `undefined` otherwise.
 */
export async function legacyStoreNote(
  runtime: Runtime,
  modelsDir: { value: string; source: SettingSource },
): Promise<string | undefined> {
  if (modelsDir.source !== "default") return undefined;
  const local = resolve(runtime.cwd(), "models");
  if (local === modelsDir.value || await holdsStore(runtime, modelsDir.value)) return undefined;
  if (!await holdsStore(runtime, local)) return undefined;
  return `the models directory is now ${modelsDir.value}, which is empty; ./models holds models: ` +
    `use --dir ./models, or keep it with: rkllm-models config set modelsDir ${local}`;
}
