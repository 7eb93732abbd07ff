import type { Runtime } from "../runtime/runtime.ts";
import { type UserConfig } from "./user_config.ts";
/** The public Hugging Face Hub. */
export declare const DEFAULT_ENDPOINT = "https://huggingface.co";
/**
 * Normalises and checks an endpoint URL (no trailing slash, http or https).
 */
export declare function normalizeEndpoint(endpoint: string): string;
/**
 * Whether an environment flag is set to a true value (`1`, `true`, `yes`, `on`).
 */
export declare function isTruthy(value: string | undefined): boolean;
/** Where a setting came from: a flag or option, the environment, the user config file or the default. */
export type SettingSource = "option" | "env" | "config" | "default";
/** The user config a resolver consults (read from its file when not given). */
export interface SettingsOptions {
    /** The user config file's settings, when the caller has read them. */
    userConfig?: UserConfig;
}
/**
 * The built-in models directory: `$XDG_DATA_HOME/rkllm-models/models`, else
 * `~/.local/share/rkllm-models/models`; `./models` only where there is no home.
 */
export declare function defaultModelsDir(runtime: Runtime): string;
/**
 * The models directory and where it came from: the option (`--dir`), else
 * `RKLLM_MODELS_DIR`, else `modelsDir` of the user config file, else
 * {@linkcode defaultModelsDir}; made absolute.
 */
export declare function modelsDirSetting(runtime: Runtime, option?: string, options?: SettingsOptions): {
    value: string;
    source: SettingSource;
};
/** The models directory alone, as {@linkcode modelsDirSetting} resolves it. */
export declare function resolveModelsDir(runtime: Runtime, option?: string, options?: SettingsOptions): string;
/**
 * The endpoint: the option, else `HF_ENDPOINT`, else the user config file's
 * `endpoint`, else the public Hub.
 */
export declare function resolveEndpoint(runtime: Runtime, option?: string, options?: SettingsOptions): string;
/**
 * A setting checked by its user (`platform`, `connections`): the option, else the
 * environment variable `envName`, else the user config file's `key`; `undefined`
 * for the caller's default. Answers the raw text, which the caller checks.
 */
export declare function resolveSetting(runtime: Runtime, key: "platform" | "connections", options: SettingsOptions & {
    option?: string;
    envName: string;
}): string | undefined;
/**
 * The access token: the option, else `HF_TOKEN`, else `HUGGING_FACE_HUB_TOKEN`,
 * else the file `HF_TOKEN_PATH`, else `token` in the Hugging Face home directory.
 * Empty values count as unset.
 */
export declare function resolveToken(runtime: Runtime, option?: string): Promise<string | undefined>;
