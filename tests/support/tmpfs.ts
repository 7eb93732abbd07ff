/**
 * Small tmpfs mounts for disk-full and read-only tests (needs root; callers
 * fall back or skip where mounting is not allowed).
 *
 * @module
 */
import { execFileSync } from "node:child_process";

/** A mounted tmpfs. */
export interface Mount {
  /** Where it is mounted. */
  path: string;
  /** Unmounts it (lazily, so open files do not block). */
  unmount(): void;
}

/** Mounts a tmpfs of `sizeBytes` at `path`; throws when mounting is not allowed. */
export function mountTmpfs(
  path: string,
  options: { sizeBytes: number; readOnly?: boolean },
): Mount {
  const flags = [`size=${options.sizeBytes}`, "mode=0777"];
  if (options.readOnly) flags.push("ro");
  execFileSync("mount", ["-t", "tmpfs", "-o", flags.join(","), "tmpfs", path], { stdio: "ignore" });
  let mounted = true;
  return {
    path,
    unmount() {
      if (!mounted) return;
      mounted = false;
      try {
        execFileSync("umount", ["-l", path], { stdio: "ignore" });
      } catch {
        // already gone
      }
    },
  };
}
