/**
 * The file walk the check scripts share.
 *
 * @module
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Every file below `dir`, at any depth; with `extension`, only the files whose names end in it. */
export function filesUnder(dir: string, options: { extension?: string } = {}): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path, options);
    return entry.name.endsWith(options.extension ?? "") ? [path] : [];
  });
}

/** The TypeScript modules below `dir`. */
export function sourceFiles(dir: string): string[] {
  return filesUnder(dir, { extension: ".ts" });
}
