/**
 * `download <owner/name> [file]`: fetch a model and its technical files.
 *
 * @module
 */
import { ModelManagerError } from "../../errors.ts";
import { modelFilesOf, type VariantFilter } from "../../manager/choose_model_file.ts";
import { parseModelVariant } from "../../store/model_variant.ts";
import type { Command, CommandContext } from "../command.ts";
import { wholeNumber } from "../main.ts";
import { formatBytes } from "../format.ts";

/** The flags that select one variant among several, for the error listing the choices. */
function selectorFor(file: string, choices: string[]): string {
  const { platform, quantization } = parseModelVariant(file);
  const filters: VariantFilter[] = [{ platform }, { quantization }, { platform, quantization }];
  const listing = choices.map((path) => ({ path, size: 0, lfs: true }));
  for (const filter of filters) {
    if (!Object.values(filter).every(Boolean)) continue;
    const left = modelFilesOf(listing, filter);
    if (left.length === 1 && left[0].path === file) {
      return [
        filter.platform && `--platform ${filter.platform}`,
        filter.quantization && `--quant ${filter.quantization}`,
      ]
        .filter(Boolean).join(" ");
    }
  }
  return "(give the file name)";
}

async function pickInteractively(context: CommandContext, choices: string[]): Promise<string> {
  context.output.err("Several model files are available:");
  choices.forEach((choice, index) => context.output.err(`  ${index + 1}) ${choice}`));
  for (;;) {
    context.output.errRaw(`Choose 1-${choices.length} (or q to quit): `);
    await context.output.flush();
    const answer = (await context.runtime.readLine())?.trim();
    if (answer === undefined || answer.toLowerCase() === "q") {
      throw new ModelManagerError("usage", "choose a model file: no choice was made", {
        hint: "give the file as the second argument",
      });
    }
    const index = Number(answer);
    if (Number.isInteger(index) && index >= 1 && index <= choices.length) return choices[index - 1];
    context.output.err(`"${answer}" is not a number from 1 to ${choices.length}`);
  }
}

/** The `download` command. */
export const downloadCommand: Command = {
  name: "download",
  aliases: ["pull"],
  summary: "download a model (.rkllm) and its technical files",
  usage: "download <owner/name> [file] [options]",
  description:
    "Downloads a .rkllm file and the repository's technical files (config.json, generation_config.json, meta.json,\n" +
    "tokenizer_config.json, tokenizer.json) into <dir>/<owner>/<name>/. Interrupted downloads resume when the\n" +
    "same command runs again. Without a file, the repository must hold one .rkllm file, or one left by\n" +
    "--platform/--quant; on a terminal you may pick from a list.",
  options: {
    revision: {
      type: "string",
      description: "branch, tag or commit to download (default: main)",
      valueName: "REV",
    },
    platform: {
      type: "string",
      description: "choose the variant for this chip (rk3588, rk3576, …)",
      valueName: "CHIP",
    },
    quant: {
      type: "string",
      description: "choose the variant with this quantisation (w8a8, w4a16, …)",
      valueName: "Q",
    },
    connections: {
      type: "string",
      description: "parallel connections for large files (default 8)",
      valueName: "N",
    },
    "dry-run": {
      type: "boolean",
      description: "show what would be downloaded and the space needed; write nothing",
    },
    force: { type: "boolean", description: "download again even if the files are complete" },
  },
  examples: (config) => {
    const [first, second] = config.EXAMPLE_MODEL_FILES;
    return [
      `rkllm-models download ${first?.repo} ${first?.file}`,
      `rkllm-models download ${(second ?? first)?.repo} --platform rk3588 --dry-run`,
    ];
  },
  async run(context) {
    const [repo, file, ...extra] = context.positionals;
    if (!repo) {
      throw new ModelManagerError("usage", "download: the repo id is missing", {
        hint: `give it as owner/name, e.g. rkllm-models download ${
          context.config.EXAMPLE_MODEL_FILES[0]?.repo ?? "owner/name"
        }`,
      });
    }
    if (extra.length) {
      throw new ModelManagerError("usage", `download: unexpected argument "${extra[0]}"`, {
        hint: "give at most a repo id and one file name",
      });
    }
    const reporter = context.progress();
    const options = {
      revision: context.values.revision as string | undefined,
      platform: context.values.platform as string | undefined,
      quantization: context.values.quant as string | undefined,
      connections: context.values.connections === undefined
        ? undefined
        : wholeNumber(context.values.connections, "--connections", 1, 64, 8),
      dryRun: context.values["dry-run"] === true,
      force: context.values.force === true,
      signal: context.signal,
      onProgress: (event: Parameters<typeof reporter.handle>[0]) => reporter.handle(event),
    };
    const manager = context.manager();
    let result;
    try {
      result = await manager.download(repo, file, options);
    } catch (error) {
      const choices = error instanceof ModelManagerError && error.code === "usage"
        ? error.details.choices as string[] | undefined
        : undefined;
      if (!choices) throw error;
      if (context.interactive && !context.json) {
        result = await manager.download(repo, await pickInteractively(context, choices), options);
      } else {
        const lines = choices.map((choice) => `  ${choice}  ${selectorFor(choice, choices)}`);
        throw new ModelManagerError(
          "usage",
          `${(error as ModelManagerError).message}:\n${lines.join("\n")}`,
          {
            hint: `add one of the flags shown, or give the file: rkllm-models download ${repo} ${
              choices[0]
            }`,
            details: { choices },
          },
        );
      }
    } finally {
      reporter.finish();
    }
    const { model, plan, transferred } = result;
    if (options.dryRun) {
      if (!context.json) {
        context.output.out(`${plan.repo} at ${plan.revision}`);
        for (const planned of plan.files) {
          const state = planned.present
            ? "present"
            : planned.bytesNeeded < planned.size
            ? "resume"
            : "download";
          context.output.out(
            `  ${state.padEnd(8)}  ${formatBytes(planned.size).padStart(10)}  ${planned.file}`,
          );
        }
        context.output.out(
          `bytes needed: ${formatBytes(plan.bytesNeeded)}; free: ${
            plan.freeBytes === undefined ? "unknown" : formatBytes(plan.freeBytes)
          }`,
        );
        context.output.out(`nothing was written (dry run)`);
      }
      return { exitCode: 0, json: plan };
    }
    if (!context.json) {
      context.output.out(
        `${model.repo}/${model.file} (${formatBytes(model.size)}) -> ${model.path}`,
      );
      context.output.err(
        `revision ${model.revision}; ${formatBytes(transferred)} transferred; technical files: ${
          model.technicalFiles.join(", ") || "none"
        }`,
      );
    }
    return { exitCode: 0, json: model };
  },
};
