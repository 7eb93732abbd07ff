/**
 * What comes with a model file: the companion files a repository holds nearest
 * to it and the vision encoders paired with it. Downloads plan these, and every
 * record writer names them in the model's `models` entry.
 *
 * @module
 */
import type { RepoFile } from "../hub/list_files.ts";
import { pairedEncoders } from "./model_variant.ts";
import type { ModelRecord } from "./registry.ts";
import { nearestCompanions } from "./repo_folders.ts";

/** What a file is to the model: the model itself, a companion file or a vision encoder. */
export type PlannedFileKind = "model" | "companion" | "encoder";

/**
 * The files that come with `modelFile`, each with its kind: the model, the companion
 * files the repository holds nearest to it (in the order given; see
 * {@linkcode nearestCompanions}), and the vision encoders paired with it.
 */
export function filesOfModel(
  files: readonly RepoFile[],
  what: { modelFile: RepoFile; companionFiles: readonly string[] },
): { file: RepoFile; kind: PlannedFileKind }[] {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const present = new Set(byPath.keys());
  const companions = nearestCompanions(what.modelFile.path, { present, names: what.companionFiles })
    .map((path) => byPath.get(path)!);
  const encoders = pairedEncoders(what.modelFile.path, [...present]).map((path) =>
    byPath.get(path)!
  );
  return [
    { file: what.modelFile, kind: "model" },
    ...companions.map((file) => ({ file, kind: "companion" as const })),
    ...encoders.map((file) => ({ file, kind: "encoder" as const })),
  ];
}

/** The `models` entry of a model file: the paths of its companions and encoders, in order. */
export function modelRecordOf(
  planned: readonly { file: string; kind: PlannedFileKind }[],
): ModelRecord {
  const pathsOf = (kind: PlannedFileKind) =>
    planned.filter((entry) => entry.kind === kind).map((entry) => entry.file);
  return { companions: pathsOf("companion"), encoders: pathsOf("encoder") };
}
