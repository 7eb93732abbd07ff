import type { Runtime } from "../runtime/runtime.ts";
/** A repository suggested to users who do not know what to download. */
export interface RepositorySuggestion {
    /** `owner/name` on the Hub. */
    repo: string;
    /** One line saying what it is. */
    description: string;
    /** Where it is published, when not on Hugging Face (`--source modelscope`). */
    source?: "huggingface" | "modelscope";
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
/**
 * The environment variable that points at another `models.json`.
 */
export declare const MODELS_CONFIG_ENV = "RKLLM_MODELS_CONFIG";
/**
 * Makes a config that was bundled into a standalone binary the default, so the
 * binary needs no file beside it.
 */
export declare function setEmbeddedModelsConfig(config: unknown): void;
/**
 * The path of the `models.json` that ships beside the sources; undefined when the
 * sources are not local files (run from `jsr:` or another URL).
 */
export declare function defaultModelsConfigPath(): string | undefined;
/**
 * Loads and validates the models config: the file named by `RKLLM_MODELS_CONFIG`,
 * else the embedded copy (standalone binary), else `configs/models.json`.
 * A missing or malformed file is a `config` error.
 */
export declare function loadModelsConfig(runtime: Runtime): Promise<ModelsConfig>;
