/**
 * Settings from options and the environment, with the conventions Hugging Face
 * users already have: `HF_ENDPOINT`, `HF_TOKEN`, `HUGGING_FACE_HUB_TOKEN`,
 * `HF_TOKEN_PATH`, `HF_HOME`, `HF_HUB_OFFLINE`; plus `RKLLM_MODELS_DIR`.
 *
 * @module
 */
import { join, resolve } from "node:path";
import { ModelManagerError } from "../errors.ts";
import type { Runtime } from "../runtime/runtime.ts";

/**
 * The default Hub.
 *
 * @example
 * ```ts
 * import { DEFAULT_ENDPOINT } from "./settings.ts";
 * DEFAULT_ENDPOINT; // "https://huggingface.co"
 * ```
 */
export const DEFAULT_ENDPOINT = "https://huggingface.co";

/**
 * Normalises and checks an endpoint URL (no trailing slash, http or https).
 *
 * @example
 * ```ts
 * import { normalizeEndpoint } from "./settings.ts";
 * normalizeEndpoint("https://hf-mirror.com/"); // "https://hf-mirror.com"
 * ```
 */
export function normalizeEndpoint(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw new ModelManagerError(
      "config",
      `use "${endpoint}" as the Hub endpoint: it is not a URL`,
      {
        hint: "give a URL such as https://huggingface.co (--endpoint or HF_ENDPOINT)",
      },
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ModelManagerError(
      "config",
      `use "${endpoint}" as the Hub endpoint: only http and https work`,
      {
        hint: "give a URL such as https://huggingface.co (--endpoint or HF_ENDPOINT)",
      },
    );
  }
  return url.href.replace(/\/+$/, "");
}

/**
 * Whether an environment flag is set to a true value (`1`, `true`, `yes`, `on`).
 *
 * @example
 * ```ts
 * import { isTruthy } from "./settings.ts";
 * isTruthy("yes"); // true
 * isTruthy("0"); // false
 * ```
 */
export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}

/**
 * The models directory: the option, else `RKLLM_MODELS_DIR`, else `./models`; made absolute.
 *
 * @example
 * ```ts
 * import { resolveModelsDir } from "./settings.ts";
 * import { RuntimeDetector } from "../runtime/detect_runtime.ts";
 * resolveModelsDir(RuntimeDetector.current(), "/srv/models"); // "/srv/models"
 * ```
 */
export function resolveModelsDir(runtime: Runtime, option?: string): string {
  return resolve(runtime.cwd(), option || runtime.env("RKLLM_MODELS_DIR") || "models");
}

/**
 * The endpoint: the option, else `HF_ENDPOINT`, else the public Hub.
 *
 * @example
 * ```ts
 * import { resolveEndpoint } from "./settings.ts";
 * import { RuntimeDetector } from "../runtime/detect_runtime.ts";
 * resolveEndpoint(RuntimeDetector.current()); // HF_ENDPOINT, else "https://huggingface.co"
 * ```
 */
export function resolveEndpoint(runtime: Runtime, option?: string): string {
  return normalizeEndpoint(option || runtime.env("HF_ENDPOINT") || DEFAULT_ENDPOINT);
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
 * else the file `HF_TOKEN_PATH`, else `$HF_HOME/token` (`HF_HOME` defaults to
 * `$XDG_CACHE_HOME/huggingface`, else `~/.cache/huggingface`). Empty values count as unset.
 *
 * @example
 * ```ts
 * import { resolveToken } from "./settings.ts";
 * import { RuntimeDetector } from "../runtime/detect_runtime.ts";
 * const token = await resolveToken(RuntimeDetector.current());
 * ```
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
