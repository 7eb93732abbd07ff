/**
 * `configs/models.json`: the repositories suggested to users, the example
 * files quoted in help texts and error hints, and the companion files that a
 * download brings beside a `.rkllm` file.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { ModelManagerError } from "../errors.ts";
import { isSafeRepoPath } from "../hub/repo_id.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { isJsonObject, readJsonFile } from "../store/json_file.ts";
import { isEncoderFileName, isModelFileName } from "../store/store_layout.ts";

/** A repository suggested to users who do not know what to download. */
export interface RepositorySuggestion {
  /** `owner/name` on the Hub. */
  repo: string;
  /** One line saying what it is. */
  description: string;
  /** Where it is published, when not on Hugging Face (`--source modelscope`). */
  source?: "huggingface" | "modelscope";
}

/** A real `.rkllm` file, quoted in help and hints. */
export interface ExampleModelFile {
  /** `owner/name` on the Hub. */
  repo: string;
  /** The `.rkllm` file name in that repository. */
  file: string;
}

/** The parsed contents of `configs/models.json`. */
export interface ModelsConfig {
  /** Repositories shown by `search` without text. */
  REPOSITORY_SUGGESTIONS: RepositorySuggestion[];
  /** Example files quoted in help texts and error hints. */
  EXAMPLE_MODEL_FILES: ExampleModelFile[];
  /**
   * The files a download brings beside the `.rkllm` file when the repository holds them:
   * technical files (`config.json`, …) and tokenizer companions (`chat_template.jinja`, …).
   * A config without this list keeps the shipped one.
   */
  COMPANION_FILES: string[];
}

/**
 * The environment variable that points at another `models.json`.
 */
export const MODELS_CONFIG_ENV = "RKLLM_MODELS_CONFIG";

let embeddedConfig: unknown;

/**
 * Makes a config that was bundled into a standalone binary the default, so the
 * binary needs no file beside it.
 */
export function setEmbeddedModelsConfig(config: unknown): void {
  embeddedConfig = config;
}

/** Where the `models.json` that ships beside the sources is: a `file:` URL, or `https:` on JSR. */
const SHIPPED_CONFIG_URL = new URL("../../configs/models.json", import.meta.url);

/**
 * The path of the `models.json` that ships beside the sources; undefined when the
 * sources are not local files (run from `jsr:` or another URL).
 */
export function defaultModelsConfigPath(): string | undefined {
  return SHIPPED_CONFIG_URL.protocol === "file:" ? fileURLToPath(SHIPPED_CONFIG_URL) : undefined;
}

/**
 * The shipped config as a JSON module, for sources that are not local files: the runtime
 * fetched and cached it with the code (a string literal, so `deno publish` and bundlers see it).
 */
async function importShippedConfig(): Promise<unknown> {
  try {
    const module = await import("../../configs/models.json", { with: { type: "json" } });
    return module.default;
  } catch (error) {
    throw new ModelManagerError(
      "config",
      `load the models config from ${SHIPPED_CONFIG_URL.href}: ${describe(error)}`,
      {
        hint: `set ${MODELS_CONFIG_ENV} to the path of a models.json`,
        cause: error,
      },
    );
  }
}

/**
 * Loads and validates the models config: the file named by `RKLLM_MODELS_CONFIG`,
 * else the embedded copy (standalone binary), else `configs/models.json`.
 * A missing or malformed file is a `config` error.
 */
export async function loadModelsConfig(runtime: Runtime): Promise<ModelsConfig> {
  const override = runtime.env(MODELS_CONFIG_ENV);
  if (!override) return completed(await readDefaultConfig(runtime));
  const config = await readConfigFile(runtime, {
    path: override,
    missingHint: `point ${MODELS_CONFIG_ENV} at an existing models.json, or unset it`,
  });
  if (config.COMPANION_FILES !== undefined) return completed(config);
  // An override written before COMPANION_FILES existed keeps the shipped list.
  const shipped = completed(await readDefaultConfig(runtime));
  return { ...config, COMPANION_FILES: shipped.COMPANION_FILES };
}

/** A validated config whose `COMPANION_FILES` may still be missing. */
type PartialModelsConfig = Omit<ModelsConfig, "COMPANION_FILES"> & { COMPANION_FILES?: string[] };

function completed(config: PartialModelsConfig): ModelsConfig {
  if (config.COMPANION_FILES !== undefined) return config as ModelsConfig;
  throw new ModelManagerError("config", "invalid models config: COMPANION_FILES is missing", {
    hint:
      'add "COMPANION_FILES": ["config.json", …] to the models config, or reinstall rkllm-models',
  });
}

/** The embedded config (standalone binary), else the shipped one. */
async function readDefaultConfig(runtime: Runtime): Promise<PartialModelsConfig> {
  if (embeddedConfig !== undefined) {
    return validateModelsConfig(embeddedConfig, "the embedded models config");
  }
  const shippedPath = defaultModelsConfigPath();
  if (shippedPath === undefined) {
    return validateModelsConfig(await importShippedConfig(), SHIPPED_CONFIG_URL.href);
  }
  return await readConfigFile(runtime, {
    path: shippedPath,
    missingHint: "reinstall rkllm-models: its configs/models.json is missing",
  });
}

async function readConfigFile(
  runtime: Runtime,
  { path, missingHint }: { path: string; missingHint: string },
): Promise<PartialModelsConfig> {
  const read = await readJsonFile(runtime, path, { check: modelsConfigProblem });
  if (read.status === "ok") return shapedConfig(read.value as Record<string, unknown>);
  if (read.status === "invalid") throw invalidConfig(path, read.problem);
  if (read.status === "corrupt") {
    throw new ModelManagerError(
      "config",
      `parse the models config at ${path}: ${describe(read.error)}`,
      {
        hint: `fix the JSON syntax in ${path}`,
        cause: read.error,
      },
    );
  }
  throw new ModelManagerError(
    "config",
    `read the models config at ${path}: ${describe(read.error)}`,
    { hint: missingHint, cause: read.error },
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function invalidConfig(source: string, problem: string): ModelManagerError {
  return new ModelManagerError("config", `invalid models config at ${source}: ${problem}`, {
    hint:
      'it needs "REPOSITORY_SUGGESTIONS": [{"repo", "description"}] and "EXAMPLE_MODEL_FILES": [{"repo", "file"}], and may have "COMPANION_FILES": ["config.json", …]',
  });
}

function validateModelsConfig(value: unknown, source: string): PartialModelsConfig {
  const problem = modelsConfigProblem(value);
  if (problem !== undefined) throw invalidConfig(source, problem);
  return shapedConfig(value as Record<string, unknown>);
}

function shapedConfig(record: Record<string, unknown>): PartialModelsConfig {
  return {
    REPOSITORY_SUGGESTIONS: record.REPOSITORY_SUGGESTIONS as RepositorySuggestion[],
    EXAMPLE_MODEL_FILES: record.EXAMPLE_MODEL_FILES as ExampleModelFile[],
    COMPANION_FILES: record.COMPANION_FILES as string[] | undefined,
  };
}

/** What is wrong with a parsed models config, or `undefined` when its shape is right. */
function modelsConfigProblem(value: unknown): string | undefined {
  if (!isJsonObject(value)) return "the top level is not an object";
  const suggestions = value.REPOSITORY_SUGGESTIONS;
  const examples = value.EXAMPLE_MODEL_FILES;
  if (!Array.isArray(suggestions)) return "REPOSITORY_SUGGESTIONS is not an array";
  if (!Array.isArray(examples)) return "EXAMPLE_MODEL_FILES is not an array";
  const badSuggestion = suggestions.findIndex((item) =>
    typeof item?.repo !== "string" || typeof item?.description !== "string"
  );
  if (badSuggestion >= 0) {
    return `REPOSITORY_SUGGESTIONS[${badSuggestion}] needs a string "repo" and "description"`;
  }
  const badSource = suggestions.findIndex((item) =>
    item?.source !== undefined && item.source !== "huggingface" && item.source !== "modelscope"
  );
  if (badSource >= 0) {
    return `REPOSITORY_SUGGESTIONS[${badSource}].source must be "huggingface" or "modelscope"`;
  }
  const badExample = examples.findIndex((item) =>
    typeof item?.repo !== "string" || typeof item?.file !== "string"
  );
  if (badExample >= 0) return `EXAMPLE_MODEL_FILES[${badExample}] needs a string "repo" and "file"`;
  return companionsProblem(value.COMPANION_FILES);
}

function companionsProblem(companions: unknown): string | undefined {
  if (companions === undefined) return undefined;
  if (!Array.isArray(companions)) return "COMPANION_FILES is not an array";
  const bad = companions.findIndex((item) => !isCompanionPath(item));
  return bad < 0
    ? undefined
    : `COMPANION_FILES[${bad}] is not a relative file path other than a .rkllm or .rknn file`;
}

/** A companion names a plain file of the repository: never a model, an encoder or a way out. */
function isCompanionPath(value: unknown): boolean {
  if (typeof value !== "string" || !isSafeRepoPath(value)) return false;
  return !isModelFileName(value) && !isEncoderFileName(value);
}
