/**
 * The shape of a CLI command and what it is given to run.
 *
 * @module
 */
import type { ModelsConfig } from "../config/models_config.ts";
import type { UserConfig } from "../config/user_config.ts";
import type { ModelManager } from "../model_manager.ts";
import type { Runtime } from "../runtime/runtime.ts";
import type { Output } from "./output.ts";
import type { ProgressReporter } from "./progress.ts";

/**
 * The global options of a command that reads or writes the store.
 */
export const STORE_GLOBALS: readonly string[] = ["dir", "json", "quiet", "help"];

/**
 * The global options of a command that talks to the Hub.
 */
export const HUB_GLOBALS: readonly string[] = [
  "endpoint",
  "token",
  "retries",
  "idle-timeout",
  "json",
  "quiet",
  "help",
];

/** One command-line option. */
export interface OptionSpec {
  /** `string` takes a value; `boolean` is a flag. */
  type: "string" | "boolean";
  /** A one-letter alias. */
  short?: string;
  /** What it does, for help. */
  description: string;
  /** The value's name in help (`N`, `DIR`). */
  valueName?: string;
}

/** What a command runs with. */
export interface CommandContext {
  runtime: Runtime;
  /** Where to write. */
  output: Output;
  /** `configs/models.json`. */
  config: ModelsConfig;
  /** Parsed option values. */
  values: Record<string, string | boolean | undefined>;
  /** Positional arguments after the command. */
  positionals: string[];
  /** `--json`: print exactly one JSON document on stdout. */
  json: boolean;
  /** Whether a person can answer questions (stdin and stderr are terminals). */
  interactive: boolean;
  /** Cancelled on Ctrl-C. */
  signal: AbortSignal;
  /** The manager configured from the global options. */
  manager(): ModelManager;
  /** The user config file's settings (read on first use). */
  userConfig(): UserConfig;
  /** The progress reporter chosen by `--quiet` / `--progress` and the terminal. */
  progress(): ProgressReporter;
}

/** A CLI command. */
export interface Command {
  /** The name typed. */
  name: string;
  aliases?: string[];
  /** One line for the command list. */
  summary: string;
  /** What it does as a lower-case verb phrase, the start of its error messages ("download a model"). */
  action: string;
  /** The usage line after `rkllm-models`. */
  usage: string;
  /** A paragraph for its help. */
  description?: string;
  /** The most positional arguments it takes (`Infinity` for free text). */
  maxArguments: number;
  /** Its own options (the global ones are added). */
  options: Record<string, OptionSpec>;
  /** At least two real examples, from `configs/models.json`. */
  examples(config: ModelsConfig): string[];
  /**
   * The global options that matter to this command, which its help lists;
   * see {@linkcode STORE_GLOBALS} and {@linkcode HUB_GLOBALS}.
   */
  globals?: readonly string[];
  /** Runs; answers the exit status, and the JSON document for `--json`. */
  run(context: CommandContext): Promise<{ exitCode: number; json?: unknown }>;
}

/** The signals that stop a command, saving its progress and releasing its locks. */
export type StopSignal = "SIGINT" | "SIGTERM";

/**
 * The abort reason of a command stopped by a signal: an `AbortError` that says which one,
 * so the command words its last line without reading the message.
 */
export class StopRequest extends DOMException {
  readonly stopSignal: StopSignal;

  constructor(stopSignal: StopSignal) {
    super(stopSignal === "SIGTERM" ? "terminated" : "interrupted", "AbortError");
    this.stopSignal = stopSignal;
  }
}
