/**
 * The one place that picks a source's endpoint and token: Hugging Face reads
 * `HF_ENDPOINT` / `HF_TOKEN` (see `settings.ts`); ModelScope reads
 * `MODELSCOPE_ENDPOINT` (else `https://www.modelscope.cn`) and `MODELSCOPE_API_TOKEN`.
 *
 * @module
 */
import type { Runtime } from "../runtime/runtime.ts";
import { MODELSCOPE_ENDPOINT } from "../modelscope/modelscope_urls.ts";
import type { RepoSource } from "../source/repo_source.ts";
import {
  normalizeEndpoint,
  resolveEndpoint,
  resolveToken,
  type SettingsOptions,
} from "./settings.ts";

/** How one source finds its endpoint and token. */
interface SourceSettings {
  endpoint(runtime: Runtime, option: string | undefined, options: SettingsOptions): string;
  token(runtime: Runtime, option: string | undefined): Promise<string | undefined>;
}

const SETTINGS: Record<RepoSource["name"], SourceSettings> = {
  huggingface: { endpoint: resolveEndpoint, token: resolveToken },
  modelscope: {
    endpoint: (runtime, option) =>
      normalizeEndpoint(option || runtime.env("MODELSCOPE_ENDPOINT") || MODELSCOPE_ENDPOINT),
    token: (runtime, option) => {
      const token = [option, runtime.env("MODELSCOPE_API_TOKEN")].find((value) => value?.trim());
      return Promise.resolve(token?.trim());
    },
  },
};

/**
 * The endpoint of `source`: the option, else its environment variable, else its default.
 */
export function sourceEndpoint(
  runtime: Runtime,
  options: SettingsOptions & { source: RepoSource; option?: string },
): string {
  return SETTINGS[options.source.name].endpoint(runtime, options.option, options);
}

/**
 * The token of `source`: the option, else its environment variable(s).
 */
export function sourceToken(
  runtime: Runtime,
  options: { source: RepoSource; option?: string },
): Promise<string | undefined> {
  return SETTINGS[options.source.name].token(runtime, options.option);
}
