/**
 * `remove <query>`: delete one local model.
 *
 * @module
 */
import { ModelManagerError } from "../../errors.ts";
import type { Command } from "../command.ts";
import { formatBytes } from "../format.ts";

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
  usage: "remove <query> [options]",
  maxArguments: 1,
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
    const query = context.positionals[0];
    if (!query) {
      throw new ModelManagerError("usage", `${removeCommand.action}: the model query is missing`, {
        hint: "give a model name or part of one (see: rkllm-models list)",
      });
    }
    const result = await context.manager().removeModel(query);
    if (!context.json) {
      context.output.out(
        `removed ${result.model.repo}/${result.model.file} (${result.removedFiles.length} files, ${
          formatBytes(result.freedBytes)
        } freed)`,
      );
    }
    return { exitCode: 0, json: result };
  },
};
