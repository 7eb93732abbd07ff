/**
 * FAT32 cannot hold a file of 4 GiB or more, and many USB sticks are FAT32.
 * Export and import look at the file system of the target before writing
 * anything, so a 5 GB model is refused up front, not after an hour of copying.
 *
 * @module
 */
import { resolve } from "node:path";
import { ModelManagerError } from "../errors.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { formatBytes } from "../units.ts";

/**
 * The largest file FAT32 holds: 4 GiB less one byte.
 */
export const FAT32_MAX_FILE_BYTES = 4 * 1024 * 1024 * 1024 - 1;

const FAT_TYPES = new Set(["vfat", "msdos", "fat", "fat32"]);

/**
 * The file system type of the mount holding `path` (Linux `/proc/self/mounts`);
 * `undefined` where that cannot be read.
 */
export async function filesystemTypeOf(
  runtime: Runtime,
  path: string,
  options: { mountsPath?: string } = {},
): Promise<string | undefined> {
  let text: string;
  try {
    text = new TextDecoder().decode(
      await runtime.readFile(options.mountsPath ?? "/proc/self/mounts"),
    );
  } catch {
    return undefined;
  }
  const target = resolve(path);
  let best: { mountPoint: string; type: string } | undefined;
  for (const line of text.split("\n")) {
    const [, rawMountPoint, type] = line.split(" ");
    if (!rawMountPoint || !type) continue;
    const mountPoint = rawMountPoint.replace(
      /\\(\d{3})/g,
      (_, octal) => String.fromCharCode(parseInt(octal, 8)),
    );
    const inside = target === mountPoint ||
      target.startsWith(mountPoint.endsWith("/") ? mountPoint : `${mountPoint}/`);
    if (inside && (!best || mountPoint.length >= best.mountPoint.length)) {
      best = { mountPoint, type };
    }
  }
  return best?.type;
}

/**
 * Refuses, before anything is written, to put files of 4 GiB or more on a FAT
 * file system.
 */
export async function refuseTooLargeForFat(
  runtime: Runtime,
  what: { dir: string; files: { path: string; size: number }[]; mountsPath?: string },
): Promise<void> {
  const { dir } = what;
  const tooLarge = what.files.filter((file) => file.size > FAT32_MAX_FILE_BYTES);
  if (tooLarge.length === 0) return;
  const type = await filesystemTypeOf(runtime, dir, { mountsPath: what.mountsPath });
  if (type === undefined || !FAT_TYPES.has(type.toLowerCase())) return;
  throw new ModelManagerError(
    "storage",
    `write ${
      tooLarge.map((file) => `${file.path} (${formatBytes(file.size)})`).join(", ")
    } to ${dir}: it is on a ${type} (FAT32) file system, which cannot hold files of 4 GiB or more`,
    {
      hint:
        "reformat the drive as exFAT or ext4 (mkfs.exfat / mkfs.ext4), or choose a directory on another drive; nothing was written",
    },
  );
}
