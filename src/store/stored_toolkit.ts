/**
 * The toolkit version of a model in the store: its `meta.json` (the nearest to it that
 * came with it) first, else what its file and repository names state.
 *
 * @module
 */
import type { Runtime } from "../runtime/runtime.ts";
import { readJsonFile } from "./json_file.ts";
import type { ModelInfo } from "./model_catalog.ts";
import { placeInRepo } from "./safe_path.ts";
import { type ToolkitVersion, toolkitVersionOf } from "./toolkit_version.ts";

/** The most of a `meta.json` read: a description, never a model. */
const MAX_META_BYTES = 1024 * 1024;

/** The toolkit version of a stored model, `meta.json` first. */
export async function storedToolkitVersion(
  runtime: Runtime,
  model: ModelInfo,
): Promise<ToolkitVersion | undefined> {
  const metaFile = [...model.technicalFiles, ...model.companionFiles]
    .find((path) => path.split("/").pop() === "meta.json");
  const read = metaFile === undefined
    ? undefined
    : await readJsonFile(runtime, placeInRepo(model.dir, metaFile), { maxBytes: MAX_META_BYTES });
  const meta = read?.status === "ok" ? read.value : undefined;
  return toolkitVersionOf({ meta, file: model.file, repo: model.repo });
}
