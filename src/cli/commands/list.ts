/**
 * `list`: the models in the store, in a table that fits the terminal (80
 * columns when not a terminal), ending with the total size and the free space
 * of the store's disk; `--partial` lists the partial downloads instead.
 *
 * @module
 */
import type { ModelInfo, PartialDownload } from "../../store/model_catalog.ts";
import { type Command, type CommandContext, STORE_GLOBALS } from "../command.ts";
import { fitName, formatBytes, formatDate, formatTable } from "../format.ts";

/** The table's width: the terminal's, else 80. */
function tableWidth(context: CommandContext): number {
  const columns = context.runtime.isTTY("stdout") ? context.runtime.columns() : undefined;
  return columns !== undefined && columns >= 40 ? columns : 80;
}

function partialJson(partial: PartialDownload) {
  return {
    ...partial,
    percent: partial.total ? Math.floor((partial.bytes / partial.total) * 100) : null,
  };
}

function listPartials(context: CommandContext, partials: PartialDownload[]) {
  if (context.json) return { exitCode: 0, json: partials.map(partialJson) };
  if (partials.length === 0) {
    context.output.err("no partial downloads");
    return { exitCode: 0 };
  }
  const width = tableWidth(context) - 1;
  const progressOf = (partial: PartialDownload) =>
    partial.total === undefined
      ? "no saved progress"
      : `${formatBytes(partial.bytes)} of ${formatBytes(partial.total)} (${
        Math.floor((partial.bytes / partial.total) * 100)
      }%)`;
  const progress = partials.map(progressOf);
  const room = Math.max(20, width - 2 - Math.max(8, ...progress.map((text) => text.length)));
  context.output.out(formatTable(
    ["FILE", "PROGRESS"],
    partials.map((partial, index) => [
      fitName(`${partial.repo}/${partial.file}`, room),
      progress[index],
    ]),
  ));
  context.output.note("resume with: rkllm-models download <owner/name> <file>");
  return { exitCode: 0 };
}

/** Says the store is empty, and how to fill it. */
function noModels(context: CommandContext, modelsDir: string): void {
  context.output.err(`no models in ${modelsDir}`);
  context.output.err(
    `download one with: rkllm-models download ${
      context.config.EXAMPLE_MODEL_FILES[0]?.repo ?? "owner/name"
    }`,
  );
}

/** The table of models, then their total size and the free space of the store's disk. */
async function printModels(
  context: CommandContext,
  store: { models: ModelInfo[]; modelsDir: string },
): Promise<void> {
  const { models, modelsDir } = store;
  // The vision column appears only when some model is paired with an encoder.
  const withEncoders = models.some((model) => model.encoders.length > 0);
  // The chip and quantisation are in the name, which keeps them when it is shortened.
  const rows = models.map((model) => [
    formatBytes(model.size),
    formatDate(model.downloadedAt),
    ...(withEncoders ? [model.encoders.length > 0 ? "yes" : "-"] : []),
  ]);
  const header = [
    "SIZE",
    "DOWNLOADED",
    ...(withEncoders ? ["VISION"] : []),
  ];
  const others = header.reduce(
    (sum, title, column) =>
      sum + 2 + Math.max(title.length, ...rows.map((row) => row[column].length)),
    0,
  );
  const room = Math.max(16, tableWidth(context) - 1 - others);
  context.output.out(formatTable(
    ["NAME", ...header],
    models.map((model, index) => [fitName(model.name, room), ...rows[index]]),
  ));
  const total = models.reduce((sum, model) => sum + model.size, 0);
  const free = await context.runtime.freeSpace(modelsDir).catch(() => undefined);
  context.output.out(
    `${models.length} ${models.length === 1 ? "model" : "models"}, ${formatBytes(total)}${
      free === undefined ? "" : `; ${formatBytes(free)} free on the disk of ${modelsDir}`
    }`,
  );
}

/** Notes the partial downloads and the links the store holds besides its models. */
function noteLeftovers(
  context: CommandContext,
  store: { partials: PartialDownload[]; links: string[] },
): void {
  for (const partial of store.partials) {
    const done = partial.total === undefined
      ? "no saved progress"
      : `${formatBytes(partial.bytes)} of ${formatBytes(partial.total)} downloaded`;
    context.output.note(
      `partial download: ${partial.repo}/${partial.file} (${done}; download again to resume)`,
    );
  }
  for (const link of store.links) {
    context.output.note(
      `left alone: ${link} is a symbolic link (rkllm-models never follows links inside the models directory)`,
    );
  }
}

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
  globals: STORE_GLOBALS,
  options: {
    partial: {
      type: "boolean",
      description: "list the partial downloads with their progress instead",
    },
  },
  examples: () => ["rkllm-models list --dir /data/models", "rkllm-models list --partial --json"],
  async run(context) {
    const manager = context.manager();
    // One scan of the store serves the models, the partial downloads and the links.
    const { models, partials, links } = await manager.scanStore();
    if (context.values.partial === true) return listPartials(context, partials);
    if (context.json) return { exitCode: 0, json: models };
    if (models.length === 0) noModels(context, manager.modelsDir);
    else await printModels(context, { models, modelsDir: manager.modelsDir });
    noteLeftovers(context, { partials, links });
    return { exitCode: 0 };
  },
};
