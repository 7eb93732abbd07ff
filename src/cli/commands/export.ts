/**
 * `export <query…> <DIR>`: carry models to boards without internet.
 *
 * @module
 */
import { resolveModelsDir } from "../../config/settings.ts";
import { ModelManagerError } from "../../errors.ts";
import { exportModels } from "../../fleet/export_models.ts";
import { formatBytes } from "../../units.ts";
import { type Command, STORE_GLOBALS } from "../command.ts";

/**
 * The `export` command.
 */
export const exportCommand: Command = {
  name: "export",
  summary: "write models with their companions and records to a directory (a USB stick, a share)",
  action: "export models",
  usage: "export <query…> <DIR> [options]",
  maxArguments: Infinity,
  globals: STORE_GLOBALS,
  description:
    "The directory is itself a store: list --dir, serve --dir and import read it. Every file is checked against its recorded size and hash as it is written. A FAT32 drive cannot hold files of 4 GiB or more: that is refused before anything is written.",
  options: {},
  examples: (config) => [
    `rkllm-models export ${
      config.EXAMPLE_MODEL_FILES[0]?.file.replace(/\.rkllm$/, "") ?? "model-name"
    } /media/usb`,
    "rkllm-models export Qwen TinyLlama /mnt/share/models --json",
  ],
  async run(context) {
    const { positionals, runtime, output } = context;
    if (positionals.length < 2) {
      throw new ModelManagerError(
        "usage",
        "export models: a model or the directory to write to is missing",
        {
          hint:
            "usage: rkllm-models export <query…> <DIR>, for example: rkllm-models export Qwen /media/usb",
        },
      );
    }
    const target = positionals[positionals.length - 1];
    const report = await exportModels(
      resolveModelsDir(runtime, context.values.dir as string | undefined),
      { queries: positionals.slice(0, -1), target },
      { runtime, onWarning: (message) => output.err(`warning: ${message}`) },
    );
    if (!context.json) {
      const bytes = report.files.reduce((sum, file) => sum + file.size, 0);
      report.models.forEach((model) => output.out(`exported ${model}`));
      output.note(
        `${report.files.length} files, ${
          formatBytes(bytes)
        } in ${target}; on the board: rkllm-models import ${target}`,
      );
    }
    return { exitCode: 0, json: report };
  },
};
