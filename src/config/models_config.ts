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
import { isEncoderFileName, isModelFileName } from "../store/store_layout.ts";

/** A repository suggested to users who do not know what to download. */
export interface RepositorySuggestion {
  /** `owner/name` on the Hub. */
  repo: string;
  /** One line saying what it is. */
  description: string;
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

/** The environment variable that points at another `models.json`. */
export const MODELS_CONFIG_ENV = "RKLLM_MODELS_CONFIG";

let embeddedConfig: unknown;

/**
 * Makes a config that was bundled into a standalone binary the default, so the
 * binary needs no file beside it.
 *
 * @example
 * ```ts
 * import { setEmbeddedModelsConfig } from "./models_config.ts";
 * setEmbeddedModelsConfig({
 *   REPOSITORY_SUGGESTIONS: [],
 *   EXAMPLE_MODEL_FILES: [],
 *   COMPANION_FILES: ["config.json"],
 * });
 * ```
 */
export function setEmbeddedModelsConfig(config: unknown): void {
  embeddedConfig = config;
}

/** Where the `models.json` that ships beside the sources is: a `file:` URL, or `https:` on JSR. */
const SHIPPED_CONFIG_URL = new URL("../../configs/models.json", import.meta.url);

/**
 * The path of the `models.json` that ships beside the sources; undefined when the
 * sources are not local files (run from `jsr:` or another URL).
 *
 * @example
 * ```ts
 * import { defaultModelsConfigPath } from "./models_config.ts";
 * console.log(defaultModelsConfigPath()); // ".../configs/models.json"
 * ```
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
 *
 * @example
 * ```ts
 * import { loadModelsConfig } from "./models_config.ts";
 * import { RuntimeDetector } from "../runtime/detect_runtime.ts";
 * const config = await loadModelsConfig(RuntimeDetector.current());
 * console.log(config.EXAMPLE_MODEL_FILES[0].repo);
 * ```
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
  let text: string;
  try {
    text = new TextDecoder().decode(await runtime.readFile(path));
  } catch (error) {
    throw new ModelManagerError("config", `read the models config at ${path}: ${describe(error)}`, {
      hint: missingHint,
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ModelManagerError(
      "config",
      `parse the models config at ${path}: ${describe(error)}`,
      {
        hint: `fix the JSON syntax in ${path}`,
        cause: error,
      },
    );
  }
  return validateModelsConfig(parsed, path);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function validateModelsConfig(value: unknown, source: string): PartialModelsConfig {
  const fail = (what: string): never => {
    throw new ModelManagerError("config", `invalid models config at ${source}: ${what}`, {
      hint:
        'it needs "REPOSITORY_SUGGESTIONS": [{"repo", "description"}] and "EXAMPLE_MODEL_FILES": [{"repo", "file"}], and may have "COMPANION_FILES": ["config.json", …]',
    });
  };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return fail("the top level is not an object");
  }
  const record = value as Record<string, unknown>;
  const suggestions = record.REPOSITORY_SUGGESTIONS;
  const examples = record.EXAMPLE_MODEL_FILES;
  if (!Array.isArray(suggestions)) return fail("REPOSITORY_SUGGESTIONS is not an array");
  if (!Array.isArray(examples)) return fail("EXAMPLE_MODEL_FILES is not an array");
  for (const [index, item] of suggestions.entries()) {
    if (typeof item?.repo !== "string" || typeof item?.description !== "string") {
      fail(`REPOSITORY_SUGGESTIONS[${index}] needs a string "repo" and "description"`);
    }
  }
  for (const [index, item] of examples.entries()) {
    if (typeof item?.repo !== "string" || typeof item?.file !== "string") {
      fail(`EXAMPLE_MODEL_FILES[${index}] needs a string "repo" and "file"`);
    }
  }
  const companions = record.COMPANION_FILES;
  if (companions !== undefined) {
    if (!Array.isArray(companions)) return fail("COMPANION_FILES is not an array");
    for (const [index, item] of companions.entries()) {
      if (!isCompanionPath(item)) {
        fail(
          `COMPANION_FILES[${index}] is not a relative file path other than a .rkllm or .rknn file`,
        );
      }
    }
  }
  return {
    REPOSITORY_SUGGESTIONS: suggestions as RepositorySuggestion[],
    EXAMPLE_MODEL_FILES: examples as ExampleModelFile[],
    COMPANION_FILES: companions as string[] | undefined,
  };
}

/** A companion names a plain file of the repository: never a model, an encoder or a way out. */
function isCompanionPath(value: unknown): boolean {
  if (typeof value !== "string" || !isSafeRepoPath(value)) return false;
  return !isModelFileName(value) && !isEncoderFileName(value);
}
