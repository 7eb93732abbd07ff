/**
 * `clean`: delete every model and partial download (or only partial downloads).
 *
 * @module
 */
import { ModelManagerError } from "../../errors.ts";
import type { LeftAlone } from "../../manager/remove_models.ts";
import type { ModelManager } from "../../model_manager.ts";
import { type Command, STORE_GLOBALS } from "../command.ts";
import { countOf, formatBytes } from "../format.ts";
import { ask } from "../prompt.ts";

function leftAloneLine(entry: LeftAlone): string {
  const what = entry.kind === "symlink"
    ? "a symbolic link, never followed"
    : `${formatBytes(entry.size)}, not made by rkllm-models`;
  return `left alone: ${entry.path} (${what})`;
}

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

/**
 * The `clean` command.
 */
export const cleanCommand: Command = {
  name: "clean",
  summary: "remove all models and partial downloads from the models directory",
  action: "clean the models directory",
  usage: "clean [--yes] [--partial] [options]",
  maxArguments: 0,
  globals: STORE_GLOBALS,
  description:
    "Removes only what rkllm-models made (the files its records list, the records, partial downloads, its\n" +
    "temporary files) and never follows a symbolic link; anything else is listed as left alone, with its size.\n" +
    "Asks for confirmation on a terminal; scripts must pass --yes.",
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
      for (const entry of report.leftAlone) context.output.out(leftAloneLine(entry));
    }
    return { exitCode: 0, json: report };
  },
};
