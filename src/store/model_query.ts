/**
 * Finding models by what users type: an exact name, `owner/name`, or a unique
 * case-insensitive prefix or substring.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import type { ModelInfo } from "./model_catalog.ts";

function ambiguous(query: string, candidates: ModelInfo[]): ModelManagerError {
  const names = candidates.map((model) => `${model.repo}/${model.file}`);
  return new ModelManagerError(
    "ambiguous",
    `"${query}" matches ${candidates.length} models: ${names.join(", ")}`,
    {
      hint: "give the exact model name, or owner/name/file.rkllm",
      choices: names,
    },
  );
}

/**
 * Finds the one model a query means; `undefined` when none matches. Several
 * matches at the most specific level that matches are an `ambiguous` error
 * listing them.
 */
export function findModel(models: ModelInfo[], query: string): ModelInfo | undefined {
  const text = typeof query === "string" ? query.trim() : "";
  if (!text) {
    throw new ModelManagerError("usage", "the model query is empty", {
      hint: "give a model name, owner/name, or part of a name (see: rkllm-models list)",
    });
  }
  const lower = text.toLowerCase();
  const levels: ((model: ModelInfo) => boolean)[] = [
    (model) => model.name === text || model.name + ".rkllm" === text,
    (model) => `${model.repo}/${model.file}` === text,
    (model) => model.repo === text,
    (model) =>
      model.repo.toLowerCase() === lower || `${model.repo}/${model.file}`.toLowerCase() === lower,
    (model) => model.name.toLowerCase().startsWith(lower),
    (model) => model.name.toLowerCase().includes(lower) || model.repo.toLowerCase().includes(lower),
  ];
  for (const matches of levels) {
    const found = models.filter(matches);
    if (found.length === 1) return found[0];
    if (found.length > 1) throw ambiguous(text, found);
  }
  return undefined;
}

/** Like {@linkcode findModel}, but no match is a `model_not_found` error. */
export function requireModel(models: ModelInfo[], query: string): ModelInfo {
  const model = findModel(models, query);
  if (!model) {
    throw new ModelManagerError("model_not_found", `no local model matches "${query}"`, {
      hint: "see the models you have with: rkllm-models list",
    });
  }
  return model;
}
