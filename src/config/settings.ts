/**
 * Settings from options and the environment, with the conventions Hugging Face
 * users already have: `HF_ENDPOINT`, `HF_TOKEN`, `HUGGING_FACE_HUB_TOKEN`,
 * `HF_TOKEN_PATH`, `HF_HOME`, `HF_HUB_OFFLINE`; plus `RKLLM_MODELS_DIR`, and the user
 * config file. Every setting is the option, else its environment variable, else
 * the user config file, else the built-in default.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { ModelManagerError } from "../errors.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { readUserConfig, type UserConfig } from "./user_config.ts";

/** The public Hugging Face Hub. */
export const DEFAULT_ENDPOINT = "https://huggingface.co";

/**
 * Normalises and checks an endpoint URL (no trailing slash, http or https).
 */
export function normalizeEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw new ModelManagerError(
      "config",
      `invalid Hub endpoint "${endpoint}": expected a URL such as https://huggingface.co`,
      {
        hint: "give a URL such as https://huggingface.co (--endpoint or HF_ENDPOINT)",
      },
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ModelManagerError(
      "config",
      `invalid Hub endpoint "${endpoint}": expected an http or https URL`,
      {
        hint: "give a URL such as https://huggingface.co (--endpoint or HF_ENDPOINT)",
      },
    );
  }
  return url.href.replace(/\/+$/, "");
}

/**
 * Whether an environment flag is set to a true value (`1`, `true`, `yes`, `on`).
 */
export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

/** Where a setting came from: a flag or option, the environment, the user config file or the default. */
export type SettingSource = "option" | "env" | "config" | "default";

/** The user config a resolver consults (read from its file when not given). */
export interface SettingsOptions {
  /** The user config file's settings, when the caller has read them. */
  userConfig?: UserConfig;
}

function userConfigOf(runtime: Runtime, options: SettingsOptions): UserConfig {
  return options.userConfig ?? readUserConfig(runtime);
}

/**
 * The built-in models directory: `$XDG_DATA_HOME/rkllm-models/models`, else
 * `~/.local/share/rkllm-models/models`; `./models` only where there is no home.
 */
export function defaultModelsDir(runtime: Runtime): string {
  const home = runtime.homeDir();
  const data = runtime.env("XDG_DATA_HOME") || (home && join(home, ".local", "share"));
  return data ? join(data, "rkllm-models", "models") : resolve(runtime.cwd(), "models");
}

function expandHome(runtime: Runtime, path: string): string {
  const home = runtime.homeDir();
  return home && (path === "~" || path.startsWith("~/")) ? join(home, path.slice(1)) : path;
}

/**
 * The models directory and where it came from: the option (`--dir`), else
 * `RKLLM_MODELS_DIR`, else `modelsDir` of the user config file, else
 * {@linkcode defaultModelsDir}; made absolute.
 */
export function modelsDirSetting(
  runtime: Runtime,
  option?: string,
  options: SettingsOptions = {},
): { value: string; source: SettingSource } {
  const env = runtime.env("RKLLM_MODELS_DIR");
  let chosen: string | undefined = option || env;
  let source: SettingSource = option ? "option" : env ? "env" : "default";
  if (!chosen) {
    chosen = userConfigOf(runtime, options).modelsDir;
    if (chosen) source = "config";
  }
  const value = chosen
    ? resolve(runtime.cwd(), expandHome(runtime, chosen))
    : defaultModelsDir(runtime);
  return { value, source };
}

/** The models directory alone, as {@linkcode modelsDirSetting} resolves it. */
export function resolveModelsDir(
  runtime: Runtime,
  option?: string,
  options: SettingsOptions = {},
): string {
  return modelsDirSetting(runtime, option, options).value;
}

/**
 * The endpoint: the option, else `HF_ENDPOINT`, else the user config file's
 * `endpoint`, else the public Hub.
 */
export function resolveEndpoint(
  runtime: Runtime,
  option?: string,
  options: SettingsOptions = {},
): string {
  const chosen = option || runtime.env("HF_ENDPOINT") ||
    userConfigOf(runtime, options).endpoint || DEFAULT_ENDPOINT;
  return normalizeEndpoint(chosen);
}

/**
 * A setting checked by its user (`platform`, `connections`): the option, else the
 * environment variable `envName`, else the user config file's `key`; `undefined`
 * for the caller's default. Answers the raw text, which the caller checks.
 */
export function resolveSetting(
  runtime: Runtime,
  key: "platform" | "connections",
  options: SettingsOptions & { option?: string; envName: string },
): string | undefined {
  if (options.option !== undefined) return options.option;
  const env = runtime.env(options.envName);
  if (env) return env;
  const configured = userConfigOf(runtime, options)[key];
  return configured === undefined ? undefined : String(configured);
}

/**
 * The Hugging Face home directory: `HF_HOME`, else `$XDG_CACHE_HOME/huggingface`,
 * else `~/.cache/huggingface`; `undefined` without any of them.
 */
function hfHomeOf(runtime: Runtime): string | undefined {
  const home = runtime.env("HF_HOME");
  if (home) return home;
  const cache = runtime.env("XDG_CACHE_HOME") ||
    (runtime.homeDir() && join(runtime.homeDir()!, ".cache"));
  return cache ? join(cache, "huggingface") : undefined;
}

/**
 * The access token: the option, else `HF_TOKEN`, else `HUGGING_FACE_HUB_TOKEN`,
 * else the file `HF_TOKEN_PATH`, else `token` in the Hugging Face home directory.
 * Empty values count as unset.
 */
export async function resolveToken(runtime: Runtime, option?: string): Promise<string | undefined> {
  for (const value of [option, runtime.env("HF_TOKEN"), runtime.env("HUGGING_FACE_HUB_TOKEN")]) {
    if (value?.trim()) return value.trim();
  }
  const hfHome = hfHomeOf(runtime);
  const path = runtime.env("HF_TOKEN_PATH") || (hfHome && join(hfHome, "token"));
  if (!path) return undefined;
  try {
    const token = new TextDecoder().decode(await runtime.readFile(path)).trim();
    return token || undefined;
  } catch {
    return undefined;
  }
}
