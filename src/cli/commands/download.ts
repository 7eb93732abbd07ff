/**
 * `download <owner/name> [file]`: fetch a model with its companion files and
 * vision encoders.
 *
 * @module
 */
import { ModelManagerError } from "../../errors.ts";
import type { DownloadPlan } from "../../manager/download_model.ts";
import type { ModelInfo } from "../../store/model_catalog.ts";
import type { Command, CommandContext } from "../command.ts";
import { formatBytes } from "../format.ts";
import { platformOption, quantOption, wholeNumber } from "../option_values.ts";
import { ask } from "../prompt.ts";
import { describeVariants, type VariantRow } from "../variants.ts";

/** The choices of a "several `.rkllm` files" error, or `undefined` for any other error. */
function choicesOf(error: unknown): string[] | undefined {
  if (!(error instanceof ModelManagerError) || error.code !== "usage") return undefined;
  const choices = error.details.choices;
  return Array.isArray(choices) && choices.length > 1 ? choices as string[] : undefined;
}

/** The variants with sizes and selecting flags; without them when the listing fails. */
async function variantsOf(
  context: CommandContext,
  repo: string,
  choices: string[],
  revision: string | undefined,
): Promise<VariantRow[]> {
  try {
    const { files } = await context.manager().listRemoteFiles(repo, {
      revision,
      signal: context.signal,
    });
    return describeVariants(choices, files);
  } catch {
    return describeVariants(choices);
  }
}

/** Aligned lines `file  selecting flags  size`, with a prefix per line. */
function variantLines(variants: VariantRow[], prefix: (index: number) => string): string[] {
  const fileWidth = Math.max(...variants.map((variant) => variant.file.length));
  // A variant that differs only by a suffix such as -16k shows it, so the choice is visible.
  const flags = variants.map((variant) =>
    `${variant.flags || "(give the file name)"}${
      variant.suffix ? `  suffix ${variant.suffix}` : ""
    }`
  );
  const flagsWidth = Math.max(...flags.map((text) => text.length));
  return variants.map((variant, index) =>
    `${prefix(index)}${variant.file.padEnd(fileWidth)}  ${flags[index].padEnd(flagsWidth)}  ${
      variant.size === undefined ? "" : formatBytes(variant.size)
    }`.trimEnd()
  );
}

async function pickInteractively(
  context: CommandContext,
  repo: string,
  variants: VariantRow[],
): Promise<VariantRow> {
  const { output } = context;
  output.err(`${repo} has ${variants.length} model files:`);
  const width = String(variants.length).length;
  for (
    const line of variantLines(variants, (index) => `  ${String(index + 1).padStart(width)}) `)
  ) {
    output.err(line);
  }
  for (;;) {
    const answer = (await ask(context, `Download which one? [1-${variants.length}, q to quit] `))
      ?.trim();
    if (answer === undefined || answer.toLowerCase() === "q") {
      throw new ModelManagerError("usage", `download ${repo}: no model file was chosen`, {
        hint: `give the file as the second argument, e.g. rkllm-models download ${repo} ${
          variants[0].file
        }`,
      });
    }
    const index = Number(answer);
    if (Number.isInteger(index) && index >= 1 && index <= variants.length) {
      const chosen = variants[index - 1];
      output.note(
        `next time, skip this question with: rkllm-models download ${repo} ${
          chosen.flags ?? chosen.file
        }`,
      );
      return chosen;
    }
    output.err(`"${answer}" is not a number from 1 to ${variants.length}`);
  }
}

function printPlan(context: CommandContext, plan: DownloadPlan, modelsDir: string): void {
  const { output } = context;
  output.out(`${plan.repo} at ${plan.revision}`);
  const sizeWidth = Math.max(...plan.files.map((file) => formatBytes(file.size).length));
  for (const planned of plan.files) {
    const state = planned.present
      ? "present"
      : planned.bytesNeeded < planned.size
      ? "resume"
      : "download";
    const role = planned.kind === "encoder" ? "  (vision encoder)" : "";
    output.out(
      `  ${state.padEnd(8)}  ${
        formatBytes(planned.size).padStart(sizeWidth)
      }  ${planned.file}${role}`,
    );
  }
  const total = plan.files.reduce((sum, file) => sum + file.size, 0);
  const free = plan.freeBytes === undefined ? "unknown" : formatBytes(plan.freeBytes);
  output.out(
    `total ${formatBytes(total)} in ${plan.files.length} files; still needed ${
      formatBytes(plan.bytesNeeded)
    }; free in ${modelsDir}: ${free}`,
  );
  if (plan.freeBytes !== undefined && plan.bytesNeeded > plan.freeBytes) {
    output.out(
      `not enough free space: the download would fail (free some, or choose another --dir)`,
    );
  }
  output.out("dry run: nothing was written");
}

/** The tokenizer files and vision encoders that came with a model, for the closing note. */
function companionNote(model: ModelInfo): string {
  const tokenizerFiles = model.companionFiles.filter((file) =>
    !model.technicalFiles.includes(file)
  );
  return [
    tokenizerFiles.length === 0 ? "" : `; tokenizer files: ${tokenizerFiles.join(", ")}`,
    model.encoders.length === 0 ? "" : `; vision encoder: ${model.encoders.join(", ")}`,
  ].join("");
}

/**
 * The `download` command.
 *
 * @example
 * ```ts
 * import { downloadCommand } from "./download.ts";
 * console.log(downloadCommand.usage);
 * ```
 */
export const downloadCommand: Command = {
  name: "download",
  aliases: ["pull"],
  summary: "download a model (.rkllm) with its companion files and vision encoder",
  action: "download a model",
  usage: "download <owner/name> [file] [options]",
  maxArguments: 2,
  description:
    "Downloads a .rkllm file into <dir>/<owner>/<name>/ with the companion files the repository holds: the\n" +
    "technical files (config.json, generation_config.json, meta.json, tokenizer_config.json, tokenizer.json)\n" +
    "and tokenizer files (chat_template.jinja, special_tokens_map.json, …; COMPANION_FILES in models.json).\n" +
    "A vision-language model also gets its .rknn vision encoder(s) for the same chip. Interrupted downloads\n" +
    "resume when the same command runs again; complete files are not downloaded again.\n" +
    "Without a file, the repository must hold one .rkllm file, or --platform/--quant must leave one. Otherwise,\n" +
    "on a terminal you pick from a numbered list; in scripts it exits with 2 and lists the variants with the\n" +
    "flags that select each.",
  options: {
    revision: {
      type: "string",
      description: "branch, tag or commit to download (default: main)",
      valueName: "REV",
    },
    platform: {
      type: "string",
      description: "choose the variant for this chip (rk3588, rk3576, rk3562, rv1126b)",
      valueName: "CHIP",
    },
    quant: {
      type: "string",
      description: "choose the variant with this quantisation (w8a8, w4a16, w4a16_g128, …)",
      valueName: "Q",
    },
    connections: {
      type: "string",
      description: "parallel connections for files of 64 MiB or more (1-64, default 8)",
      valueName: "N",
    },
    "dry-run": {
      type: "boolean",
      description: "show the files, sizes, bytes still needed and free space; write nothing",
    },
    force: { type: "boolean", description: "download again even if the files are complete" },
  },
  examples: (config) => {
    const [first, second] = config.EXAMPLE_MODEL_FILES;
    return [
      `rkllm-models download ${first?.repo ?? "owner/name"} ${first?.file ?? ""}`.trimEnd(),
      `rkllm-models download ${
        (second ?? first)?.repo ?? "owner/name"
      } --platform rk3588 --dry-run`,
    ];
  },
  async run(context) {
    const [repo, file] = context.positionals;
    if (!repo) {
      throw new ModelManagerError("usage", `${downloadCommand.action}: the repo id is missing`, {
        hint: `give it as owner/name, e.g. rkllm-models download ${
          context.config.EXAMPLE_MODEL_FILES[0]?.repo ?? "owner/name"
        }`,
      });
    }
    const platform = platformOption(context.values.platform);
    const quantization = quantOption(context.values.quant);
    const reporter = context.progress();
    const options = {
      revision: context.values.revision as string | undefined,
      platform,
      quantization,
      connections: context.values.connections === undefined
        ? undefined
        : wholeNumber(context.values.connections, "--connections", 1, 64, 8),
      dryRun: context.values["dry-run"] === true,
      force: context.values.force === true,
      companionFiles: context.config.COMPANION_FILES,
      signal: context.signal,
      onProgress: (event: Parameters<typeof reporter.handle>[0]) => reporter.handle(event),
    };
    const manager = context.manager();
    let result;
    try {
      result = await manager.download(repo, file, options);
    } catch (error) {
      const choices = choicesOf(error);
      if (!choices) throw error;
      const variants = await variantsOf(context, repo, choices, options.revision);
      if (!context.interactive || context.json) {
        throw new ModelManagerError(
          "usage",
          (error as ModelManagerError).message,
          {
            hint:
              `run again with the flags shown, or give the file: rkllm-models download ${repo} ${
                variants[0].file
              }`,
            details: { variants, listing: variantLines(variants, () => "  ") },
          },
        );
      }
      const chosen = await pickInteractively(context, repo, variants);
      result = await manager.download(repo, chosen.file, options);
    } finally {
      reporter.finish();
    }
    const { model, plan, transferred } = result;
    if (options.dryRun) {
      if (!context.json) printPlan(context, plan, manager.modelsDir);
      const totalBytes = plan.files.reduce((sum, planned) => sum + planned.size, 0);
      return { exitCode: 0, json: { ...plan, totalBytes, dryRun: true } };
    }
    if (!context.json) {
      context.output.out(
        `${model.repo}/${model.file} (${formatBytes(model.size)}) -> ${model.path}`,
      );
      context.output.note(
        `${
          transferred === 0 ? "already complete" : `${formatBytes(transferred)} transferred`
        }; revision ${model.revision}; technical files: ${
          model.technicalFiles.join(", ") || "none"
        }${companionNote(model)}`,
      );
    }
    return { exitCode: 0, json: model };
  },
};
