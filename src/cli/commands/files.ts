/**
 * `files <owner/name>`: the `.rkllm` variants of a repository.
 *
 * @module
 */
import { ModelManagerError } from "../../errors.ts";
import { parseModelVariant } from "../../store/model_variant.ts";
import type { RepoFile } from "../../hub/list_files.ts";
import { companionsOfModels } from "../../store/repo_folders.ts";
import { isEncoderFileName, TECHNICAL_FILES } from "../../store/store_layout.ts";
import { type Command, type CommandContext, HUB_GLOBALS } from "../command.ts";
import { formatBytes, formatFittedTable, tableWidth, widthOf, wrapList } from "../format.ts";
import { quantOption } from "../option_values.ts";
import { platformChoice } from "../platform_choice.ts";
import type { VariantRow } from "../variants.ts";

/**
 * The variants as a table laid out for `width`: the whole file name (chip,
 * quantisation and the rest of the variant are in it, so no column repeats them),
 * its size, its vision encoder when some variant has one, the toolkit version when
 * the variants' differ, whether it fits the board's memory on a board, and the
 * flags that select it.
 */
function variantTable(
  variants: VariantRow[],
  show: { encoders: boolean; width: number },
): string {
  // One version for all is one line below the table (see toolkitLine); a column only when they differ.
  const toolkit = new Set(variants.map((variant) => variant.toolkit?.version)).size > 1;
  const fits = variants.some((variant) => variant.fitsMemory !== undefined);
  const header = ["FILE", "SIZE"];
  if (show.encoders) header.push("ENCODER");
  if (toolkit) header.push("TOOLKIT");
  if (fits) header.push("FITS RAM");
  header.push("SELECT WITH");
  return formatFittedTable(
    header,
    variants.map((variant) => [
      variant.file,
      formatBytes(variant.size ?? 0),
      ...(show.encoders ? [variant.encoders?.join(", ") || "-"] : []),
      ...(toolkit ? [variant.toolkit?.version ?? "-"] : []),
      ...(fits ? [variant.fitsMemory === false ? "no" : "yes"] : []),
      variant.flags === "" ? "(the only one)" : variant.flags ?? "(the file name)",
    ]),
    { width: show.width },
  );
}

/** The variants' table: those on other branches when the default branch has none. Answers the rows shown. */
function printVariants(
  context: CommandContext,
  listed: { variants: VariantRow[]; branches?: VariantRow[]; encoders: boolean; width: number },
): VariantRow[] {
  const { branches, encoders, width } = listed;
  const shown = branches?.length ? branches : listed.variants;
  if (branches?.length) {
    context.output.out("no .rkllm files on the default branch; on other branches:");
  }
  if (shown.length === 0) context.output.out("no .rkllm files");
  else context.output.out(variantTable(shown, { encoders, width }));
  return shown;
}

/** Every vision encoder of the listing, with its size and chip. */
function encoderList(files: RepoFile[]): { file: string; size: number; platform?: string }[] {
  return files.filter((file) => isEncoderFileName(file.path)).map((file) => ({
    file: file.path,
    size: file.size,
    platform: parseModelVariant(file.path).platform,
  }));
}

/** `toolkit: 1.1.4 (from the repository name)` when every variant states the same version. */
function toolkitLine(variants: VariantRow[]): string | undefined {
  const [first] = variants;
  const same = variants.every((variant) => variant.toolkit?.version === first?.toolkit?.version);
  return same && first?.toolkit
    ? `toolkit: ${first.toolkit.version} (from the ${first.toolkit.source})`
    : undefined;
}

/** The technical, tokenizer and vision encoder files, each list wrapped to `width`. */
function printFileLists(
  context: CommandContext,
  files: {
    width: number;
    technicalFiles: string[];
    companionFiles: string[];
    encoders: { file: string; size: number; platform?: string }[];
  },
) {
  const list = (label: string, items: string[]) =>
    context.output.out(wrapList(label, items, { width: files.width - 1 }));
  list("technical files", files.technicalFiles.length > 0 ? files.technicalFiles : ["none"]);
  const tokenizerFiles = files.companionFiles.filter((name) =>
    !files.technicalFiles.includes(name)
  );
  if (tokenizerFiles.length > 0) list("tokenizer files", tokenizerFiles);
  if (files.encoders.length > 0) {
    list(
      "vision encoders",
      files.encoders.map((encoder) =>
        `${encoder.file} (${encoder.platform ?? "any chip"}, ${formatBytes(encoder.size)})`
      ),
    );
  }
}

/**
 * The `files` command.
 */
export const filesCommand: Command = {
  name: "files",
  summary: "list a repository's .rkllm variants, companion files and vision encoders on the Hub",
  action: "list a repository's files",
  usage: "files <owner/name> [options]",
  maxArguments: 1,
  globals: [...HUB_GLOBALS, "source"],
  options: {
    revision: {
      type: "string",
      description: "branch, tag or commit (default: the default branch)",
      valueName: "REV",
    },
    platform: {
      type: "string",
      description: "only variants for this chip (any: ignore the board's chip)",
      valueName: "CHIP",
    },
    quant: { type: "string", description: "only variants with this quantisation", valueName: "Q" },
  },
  examples: (config) => [
    `rkllm-models files ${config.EXAMPLE_MODEL_FILES[0]?.repo ?? "owner/name"}`,
    `rkllm-models files ${
      config.EXAMPLE_MODEL_FILES[1]?.repo ?? "owner/name"
    } --platform rk3588 --json`,
  ],
  async run(context) {
    const repo = context.positionals[0];
    if (!repo) {
      throw new ModelManagerError("usage", `${filesCommand.action}: the repo id is missing`, {
        hint: `give it as owner/name, e.g. rkllm-models files ${
          context.config.EXAMPLE_MODEL_FILES[0]?.repo ?? "owner/name"
        }`,
      });
    }
    const { platform, preferPlatform } = await platformChoice(context);
    const filter = { platform, quantization: quantOption(context.values.quant) };
    const { info, files, variants, branches } = await context.manager().listVariants(repo, {
      ...filter,
      revision: context.values.revision as string | undefined,
      signal: context.signal,
    });
    // Each variant's own companions: in a monorepo, every model folder has its config.json.
    const companionsOf = (names: readonly string[]) =>
      companionsOfModels(variants.map((variant) => variant.file), {
        present: new Set(files.map((file) => file.path)),
        names,
      });
    const technicalFiles = companionsOf(TECHNICAL_FILES);
    const companionFiles = companionsOf(context.config.COMPANION_FILES);
    const encoders = encoderList(files);
    if (context.json) {
      return {
        exitCode: 0,
        json: {
          repo: info.id,
          revision: info.sha,
          ...(preferPlatform ? { board: preferPlatform } : {}),
          variants,
          ...(branches ? { branches } : {}),
          technicalFiles,
          companionFiles,
          encoders,
        },
      };
    }
    const width = tableWidth(context.runtime);
    const heading = `${info.id} at ${info.sha}`;
    context.output.out(
      widthOf(heading) < width ? heading : `${info.id}\nat ${info.sha}`,
    );
    if (preferPlatform) context.output.out(`this board: ${preferPlatform}`);
    const shown = printVariants(context, {
      variants,
      branches,
      encoders: encoders.length > 0,
      width,
    });
    printFileLists(context, { width, technicalFiles, companionFiles, encoders });
    const toolkit = toolkitLine(shown);
    if (toolkit) context.output.out(toolkit);
    return { exitCode: 0 };
  },
};
