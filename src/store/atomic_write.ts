/**
 * The one atomic-write helper: write a temporary file beside the target, flush
 * it, rename it over the target. A crash leaves the old file or the new one,
 * never half of either.
 *
 * @module
 */
import type { Runtime } from "../runtime/runtime.ts";

let counter = 0;

/**
 * Replaces `path` with `data` atomically.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "./atomic_write.ts";
 * import { RuntimeDetector } from "../runtime/detect_runtime.ts";
 * await writeFileAtomic(RuntimeDetector.current(), "/tmp/example.json", "{}");
 * ```
 */
export async function writeFileAtomic(
  runtime: Runtime,
  path: string,
  data: Uint8Array | string,
): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const temporary = `${path}.tmp-${runtime.pid()}-${Date.now().toString(36)}-${counter++}`;
  const handle = await runtime.open(temporary, { write: true, createNew: true });
  try {
    await handle.write(bytes, 0);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await runtime.remove(temporary).catch(() => {});
    throw error;
  }
  await handle.close();
  try {
    await runtime.rename(temporary, path);
  } catch (error) {
    await runtime.remove(temporary).catch(() => {});
    throw error;
  }
}

/**
 * Writes a value as pretty JSON, atomically.
 *
 * @example
 * ```ts
 * import { writeJsonAtomic } from "./atomic_write.ts";
 * import { RuntimeDetector } from "../runtime/detect_runtime.ts";
 * await writeJsonAtomic(RuntimeDetector.current(), "/tmp/example.json", { ok: true });
 * ```
 */
export function writeJsonAtomic(runtime: Runtime, path: string, value: unknown): Promise<void> {
  return writeFileAtomic(runtime, path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Whether a file name is one of this helper's temporary files.
 *
 * @example
 * ```ts
 * import { isAtomicTemporary } from "./atomic_write.ts";
 * isAtomicTemporary("config.json.tmp-12-abc-0"); // true
 * ```
 */
export function isAtomicTemporary(name: string): boolean {
  return /\.tmp-\d+-[0-9a-z]+-\d+$/.test(name);
}
