/**
 * `list`: the models in the store, in a table that fits the terminal (80
 * columns when not a terminal), ending with the total size and the free space
 * of the store's disk; `--partial` lists the partial downloads instead.
 *
 * @module
 */
import type { ModelInfo, PartialDownload } from "../../store/model_catalog.ts";
import { type Command, type CommandContext, STORE_GLOBALS } from "../command.ts";
import {
  countOf,
  formatBytes,
  formatDate,
  formatFittedTable,
  shellWord,
  tableWidth,
  widthOf,
  wrapWords,
} from "../format.ts";
import { isModelFileName } from "../../store/store_layout.ts";

function partialJson(partial: PartialDownload) {
  return {
    ...partial,
    percent: partial.total ? Math.floor((partial.bytes / partial.total) * 100) : null,
  };
}

/** Whether every byte of a partial file arrived: it waits for the rest of its model. */
function isFinished(partial: PartialDownload): boolean {
  return partial.total !== undefined && partial.bytes >= partial.total;
}

/** The exact commands that resume the partial downloads, one per repository and model file. */
function resumeCommands(context: CommandContext, partials: PartialDownload[]): string[] {
  const dir = typeof context.values.dir === "string"
    ? ` --dir ${shellWord(context.values.dir)}`
    : "";
  const byRepo = new Map<string, string[]>();
  for (const partial of partials) {
    const models = byRepo.get(partial.repo) ?? [];
    if (isModelFileName(partial.file)) models.push(partial.file);
    byRepo.set(partial.repo, models);
  }
  return [...byRepo].flatMap(([repo, models]) =>
    (models.length > 0 ? models.map((file) => ` ${shellWord(file)}`) : [""])
      .map((file) => `rkllm-models download ${repo}${file}${dir}`)
  );
}

function listPartials(context: CommandContext, partials: PartialDownload[]) {
  if (context.json) return { exitCode: 0, json: partials.map(partialJson) };
  const unfinished = partials.filter((partial) => !isFinished(partial));
  if (unfinished.length === 0) {
    context.output.err("no partial downloads");
    return { exitCode: 0 };
  }
  const progressOf = (partial: PartialDownload) =>
    partial.total === undefined
      ? "no saved progress"
      : `${formatBytes(partial.bytes)} of ${formatBytes(partial.total)} (${
        Math.floor((partial.bytes / partial.total) * 100)
      }%)`;
  context.output.out(formatFittedTable(
    ["FILE", "PROGRESS"],
    unfinished.map((partial) => [`${partial.repo}/${partial.file}`, progressOf(partial)]),
    { width: tableWidth(context.runtime) },
  ));
  const finished = partials.length - unfinished.length;
  if (finished > 0) {
    context.output.note(`and ${countOf(finished, "complete file")} waiting for its model`);
  }
  // A command stays on one line, to be copied: below its label when both do not fit.
  for (const command of resumeCommands(context, unfinished)) {
    const line = `resume with: ${command}`;
    context.output.note(widthOf(line) <= proseWidth(context) ? line : `resume with:\n  ${command}`);
  }
  return { exitCode: 0 };
}

/** The width sentences wrap to: a terminal's, else unlimited (one line each for scripts). */
function proseWidth(context: CommandContext): number {
  return tableWidth(context.runtime) - 1;
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
  // So does the verify column, only when some model failed its last verify.
  const withFailures = models.some((model) => model.failedVerifyAt !== undefined);
  const rows = models.map((model) => [
    formatBytes(model.size),
    formatDate(model.downloadedAt),
    ...(withEncoders ? [model.encoders.length > 0 ? "yes" : "-"] : []),
    ...(withFailures ? [model.failedVerifyAt ? "FAILED" : "-"] : []),
  ]);
  const header = [
    "SIZE",
    "DOWNLOADED",
    ...(withEncoders ? ["VISION"] : []),
    ...(withFailures ? ["VERIFY"] : []),
  ];
  context.output.out(formatFittedTable(
    ["NAME", ...header],
    models.map((model, index) => [model.name, ...rows[index]]),
    { width: tableWidth(context.runtime) },
  ));
  const total = models.reduce((sum, model) => sum + model.size, 0);
  const free = await context.runtime.freeSpace(modelsDir).catch(() => undefined);
  const summary = `${countOf(models.length, "model")}, ${formatBytes(total)}${
    free === undefined ? "" : `; ${formatBytes(free)} free on the disk of ${modelsDir}`
  }`;
  for (const line of wrapWords(summary, proseWidth(context))) context.output.out(line);
  if (withFailures) {
    const note =
      "a model marked FAILED did not verify: rkllm-models verify says which file and how to repair it";
    for (const line of wrapWords(note, proseWidth(context))) context.output.note(line);
  }
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
    const text =
      `partial download: ${partial.repo}/${partial.file} (${done}; download again to resume)`;
    for (const line of wrapWords(text, proseWidth(context))) context.output.note(line);
  }
  for (const link of store.links) {
    const text =
      `left alone: ${link} is a symbolic link (rkllm-models never follows links inside the models directory)`;
    for (const line of wrapWords(text, proseWidth(context))) context.output.note(line);
  }
}

/**
 * The `list` command.
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
