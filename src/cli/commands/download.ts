/**
 * `download <owner/name> [file]`: fetch a model with its companion files and
 * vision encoders.
 *
 * @module
 */
import { ModelManagerError } from "../../errors.ts";
import { parseModelVariant } from "../../store/model_variant.ts";
import type {
  DownloadOptions,
  DownloadPlan,
  DownloadResult,
} from "../../manager/download_model.ts";
import { unclearFileError } from "../../manager/choose_model_file.ts";
import type { RepoVariants } from "../../manager/repo_variants.ts";
import { type DownloadEvent, retryEventOf } from "../../download/download_events.ts";
import type { ModelInfo } from "../../store/model_catalog.ts";
import {
  type Command,
  type CommandContext,
  HUB_GLOBALS,
  StopRequest,
  STORE_GLOBALS,
} from "../command.ts";
import { formatBytes, shellWord, tableWidth, widthOf, wrapWords } from "../format.ts";
import { quantOption, wholeNumber } from "../option_values.ts";
import { platformChoice } from "../platform_choice.ts";
import { resolveSetting } from "../../config/settings.ts";
import { ask, QuestionInterrupted } from "../prompt.ts";
import { VariantChoiceError, type VariantRow } from "../variants.ts";

/** What a command answers: its exit status, and the JSON document for `--json`. */
type CommandResult = Awaited<ReturnType<Command["run"]>>;

/** What to download: the file, the listing already read, and how to name it on an interruption. */
interface DownloadTarget {
  /** The file to download; `undefined` lets the manager choose (offline: from the store). */
  file?: string;
  /** The repository's listing, when it was read to choose the file. */
  listing?: RepoVariants;
  /** The branch chosen, for a variant kept on a branch. */
  revision?: string;
  /** The words that repeat the command on an interruption. */
  label: string;
}

/**
 * The file to download: the one given, else the variant the filters and the board leave,
 * else one picked on a terminal; without a terminal, the variants with their flags are
 * the error. `undefined` when the user quit the question.
 */
async function targetOf(
  context: CommandContext,
  asked: { repo: string; file?: string; options: DownloadOptions },
): Promise<DownloadTarget | undefined> {
  const { repo, file, options } = asked;
  const manager = context.manager();
  if (file !== undefined || manager.offline) return { file, label: [repo, file].join(" ").trim() };
  const listing = await manager.listVariants(repo, {
    ...options,
    signal: context.signal,
    // Retries of the listing read as a download's do, naming what is being fetched.
    onRetry: (event) => options.onProgress?.(retryEventOf(repo, event)),
  });
  if (listing.chosen) {
    const note = chipNote(listing, options);
    const width = tableWidth(context.runtime) - 1;
    for (const line of note ? wrapWords(note, width) : []) context.output.note(line);
    return { file: listing.chosen.file, listing, label: repo };
  }
  const onBranches = listing.variants.length === 0 && (listing.branches?.length ?? 0) > 0;
  if (listing.candidates.length < 2 && !onBranches) return { listing, label: repo };
  const variants = onBranches ? listing.branches! : listing.candidates;
  const offered = new Set(variants.map((row) => row.file));
  const message = onBranches
    ? `${listing.info.id} keeps its .rkllm files on branches, and the branch is not given`
    : unclearFileError(listing.info.id, {
      candidates: listing.files.filter((entry) => offered.has(entry.path)),
      filter: options,
    }).message;
  if (!context.interactive || context.json) {
    throw new VariantChoiceError(message, {
      hint: onBranches
        ? `run again with the flags shown, e.g. rkllm-models download ${repo} ${
          variants[0].flags ?? `${variants[0].file} --revision ${variants[0].revision}`
        }`
        : `run again with the flags shown, or give the file: rkllm-models download ${repo} ${
          variants[0].file
        }`,
      repo,
      variants,
      listing: variantLines(variants, {
        prefix: () => "  ",
        width: context.runtime.isTTY("stderr") ? tableWidth(context.runtime) : Infinity,
      }),
    });
  }
  const chosen = await pickInteractively(context, repo, variants);
  if (!chosen) return undefined;
  const label = `${repo} ${chosen.flags ?? chosen.file}`;
  // A branch's variant is listed anew at its branch: the listing read is the default branch's.
  if (chosen.revision !== undefined) {
    const flag = chosen.flags ? "" : ` --revision ${chosen.revision}`;
    return { file: chosen.file, revision: chosen.revision, label: label + flag };
  }
  return { file: chosen.file, listing, label };
}

/**
 * Which chip a download took, and why, when the repository holds files for several chips
 * and no chip was asked for: the board's, or the only one the other flags left.
 */
function chipNote(listing: RepoVariants, options: DownloadOptions): string | undefined {
  const chosen = listing.chosen;
  if (!chosen?.platform || options.platform) return undefined;
  const chips = new Set(
    listing.files.map((file) => parseModelVariant(file.path).platform).filter((chip) =>
      chip !== undefined
    ),
  );
  if (chips.size < 2) return undefined;
  const others = [...chips].filter((chip) => chip !== chosen.platform).join(", ");
  if (options.preferPlatform === chosen.platform) {
    return `chose the ${chosen.platform} variant, this board's chip (the repository also has ${others}; another with --platform)`;
  }
  const flags = options.quantization ? `--quant ${options.quantization}` : "the repository";
  const board = options.preferPlatform
    ? `this board's chip, ${options.preferPlatform}, has no such variant`
    : "no board chip was detected here";
  return `chose the ${chosen.platform} variant, the only one ${flags} leaves; ${board} (choose another with --platform ${
    others.replaceAll(", ", " or ")
  })`;
}

/**
 * Aligned lines `file  selecting flags  size`, with a prefix per line; when they do not
 * fit `width`, each file whole on its line and its flags and size on the next.
 */
function variantLines(
  variants: VariantRow[],
  layout: { prefix: (index: number) => string; width: number },
): string[] {
  const { prefix, width } = layout;
  // Folded, not spread: a listing may hold more variants than a call takes arguments.
  const fileWidth = variants.reduce((widest, variant) => Math.max(widest, variant.file.length), 0);
  // A variant that differs only by a suffix such as -16k shows it, so the choice is visible.
  const flags = variants.map((variant) =>
    `${variant.flags || "(give the file name)"}${
      variant.suffix ? `  suffix ${variant.suffix}` : ""
    }`
  );
  const flagsWidth = flags.reduce((widest, text) => Math.max(widest, text.length), 0);
  const sizeOf = (variant: VariantRow) =>
    variant.size === undefined ? "" : formatBytes(variant.size);
  const lines = variants.map((variant, index) =>
    `${prefix(index)}${variant.file.padEnd(fileWidth)}  ${flags[index].padEnd(flagsWidth)}  ${
      sizeOf(variant)
    }`.trimEnd()
  );
  if (lines.every((line) => widthOf(line) < width)) return lines;
  return variants.flatMap((variant, index) => {
    const head = prefix(index);
    const indent = " ".repeat(widthOf(head));
    return [`${head}${variant.file}`, `${indent}${flags[index]}  ${sizeOf(variant)}`.trimEnd()];
  });
}

async function pickInteractively(
  context: CommandContext,
  repo: string,
  variants: VariantRow[],
): Promise<VariantRow | undefined> {
  const { output } = context;
  output.err(`${repo} has ${variants.length} model files:`);
  const width = String(variants.length).length;
  const prefix = (index: number) => `  ${String(index + 1).padStart(width)}) `;
  for (const line of variantLines(variants, { prefix, width: tableWidth(context.runtime) })) {
    output.err(line);
  }
  for (;;) {
    const answer = (await ask(context, `Download which one? [1-${variants.length}, q to quit] `))
      ?.trim();
    // Quitting is an answer, not an error: nothing to report.
    if (answer === undefined || answer.toLowerCase() === "q") return undefined;
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

/**
 * Whether an error is the user's Ctrl-C during the download, which a person at a terminal
 * gets one line for; a Ctrl-C at the question is the question's own error.
 */
function isInterrupt(error: unknown, context: CommandContext): boolean {
  return !context.json && error instanceof ModelManagerError && error.code === "cancelled" &&
    !(error instanceof QuestionInterrupted) && context.signal.aborted;
}

/** The bytes each unfinished file holds on disk, as the progress events last told them. */
class KeptBytes {
  #files = new Map<string, number>();

  /** Takes one progress event into account. */
  see(event: DownloadEvent): void {
    if (event.event === "start") this.#files.set(event.file, event.resumedBytes);
    else if (event.event === "progress") this.#files.set(event.file, event.bytes);
    else if (event.event === "done") this.#files.delete(event.file);
  }

  /** `kept 120.0 MiB of model.rkllm`, or `nothing was kept yet`. */
  describe(): string {
    const kept = [...this.#files].filter(([, bytes]) => bytes > 0)
      .map(([file, bytes]) => `${formatBytes(bytes)} of ${file}`);
    return kept.length === 0 ? "nothing was kept yet" : `kept ${kept.join(", ")}`;
  }
}

/** One line: what was kept and the exact command that resumes, with the flags that chose the file. */
function interrupted(
  context: CommandContext,
  what: string,
  options: { kept: KeptBytes },
): { exitCode: number } {
  const flags = ["dir", "revision", "platform", "quant", "source", "endpoint"]
    .filter((name) => typeof context.values[name] === "string" && !what.includes(`--${name} `))
    .map((name) => `--${name} ${shellWord(String(context.values[name]))}`);
  const reason = context.signal.reason;
  const stoppedBy = reason instanceof StopRequest && reason.stopSignal === "SIGTERM"
    ? "terminated"
    : "interrupted";
  context.output.err(
    `${stoppedBy}: ${options.kept.describe()}; resume with: rkllm-models download ${
      [what, ...flags].join(" ")
    }`,
  );
  return { exitCode: 130 };
}

/** `owner/name/file.rkllm` as one argument, as `info` and `remove` take it (rkllama users type it). */
function splitRepoPath(positionals: string[]): [string | undefined, string | undefined] {
  const [first, second] = positionals;
  const parts = first?.split("/") ?? [];
  if (second !== undefined || parts.length < 3 || !/\.rkllm$/i.test(first!)) return [first, second];
  return [parts.slice(0, 2).join("/"), parts.slice(2).join("/")];
}

/** A file named outright whose name contradicts --platform or --quant: say so, do not ignore the flag. */
function checkFileAgainstFilters(
  file: string,
  filter: { platform?: string; quantization?: string },
): void {
  const variant = parseModelVariant(file);
  const conflicts = [
    filter.platform && variant.platform && variant.platform !== filter.platform
      ? `--platform ${filter.platform} (the file is for ${variant.platform})`
      : "",
    filter.quantization && variant.quantization && variant.quantization !== filter.quantization
      ? `--quant ${filter.quantization} (the file is ${variant.quantization})`
      : "",
  ].filter(Boolean);
  if (conflicts.length === 0) return;
  throw new ModelManagerError("usage", `conflicting ${conflicts.join(" and ")}: ${file}`, {
    hint: "give either the file or the flags that choose it, not both",
  });
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

/** The manager's download options, from the command line and what was read of it. */
function downloadOptions(
  context: CommandContext,
  read: {
    variant: Pick<DownloadOptions, "platform" | "preferPlatform" | "quantization">;
    /** `--connections` (or its setting), not yet checked. */
    connections: string | undefined;
    onProgress: (event: DownloadEvent) => void;
  },
): DownloadOptions & { signal?: AbortSignal } {
  const { variant, connections, onProgress } = read;
  return {
    revision: context.values.revision as string | undefined,
    ...variant,
    connections: connections === undefined
      ? undefined
      : wholeNumber(connections, "--connections", { min: 1, max: 64, fallback: 8 }),
    dryRun: context.values["dry-run"] === true,
    force: context.values.force === true,
    companionFiles: context.config.COMPANION_FILES,
    signal: context.signal,
    onProgress,
  };
}

/** A dry run's answer: the plan, printed unless --json. */
function reportPlan(
  context: CommandContext,
  dryRun: { plan: DownloadPlan; modelsDir: string },
): CommandResult {
  const { plan, modelsDir } = dryRun;
  if (!context.json) printPlan(context, plan, modelsDir);
  const totalBytes = plan.files.reduce((sum, planned) => sum + planned.size, 0);
  return { exitCode: 0, json: { ...plan, totalBytes, dryRun: true } };
}

/** A download's answer: where the model is and what came with it, printed unless --json. */
function reportDownload(context: CommandContext, result: DownloadResult): CommandResult {
  const { model, transferred } = result;
  if (context.json) return { exitCode: 0, json: model };
  // On a terminal too narrow for the line, the path goes below the name; pipes keep one line.
  const width = tableWidth(context.runtime);
  const size = formatBytes(model.size);
  const where = `${model.repo}/${model.file} (${size}) -> ${model.path}`;
  const oneLine = widthOf(where) < width;
  context.output.out(oneLine ? where : `${model.repo}/${model.file}\n-> ${model.path}`);
  const note = `${oneLine ? "" : `size ${size}; `}${
    transferred === 0 ? "already complete" : `${formatBytes(transferred)} transferred`
  }; revision ${model.revision}; technical files: ${model.technicalFiles.join(", ") || "none"}${
    companionNote(model)
  }`;
  for (const line of wrapWords(note, width - 1)) context.output.note(line);
  return { exitCode: 0, json: model };
}

/**
 * The `download` command.
 */
export const downloadCommand: Command = {
  name: "download",
  aliases: ["pull"],
  summary: "download a model (.rkllm) with its companion files and vision encoder",
  action: "download a model",
  usage: "download <owner/name> [file] [options]",
  maxArguments: 2,
  globals: [...new Set([...STORE_GLOBALS, ...HUB_GLOBALS, "source", "progress"])],
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
      description: "branch, tag or commit (default: the default branch)",
      valueName: "REV",
    },
    platform: {
      type: "string",
      description:
        "choose the variant for this chip (rk3588, rk3576, rk3562, rv1126b; any: ignore the board's chip)",
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
    const [repo, file] = splitRepoPath(context.positionals);
    const quantization = quantOption(context.values.quant);
    if (!repo) {
      throw new ModelManagerError("usage", `${downloadCommand.action}: the repo id is missing`, {
        hint: `give it as owner/name, e.g. rkllm-models download ${
          context.config.EXAMPLE_MODEL_FILES[0]?.repo ?? "owner/name"
        }`,
      });
    }
    const { platform, preferPlatform } = await platformChoice(context);
    if (file !== undefined) checkFileAgainstFilters(file, { platform, quantization });
    const connections = resolveSetting(context.runtime, "connections", {
      option: context.values.connections as string | undefined,
      envName: "RKLLM_CONNECTIONS",
      userConfig: context.userConfig(),
    });
    const reporter = context.progress();
    const kept = new KeptBytes();
    const options = downloadOptions(context, {
      variant: { platform, preferPlatform, quantization },
      connections,
      onProgress: (event: DownloadEvent) => {
        kept.see(event);
        reporter.handle(event);
      },
    });
    const manager = context.manager();
    let result;
    let label = [repo, file].join(" ").trim();
    try {
      const target = await targetOf(context, { repo, file, options });
      if (!target) return { exitCode: 130 };
      label = target.label;
      result = await manager.downloadWithPlan(repo, target.file, {
        ...options,
        revision: target.revision ?? options.revision,
        listing: target.listing,
      });
    } catch (error) {
      if (!isInterrupt(error, context)) throw error;
      // The bars stay as they were; the line that says how to resume goes below them.
      reporter.finish();
      return interrupted(context, label, { kept });
    } finally {
      reporter.finish();
    }
    if (options.dryRun) {
      return reportPlan(context, { plan: result.plan, modelsDir: manager.modelsDir });
    }
    return reportDownload(context, result);
  },
};
