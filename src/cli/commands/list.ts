/**
 * `list`: the models in the store.
 *
 * @module
 */
import type { Command } from "../command.ts";
import { formatBytes, formatDate, formatTable } from "../format.ts";

/**
 * The `list` command.
 *
 * @example
 * ```ts
 * import { listCommand } from "./list.ts";
 * console.log(listCommand.summary);
 * ```
 */
export const listCommand: Command = {
  name: "list",
  aliases: ["ls"],
  summary: "list the models in the models directory",
  action: "list the models",
  usage: "list [options]",
  maxArguments: 0,
  options: {},
  examples: () => ["rkllm-models list", "rkllm-models list --json --dir /data/models"],
  async run(context) {
    const manager = context.manager();
    const { models, partials, links } = await manager.scanStore();
    if (context.json) return { exitCode: 0, json: models };
    if (models.length === 0) {
      context.output.err(`no models in ${manager.modelsDir}`);
      context.output.err(
        `download one with: rkllm-models download ${
          context.config.EXAMPLE_MODEL_FILES[0]?.repo ?? "owner/name"
        }`,
      );
    } else {
      // The vision encoder column appears only when some model is paired with one.
      const withEncoders = models.some((model) => model.encoders.length > 0);
      context.output.out(formatTable(
        [
          "NAME",
          "SIZE",
          "PLATFORM",
          "QUANT",
          "DOWNLOADED",
          ...(withEncoders ? ["ENCODER"] : []),
          "REPO",
        ],
        models.map((model) => [
          model.name,
          formatBytes(model.size),
          model.platform ?? "-",
          model.quantization ?? "-",
          formatDate(model.downloadedAt),
          ...(withEncoders ? [model.encoders.join(", ") || "-"] : []),
          model.repo,
        ]),
      ));
    }
    for (const partial of partials) {
      const done = partial.total === undefined
        ? "no saved progress"
        : `${formatBytes(partial.bytes)} of ${formatBytes(partial.total)} downloaded`;
      context.output.note(
        `partial download: ${partial.repo}/${partial.file} (${done}; download again to resume)`,
      );
    }
    for (const link of links) {
      context.output.note(
        `left alone: ${link} is a symbolic link (rkllm-models never follows links inside the models directory)`,
      );
    }
    return { exitCode: 0 };
  },
};
