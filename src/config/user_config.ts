/**
 * The user's own settings file (where: {@linkcode userConfigPath}), which
 * `rkllm-models config` edits. Its keys are the settings' names: `modelsDir`, `endpoint`,
 * `platform`, `connections`, `pullRepos`. It is distinct from `configs/models.json`, the
 * catalogue of known models.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { ModelManagerError } from "../errors.ts";
import { repoIdProblem } from "../hub/repo_id.ts";
import { isNotFound, type Runtime } from "../runtime/runtime.ts";
import { writeJsonAtomic } from "../store/atomic_write.ts";

/** The settings a user config file may hold. */
export interface UserConfig {
  /** Where models are stored. */
  modelsDir?: string;
  /** The Hub URL. */
  endpoint?: string;
  /** The preferred chip (`rk3588`, …, or `any` to ignore the board's). */
  platform?: string;
  /** Parallel connections for large files (1-64). */
  connections?: number;
  /**
   * Repositories (`owner/name`, comma-separated) that `serve --upstream` pulls though
   * the store lacks them, beside those of the models config.
   */
  pullRepos?: string;
  /** Where repositories come from: `huggingface` or `modelscope`. */
  source?: "huggingface" | "modelscope";
}

/** A key of {@linkcode UserConfig}. */
export type UserConfigKey = keyof UserConfig;

/**
 * The keys a user config file may hold, in the order `config` lists them.
 */
export const USER_CONFIG_KEYS: readonly UserConfigKey[] = [
  "modelsDir",
  "endpoint",
  "platform",
  "connections",
  "pullRepos",
  "source",
];

/**
 * Where the user config file is: `$XDG_CONFIG_HOME/rkllm-models/config.json`,
 * else `~/.config/rkllm-models/config.json`; `undefined` without either.
 */
export function userConfigPath(runtime: Runtime): string | undefined {
  const home = runtime.homeDir();
  const base = runtime.env("XDG_CONFIG_HOME") || (home && join(home, ".config"));
  return base ? join(base, "rkllm-models", "config.json") : undefined;
}

function invalidConfig(path: string, why: string): ModelManagerError {
  return new ModelManagerError("config", `invalid user config ${path}: ${why}`, {
    hint: `fix or delete the file, or use: rkllm-models config unset <key>`,
  });
}

/** Checks one parsed value of the file, answering it in its stored type. */
function checkedValue(key: UserConfigKey, value: unknown, path: string): string | number {
  if (key === "connections") {
    if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 64) {
      return value;
    }
    throw invalidConfig(path, `"connections" must be a whole number from 1 to 64`);
  }
  if (typeof value !== "string" || value.trim() === "") {
    throw invalidConfig(path, `"${key}" must be a non-empty string`);
  }
  if (key === "pullRepos" && repoListOf(value) === undefined) {
    throw invalidConfig(path, `"pullRepos" must list repositories as owner/name, comma-separated`);
  }
  if (key === "source" && value !== "huggingface" && value !== "modelscope") {
    throw invalidConfig(path, `"source" must be "huggingface" or "modelscope"`);
  }
  return value;
}

/**
 * The repositories of a comma-separated `owner/name` list, as written; `undefined`
 * when one of them is not a repository id.
 */
export function repoListOf(value: string): string[] | undefined {
  const repos = value.split(",").map((part) => part.trim()).filter((part) => part !== "");
  if (repos.length === 0 || repos.some((repo) => repoIdProblem(repo) !== undefined)) {
    return undefined;
  }
  return repos;
}

/**
 * Parses the text of a user config file; unknown keys are refused so that a typo does
 * not pass silently.
 */
export function parseUserConfig(text: string, path: string): UserConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidConfig(path, "it is not JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw invalidConfig(path, "it is not a JSON object");
  }
  const config: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!USER_CONFIG_KEYS.includes(key as UserConfigKey)) {
      throw invalidConfig(path, `unknown key "${key}" (known: ${USER_CONFIG_KEYS.join(", ")})`);
    }
    config[key] = checkedValue(key as UserConfigKey, value, path);
  }
  return config as UserConfig;
}

/**
 * Reads the user config file; `{}` when it does not exist (or the runtime cannot
 * read synchronously). A file that is not valid throws a `config` error.
 */
export function readUserConfig(runtime: Runtime): UserConfig {
  const path = userConfigPath(runtime);
  if (!path || !runtime.readFileSync) return {};
  let bytes: Uint8Array;
  try {
    bytes = runtime.readFileSync(path);
  } catch (error) {
    if (isNotFound(error)) return {};
    throw invalidConfig(path, `it cannot be read (${(error as Error).message})`);
  }
  return parseUserConfig(new TextDecoder().decode(bytes), path);
}

/**
 * Writes the user config file atomically (creating its directory), answering its path.
 */
export async function writeUserConfig(runtime: Runtime, config: UserConfig): Promise<string> {
  const path = userConfigPath(runtime);
  if (!path) {
    throw new ModelManagerError(
      "config",
      "cannot find a place for the user config file: there is no home directory",
      {
        hint: "set XDG_CONFIG_HOME or HOME",
      },
    );
  }
  await runtime.mkdir(dirname(path));
  await writeJsonAtomic(runtime, { path, value: config });
  return path;
}
