/**
 * Putting one recorded file into another store (export, import): hard-linked
 * when both are on one file system, else copied; the placed bytes are checked
 * against the recorded size and hash before they take the file's name, so a
 * file that does not verify never appears.
 *
 * @module
 */
import { copyFile, link } from "node:fs/promises";
import { dirname } from "node:path";
import { ModelManagerError } from "../errors.ts";
import { hashFile } from "../download/file_hash.ts";
import { errorCodeOf, isNotFound, type Runtime } from "../runtime/runtime.ts";
import type { FileRecord } from "../store/registry.ts";

/** How a file was placed and checked. */
export interface PlacedFile {
  /** `link` (a hard link, no bytes copied) or `copy`. */
  method: "link" | "copy";
  /** What it was checked against: a hash, or only its size (recorded without a hash). */
  checkedBy: "sha256" | "git-sha1" | "size";
}

/**
 * Places `target.source` at `target.destination` and verifies it against `expected`.
 *
 * @example
 * ```ts
 * import { placeVerifiedFile } from "./place_file.ts";
 * import type { Runtime } from "../runtime/runtime.ts";
 * import type { FileRecord } from "../store/registry.ts";
 * declare const runtime: Runtime;
 * declare const expected: FileRecord; // the source store's record of the file
 * const { method, checkedBy } = await placeVerifiedFile(runtime, {
 *   source: "/media/usb/o/n/m.rkllm",
 *   destination: "/models/o/n/m.rkllm",
 *   expected,
 *   label: "o/n/m.rkllm",
 * });
 * ```
 */
export async function placeVerifiedFile(
  runtime: Runtime,
  target: {
    source: string;
    destination: string;
    expected: FileRecord;
    label: string;
    /** `link-or-copy` (default) hard-links when it can; `copy` always copies. */
    how?: "link-or-copy" | "copy";
  },
): Promise<PlacedFile> {
  const temporary = `${target.destination}.rkllm-import`;
  await runtime.mkdir(dirname(target.destination));
  await runtime.remove(temporary).catch(() => {});
  const method = target.how === "copy"
    ? await copyFile(target.source, temporary).then(() => "copy" as const)
    : await linkOrCopy(target.source, temporary);
  try {
    const checkedBy = await verifyPlaced(runtime, temporary, target);
    await runtime.rename(temporary, target.destination);
    return { method, checkedBy };
  } catch (error) {
    await runtime.remove(temporary).catch(() => {});
    throw error;
  }
}

async function linkOrCopy(source: string, destination: string): Promise<"link" | "copy"> {
  try {
    await link(source, destination);
    return "link";
  } catch (error) {
    if (isNotFound(error)) throw error;
    // EXDEV (another file system), EPERM (FAT, some network shares): copy instead.
    if (!["EXDEV", "EPERM", "ENOTSUP", "EOPNOTSUPP", "EMLINK"].includes(errorCodeOf(error) ?? "")) {
      throw error;
    }
  }
  await copyFile(source, destination);
  return "copy";
}

async function verifyPlaced(
  runtime: Runtime,
  path: string,
  target: { expected: FileRecord; label: string },
): Promise<PlacedFile["checkedBy"]> {
  const { expected, label } = target;
  const size = (await runtime.stat(path)).size;
  if (size !== expected.size) {
    throw mismatch(label, `expected ${expected.size} bytes, found ${size}`);
  }
  const algorithm = expected.sha256 ? "sha256" : expected.gitSha1 ? "git-sha1" : undefined;
  if (!algorithm) return "size";
  const wanted = (expected.sha256 ?? expected.gitSha1)!.toLowerCase();
  const actual = await hashFile(runtime, path, { algorithm });
  if (actual !== wanted) throw mismatch(label, `expected ${algorithm} ${wanted}, got ${actual}`);
  return algorithm;
}

function mismatch(label: string, detail: string): ModelManagerError {
  return new ModelManagerError("integrity", `verify ${label}: ${detail}`, {
    hint: "the copy is damaged or was changed; export it again from a store that verifies",
  });
}
