/**
 * `remove <query>`: delete one local model.
 *
 * @module
 */
import { ModelManagerError } from "../../errors.ts";
import { type Command, STORE_GLOBALS } from "../command.ts";
import { countOf, formatBytes } from "../format.ts";

/**
 * The `remove` command.
 *
 * @example
 * ```ts
 * import { removeCommand } from "./remove.ts";
 * console.log(removeCommand.usage);
 * ```
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
    "The query is an exact model name, owner/name, or a unique part of a name; nothing is removed when it is ambiguous.",
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
    // Every query must name one model before anything is removed.
    for (const query of queries) await manager.requireRemovableModel(query);
    const results = [];
    for (const query of queries) {
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
