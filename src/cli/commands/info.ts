/**
 * `info <query>`: everything known about one local model.
 *
 * @module
 */
import { ModelManagerError } from "../../errors.ts";
import type { ModelInfo } from "../../store/model_catalog.ts";
import { isJsonObject, readJsonFile } from "../../store/json_file.ts";
import { requireModel } from "../../store/model_query.ts";
import { placeInRepo } from "../../store/safe_path.ts";
import { storedToolkitVersion } from "../../store/stored_toolkit.ts";
import type { Runtime } from "../../runtime/runtime.ts";
import { type Command, type CommandContext, STORE_GLOBALS } from "../command.ts";
import type { ModelVerification } from "../../manager/verify_models.ts";
import { formatBytes } from "../format.ts";

/** Highlights of a model's `config.json`, when it has one. */
async function configHighlights(
  runtime: Runtime,
  model: ModelInfo,
): Promise<Record<string, unknown> | undefined> {
  // The model's own config.json: in a monorepo, the one of its folder.
  const file = model.technicalFiles.find((path) => path.split("/").pop() === "config.json") ??
    "config.json";
  // Read inside the store: a config.json that links elsewhere tells nothing about the model.
  const read = await readJsonFile(runtime, placeInRepo(model.dir, file), {
    check: (value) => isJsonObject(value) ? undefined : "config.json is not an object",
  });
  if (read.status !== "ok") return undefined;
  const config = read.value as Record<string, unknown>;
  const contextLength = config.max_position_embeddings ?? config.max_sequence_length ??
    config.seq_length ??
    config.n_positions ?? config.max_context_len;
  return {
    model_type: config.model_type,
    architectures: config.architectures,
    context_length: contextLength,
    vocab_size: config.vocab_size,
  };
}

/** The companion files that are not technical files (`chat_template.jinja`, `vocab.json`, …). */
function tokenizerFilesOf(model: ModelInfo): string[] {
  return model.companionFiles.filter((file) => !model.technicalFiles.includes(file));
}

/** What `info` shows of one model. */
interface ModelReport {
  model: ModelInfo;
  config?: Record<string, unknown>;
  /** Absent with --no-verify. */
  verification?: ModelVerification;
}

/** The `verified:` line: skipped, yes, by size only, or what failed. */
function verifiedText(verification: ModelVerification | undefined): string {
  return verification === undefined
    ? "skipped"
    : verification.ok && verification.sizeOnly.length > 0
    ? `checked by size only (the Hub stated no hash for ${verification.sizeOnly.join(", ")})`
    : verification.ok
    ? "yes"
    : `no (${
      verification.files.filter((file) => file.status !== "ok").map((file) =>
        `${file.file}: ${file.status}`
      ).join("; ")
    })`;
}

/** One `label: value` line for each thing known about the model. */
function printInfo(context: CommandContext, report: ModelReport): void {
  const { model, config, verification } = report;
  const rows: [string, string | undefined][] = [
    ["name", model.name],
    ["repo", model.repo],
    ["file", model.file],
    ["path", model.path],
    ["size", `${formatBytes(model.size)} (${model.size} bytes)`],
    ["revision", model.revision ?? "unknown (not downloaded by rkllm-models)"],
    ["sha256", model.sha256],
    ["downloaded", model.downloadedAt],
    ["base model", model.baseModel],
    ["platform", model.platform],
    ["quantization", model.quantization],
    ["optimization", model.optimization?.toString()],
    ["hybrid ratio", model.hybridRatio?.toString()],
    ["toolkit", model.toolkit && `${model.toolkit.version} (from the ${model.toolkit.source})`],
    ["technical files", model.technicalFiles.join(", ") || "none"],
    ["tokenizer files", tokenizerFilesOf(model).join(", ") || undefined],
    ["vision encoder", model.encoders.join(", ") || undefined],
    ["model type", config?.model_type as string | undefined],
    ["context length", config?.context_length?.toString()],
    ["verified", verifiedText(verification)],
  ];
  for (const [label, value] of rows) {
    if (value !== undefined) context.output.out(`${`${label}:`.padEnd(17)}${value}`);
  }
}

/**
 * The `info` command.
 */
export const infoCommand: Command = {
  name: "info",
  aliases: ["show"],
  summary: "show everything known about a local model, and whether it verifies",
  action: "show a model",
  usage: "info <query> [options]",
  maxArguments: 1,
  globals: STORE_GLOBALS,
  description: "The query is an exact model name, owner/name, or a unique part of a name.",
  options: {
    "no-verify": {
      type: "boolean",
      description: "skip hashing the files (faster on large models)",
    },
  },
  examples: (config) => {
    const first = config.EXAMPLE_MODEL_FILES[0];
    return [
      `rkllm-models info ${first?.file.replace(/\.rkllm$/, "") ?? "model-name"}`,
      `rkllm-models info ${first?.repo ?? "owner/name"} --json`,
    ];
  },
  async run(context) {
    const query = context.positionals[0];
    if (!query) {
      throw new ModelManagerError("usage", `${infoCommand.action}: the model query is missing`, {
        hint: "give a model name or part of one (see: rkllm-models list)",
      });
    }
    const manager = context.manager();
    const found = requireModel(await manager.listModels(), query);
    const toolkit = await storedToolkitVersion(context.runtime, found);
    const model = toolkit ? { ...found, toolkit } : found;
    const config = await configHighlights(context.runtime, model);
    const verification = context.values["no-verify"]
      ? undefined
      : (await manager.verifyModel(`${model.repo}/${model.file}`))[0];
    // A file the Hub stated no hash for is checked by size only: that is not "verified".
    const verified = verification
      ? verification.ok && verification.sizeOnly.length === 0
      : undefined;
    if (context.json) {
      return {
        exitCode: 0,
        json: {
          ...model,
          config,
          verified,
          checkedBySizeOnly: verification?.sizeOnly,
          verification: verification?.files,
        },
      };
    }
    printInfo(context, { model, config, verification });
    return { exitCode: 0 };
  },
};
