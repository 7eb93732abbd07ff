/**
 * Which files of a repository belong to a model kept in a subfolder: the companion
 * files nearest to it (its own folder, then each parent up to the root), never those
 * of another model's folder.
 *
 * @module
 */
import { TECHNICAL_FILES } from "./store_layout.ts";

/** The folders that hold a repository path, nearest first, the root (`""`) last. */
export function foldersOf(path: string): string[] {
  const parts = path.split("/").slice(0, -1);
  const folders: string[] = [];
  for (let length = parts.length; length > 0; length--) {
    folders.push(parts.slice(0, length).join("/"));
  }
  folders.push("");
  return folders;
}

/** A name inside a folder (`""` is the root). */
function inFolder(folder: string, name: string): string {
  return folder === "" ? name : `${folder}/${name}`;
}

/**
 * The companion files of `modelFile` among `present` (repository paths): for each name, in
 * the order given, the copy nearest to the model, looked for in its folder, then in each
 * parent up to the root.
 */
export function nearestCompanions(
  modelFile: string,
  where: { present: ReadonlySet<string>; names: readonly string[] },
): string[] {
  const folders = foldersOf(modelFile);
  return [...new Set(where.names)].flatMap((name) => {
    const found = folders.map((folder) => inFolder(folder, name))
      .find((path) => where.present.has(path));
    return found === undefined ? [] : [found];
  });
}

/**
 * The companion files of several model files, each once, in the order of their first
 * appearance; those at the root when there is no model file.
 */
export function companionsOfModels(
  modelFiles: readonly string[],
  where: { present: ReadonlySet<string>; names: readonly string[] },
): string[] {
  const files = modelFiles.length > 0 ? modelFiles : [""];
  return [...new Set(files.flatMap((file) => nearestCompanions(file, where)))];
}

/** Whether a repository path is a technical file (`config.json`, …) in whichever folder. */
export function isTechnicalFile(path: string): boolean {
  return TECHNICAL_FILES.includes(path.split("/").pop()!);
}
