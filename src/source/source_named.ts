/**
 * The one place that turns a source's name (from `--source`, the user config or
 * a `configs/models.json` entry) into its {@linkcode RepoSource}.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import { huggingFaceSource } from "./hugging_face_source.ts";
import { modelScopeSource } from "./modelscope_source.ts";
import { type RepoSource, SOURCE_NAMES, type SourceName } from "./repo_source.ts";

const SOURCES: Record<SourceName, RepoSource> = {
  huggingface: huggingFaceSource,
  modelscope: modelScopeSource,
};

/**
 * The source of a name; a `usage` error for an unknown one.
 */
export function sourceNamed(name: string): RepoSource {
  const source = SOURCES[name as SourceName];
  if (SOURCE_NAMES.includes(name as SourceName) && source) return source;
  throw new ModelManagerError(
    "usage",
    `invalid source ${JSON.stringify(name)}: expected huggingface or modelscope`,
    {
      hint: "pass --source huggingface (the default) or --source modelscope",
    },
  );
}
