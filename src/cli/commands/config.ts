/**
 * `config`: shows and edits the user config file
 * (`$XDG_CONFIG_HOME/rkllm-models/config.json`), with the same key names as
 * in the file: `modelsDir`, `endpoint`, `platform`, `connections`, `source`.
 *
 * @module
 */
import { normalizeEndpoint } from "../../config/settings.ts";
import {
  readUserConfig,
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
  return value.trim().toLowerCase() === "any" ? "any" : platformOption(value)!;
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

function getValue(context: CommandContext, key: UserConfigKey) {
  const value = readUserConfig(context.runtime)[key];
  if (value !== undefined && !context.json) context.output.out(String(value));
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
  }
  return { exitCode: 0, json: { path: path ?? null, ...config } };
}

/**
 * The `config` command.
 *
 * @example
 * ```ts
 * import { configCommand } from "./config.ts";
 * console.log(configCommand.usage);
 * ```
 */
export const configCommand: Command = {
  name: "config",
  summary: "show or edit the user settings (modelsDir, endpoint, platform, connections, source)",
  action: "edit the user config",
  usage: "config [get|set|unset|list|path] [key] [value]",
  description: "Settings are read in this order: the flag, then the environment variable\n" +
    "(RKLLM_MODELS_DIR, HF_ENDPOINT, RKLLM_PLATFORM, RKLLM_CONNECTIONS), then the user config\n" +
    "file ($XDG_CONFIG_HOME/rkllm-models/config.json, default ~/.config/rkllm-models/config.json),\n" +
    "then the built-in default. `get` exits 1 when the key is not set in the file.",
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
