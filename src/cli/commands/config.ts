/**
 * `config`: shows and edits the user config file
 * (`$XDG_CONFIG_HOME/rkllm-models/config.json`), with the same key names as
 * in the file: `modelsDir`, `endpoint`, `platform`, `connections`, `pullRepos`, `source`.
 *
 * @module
 */
import {
  DEFAULT_ENDPOINT,
  modelsDirSetting,
  normalizeEndpoint,
  resolveSetting,
} from "../../config/settings.ts";
import {
  readUserConfig,
  repoListOf,
  USER_CONFIG_KEYS,
  type UserConfig,
  type UserConfigKey,
  userConfigPath,
  writeUserConfig,
} from "../../config/user_config.ts";
import { ModelManagerError } from "../../errors.ts";
import type { Runtime } from "../../runtime/runtime.ts";
import type { Command, CommandContext } from "../command.ts";
import { platformOption, wholeNumber } from "../option_values.ts";
import { resolve } from "node:path";
import { sourceNamed } from "../../source/source_named.ts";

const ACTIONS = ["get", "set", "unset", "list", "path"];

function usageError(message: string, hint: string): ModelManagerError {
  return new ModelManagerError("usage", message, { hint });
}

function keyOf(name: string | undefined): UserConfigKey {
  if (name && USER_CONFIG_KEYS.includes(name as UserConfigKey)) return name as UserConfigKey;
  throw usageError(
    name ? `unknown config key "${name}"` : "missing config key",
    `use one of ${USER_CONFIG_KEYS.join(", ")}`,
  );
}

/** Checks a value given on the command line, answering it as the file stores it. */
function storedValue(runtime: Runtime, key: UserConfigKey, value: string): string | number {
  if (key === "modelsDir") return resolve(runtime.cwd(), value);
  if (key === "endpoint") return normalizeEndpoint(value);
  if (key === "source") return sourceNamed(value.trim().toLowerCase()).name;
  if (key === "connections") {
    return wholeNumber(value, "connections", { min: 1, max: 64, fallback: 8 });
  }
  if (key === "pullRepos") return pullReposValue(value);
  return value.trim().toLowerCase() === "any" ? "any" : platformOption(value)!;
}

/** A `pullRepos` value checked and written as `owner/name,owner/name`. */
function pullReposValue(value: string): string {
  const repos = repoListOf(value);
  if (repos === undefined) {
    throw usageError(
      `invalid pullRepos "${value}": expected repositories as owner/name, comma-separated`,
      "for example: rkllm-models config set pullRepos radxa/Qwen2-VL-2B-RKLLM,acme/tiny",
    );
  }
  return repos.join(",");
}

async function setValue(context: CommandContext, key: UserConfigKey, value: string | undefined) {
  if (value === undefined) {
    throw usageError(`missing value for ${key}`, `usage: rkllm-models config set ${key} <value>`);
  }
  const config: Record<string, unknown> = { ...readUserConfig(context.runtime) };
  config[key] = storedValue(context.runtime, key, value);
  const path = await writeUserConfig(context.runtime, config as UserConfig);
  context.output.note(`set ${key} to ${JSON.stringify(config[key])} in ${path}`);
  return { exitCode: 0, json: { key, value: config[key], path } };
}

async function unsetValue(context: CommandContext, key: UserConfigKey) {
  const config: Record<string, unknown> = { ...readUserConfig(context.runtime) };
  const had = key in config;
  delete config[key];
  const path = had ? await writeUserConfig(context.runtime, config as UserConfig) : undefined;
  if (had) context.output.note(`unset ${key} in ${path}`);
  return { exitCode: 0, json: { key, unset: had } };
}

/** The environment variable read before the file, per key. */
const ENV_NAMES: Record<Exclude<UserConfigKey, "pullRepos" | "source">, string> = {
  modelsDir: "RKLLM_MODELS_DIR",
  endpoint: "HF_ENDPOINT",
  platform: "RKLLM_PLATFORM",
  connections: "RKLLM_CONNECTIONS",
};

/** What a setting is in effect when no flag is given, and where that comes from. */
function inEffect(runtime: Runtime, key: UserConfigKey): string {
  if (key === "pullRepos") {
    return "only the repositories of the store and of the models config (the default)";
  }
  const config = readUserConfig(runtime);
  if (key === "source") return config.source ? "from the file" : "huggingface (the default)";
  const envName = ENV_NAMES[key];
  const from = runtime.env(envName)
    ? `from ${envName}`
    : config[key] !== undefined
    ? "from the file"
    : "the default";
  if (key === "modelsDir") return `${modelsDirSetting(runtime).value} (${from})`;
  if (key === "endpoint") {
    return `${runtime.env(envName) || config.endpoint || DEFAULT_ENDPOINT} (${from})`;
  }
  const value = resolveSetting(runtime, key, { envName });
  if (value !== undefined) return `${value} (${from})`;
  return key === "platform" ? "the board's chip (the default)" : "8 (the default)";
}

function getValue(context: CommandContext, key: UserConfigKey) {
  const value = readUserConfig(context.runtime)[key];
  if (value !== undefined && !context.json) context.output.out(String(value));
  // Not set in the file (exit 1, as documented): say so, and what is in effect instead.
  if (value === undefined && !context.json) {
    const path = userConfigPath(context.runtime) ?? "the user config";
    context.output.err(
      `${key} is not set in ${path}; in effect: ${inEffect(context.runtime, key)}`,
    );
  }
  return { exitCode: value === undefined ? 1 : 0, json: { key, value: value ?? null } };
}

function listValues(context: CommandContext) {
  const config = readUserConfig(context.runtime);
  const path = userConfigPath(context.runtime);
  if (!context.json) {
    for (const key of USER_CONFIG_KEYS) {
      if (config[key] !== undefined) context.output.out(`${key}=${config[key]}`);
    }
    context.output.note(`file: ${path ?? "(no home directory)"}`);
    // Where the store is matters even when nothing is set.
    context.output.note(`models directory: ${inEffect(context.runtime, "modelsDir")}`);
  }
  return { exitCode: 0, json: { path: path ?? null, ...config } };
}

/**
 * The `config` command.
 */
export const configCommand: Command = {
  name: "config",
  summary:
    "show or edit the user settings (modelsDir, endpoint, platform, connections, pullRepos, source)",
  action: "edit the user config",
  usage: "config [get|set|unset|list|path] [key] [value]",
  description: "Settings are read in this order: the flag, then the environment variable\n" +
    "(RKLLM_MODELS_DIR, HF_ENDPOINT, RKLLM_PLATFORM, RKLLM_CONNECTIONS), then the user config\n" +
    "file ($XDG_CONFIG_HOME/rkllm-models/config.json, default ~/.config/rkllm-models/config.json),\n" +
    "then the built-in default. `list` also says where the models directory is. `get` exits 1 when\n" +
    "the key is not set in the file, saying what is in effect instead.",
  maxArguments: 3,
  globals: ["json", "quiet", "help"],
  options: {},
  examples: () => [
    "rkllm-models config set modelsDir /mnt/nvme/models",
    "rkllm-models config get modelsDir",
    "rkllm-models config unset platform",
    "rkllm-models config list --json",
  ],
  run(context) {
    const [action = "list", name, value] = context.positionals;
    if (!ACTIONS.includes(action)) {
      throw usageError(`unknown config action "${action}"`, `use one of ${ACTIONS.join(", ")}`);
    }
    if (action === "list") return Promise.resolve(listValues(context));
    if (action === "path") {
      const path = userConfigPath(context.runtime) ?? "";
      if (!context.json) context.output.out(path);
      return Promise.resolve({ exitCode: 0, json: { path } });
    }
    const key = keyOf(name);
    if (action === "get") return Promise.resolve(getValue(context, key));
    if (action === "set") return setValue(context, key, value);
    return unsetValue(context, key);
  },
};
