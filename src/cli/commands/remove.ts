/**
 * `remove <query>`: delete one local model.
 *
 * @module
 */
import { ModelManagerError } from "../../errors.ts";
import type { ModelInfo } from "../../store/model_catalog.ts";
import { type Command, STORE_GLOBALS } from "../command.ts";
import { countOf, formatBytes } from "../format.ts";

/** Each query, with an `owner/name` of several models standing for each of them. */
function expandRepositories(queries: string[], models: ModelInfo[]): string[] {
  return queries.flatMap((query) => {
    const text = query.trim();
    if (models.some((model) => model.name === text)) return [query];
    const all = models.filter((model) => model.repo.toLowerCase() === text.toLowerCase());
    return all.length > 1 ? all.map((model) => `${model.repo}/${model.file}`) : [query];
  });
}

/**
 * The `remove` command.
 */
export const removeCommand: Command = {
  name: "remove",
  aliases: ["rm"],
  summary: "remove a local model (and its technical files when it was the last in its repo)",
  action: "remove a model",
  usage: "remove <query>... [options]",
  maxArguments: Infinity,
  globals: STORE_GLOBALS,
  description:
    "The query is an exact model name, owner/name (all of that repository's models), or a unique part of a name; nothing is removed when it is ambiguous.",
  options: {},
  examples: (config) => {
    const first = config.EXAMPLE_MODEL_FILES[0];
    return [
      `rkllm-models remove ${first?.file.replace(/\.rkllm$/, "") ?? "model-name"}`,
      `rkllm-models rm ${config.EXAMPLE_MODEL_FILES[1]?.repo ?? "owner/name"} --json`,
    ];
  },
  async run(context) {
    const queries = context.positionals;
    if (queries.length === 0) {
      throw new ModelManagerError("usage", `${removeCommand.action}: the model query is missing`, {
        hint: "give a model name or part of one (see: rkllm-models list)",
      });
    }
    const manager = context.manager();
    const wanted = expandRepositories(queries, await manager.listModels());
    // Every query must name one model before anything is removed.
    for (const query of wanted) await manager.requireRemovableModel(query);
    const results = [];
    for (const query of wanted) {
      const result = await manager.removeModel(query);
      results.push(result);
      if (!context.json) {
        context.output.out(
          `removed ${result.model.repo}/${result.model.file} (${
            countOf(result.removedFiles.length, "file")
          }, ${formatBytes(result.freedBytes)} freed)`,
        );
      }
    }
    return { exitCode: 0, json: results.length === 1 ? results[0] : results };
  },
};
