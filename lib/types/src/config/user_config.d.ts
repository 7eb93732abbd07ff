import { type Runtime } from "../runtime/runtime.ts";
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
export declare const USER_CONFIG_KEYS: readonly UserConfigKey[];
/**
 * Where the user config file is: `$XDG_CONFIG_HOME/rkllm-models/config.json`,
 * else `~/.config/rkllm-models/config.json`; `undefined` without either.
 */
export declare function userConfigPath(runtime: Runtime): string | undefined;
/**
 * The repositories of a comma-separated `owner/name` list, as written; `undefined`
 * when one of them is not a repository id.
 */
export declare function repoListOf(value: string): string[] | undefined;
/**
 * Parses the text of a user config file; unknown keys are refused so that a typo does
 * not pass silently.
 */
export declare function parseUserConfig(text: string, path: string): UserConfig;
/**
 * Reads the user config file; `{}` when it does not exist (or the runtime cannot
 * read synchronously). A file that is not valid throws a `config` error.
 */
export declare function readUserConfig(runtime: Runtime): UserConfig;
/**
 * Writes the user config file atomically (creating its directory), answering its path.
 */
export declare function writeUserConfig(runtime: Runtime, config: UserConfig): Promise<string>;
