/**
 * The one place that picks a source's endpoint and token: Hugging Face reads
 * `HF_ENDPOINT` / `HF_TOKEN` (see `settings.ts`); ModelScope reads
 * `MODELSCOPE_ENDPOINT` (else `https://www.modelscope.cn`) and `MODELSCOPE_API_TOKEN`.
 *
 * @module
 */
import type { Runtime } from "../runtime/runtime.ts";
import type { RepoSource } from "../source/repo_source.ts";
import { type SettingsOptions } from "./settings.ts";
/**
 * The endpoint of `source`: the option, else its environment variable, else its default.
 */
export declare function sourceEndpoint(runtime: Runtime, options: SettingsOptions & {
    source: RepoSource;
    option?: string;
}): string;
/**
 * The token of `source`: the option, else its environment variable(s).
 */
export declare function sourceToken(runtime: Runtime, options: {
    source: RepoSource;
    option?: string;
}): Promise<string | undefined>;
