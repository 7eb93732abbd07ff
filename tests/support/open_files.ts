/**
 * Counting this process's open file descriptors on a file, to catch a handle
 * that is never closed (Linux only: it reads `/proc/self/fd`).
 *
 * @module
 */
import { readdirSync, readlinkSync } from "node:fs";

/**
 * How many descriptors of this process are open on `path` or on a file whose
 * path starts with it (its `.part`), or undefined where `/proc/self/fd` is missing.
 *
 * @example
 * ```ts
 * import { openDescriptorsOn } from "./open_files.ts";
 * const open = openDescriptorsOn("/models/o/n/model.rkllm");
 * if (open !== undefined) console.log(`${open} open`);
 * ```
 */
export function openDescriptorsOn(path: string): number | undefined {
  let descriptors: string[];
  try {
    descriptors = readdirSync("/proc/self/fd");
  } catch {
    return undefined;
  }
  return descriptors.filter((descriptor) => {
    try {
      return readlinkSync(`/proc/self/fd/${descriptor}`).startsWith(path);
    } catch {
      // Closed between the listing and the look.
      return false;
    }
  }).length;
}
