/**
 * `clean`: delete every model and partial download (or only partial downloads).
 *
 * @module
 */
import { ModelManagerError } from "../../errors.ts";
import type { ModelManager } from "../../model_manager.ts";
import { type Command, STORE_GLOBALS } from "../command.ts";
import { countOf, formatBytes } from "../format.ts";
import { ask } from "../prompt.ts";

/** The `clean` command. */
/** What a clean would remove, with sizes: "2 models (3.2 MiB) and 1 partial download (1.0 MiB)". */
async function amountOf(manager: ModelManager, partialOnly: boolean): Promise<string> {
  const partials = await manager.listPartialDownloads();
  const partialBytes = partials.reduce((sum, partial) => sum + partial.bytes, 0);
  const partialText = `${countOf(partials.length, "partial download")} (${
    formatBytes(partialBytes)
  })`;
  if (partialOnly) return partialText;
  const models = await manager.listModels();
  const modelBytes = models.reduce((sum, model) => sum + model.size, 0);
  return `${countOf(models.length, "model")} (${formatBytes(modelBytes)}) and ${partialText}`;
}

export const cleanCommand: Command = {
  name: "clean",
  summary: "remove all models and partial downloads from the models directory",
  action: "clean the models directory",
  usage: "clean [--yes] [--partial] [options]",
  maxArguments: 0,
  globals: STORE_GLOBALS,
  description:
    "Removes only what rkllm-models manages (model files, technical files, records, partial downloads) and never\n" +
    "follows a symbolic link. Asks for confirmation on a terminal; scripts must pass --yes.",
  options: {
    yes: { type: "boolean", short: "y", description: "do not ask for confirmation" },
    partial: {
      type: "boolean",
      description: "remove only partial downloads, keep complete models",
    },
  },
  examples: () => ["rkllm-models clean --partial --yes", "rkllm-models clean --dir /data/models"],
  async run(context) {
    const manager = context.manager();
    const partialOnly = context.values.partial === true;
    const what = partialOnly ? "all partial downloads" : "all models and partial downloads";
    if (context.values.yes !== true) {
      if (!context.interactive || context.json) {
        throw new ModelManagerError(
          "usage",
          `${cleanCommand.action}: refusing to remove ${what} without confirmation`,
          {
            hint: "pass --yes to confirm (no terminal to ask on)",
          },
        );
      }
      const answer = (await ask(
        context,
        `Remove ${await amountOf(manager, partialOnly)} in ${manager.modelsDir}? [y/N] `,
      ))
        ?.trim().toLowerCase();
      if (answer !== "y" && answer !== "yes") {
        context.output.err("nothing removed");
        return { exitCode: 1 };
      }
    }
    const report = await manager.cleanModels({ partialOnly });
    if (!context.json) {
      context.output.out(
        `removed ${countOf(report.removedFiles.length, "file")}, ${
          formatBytes(report.freedBytes)
        } freed`,
      );
    }
    return { exitCode: 0, json: report };
  },
};
