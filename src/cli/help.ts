/**
 * Help texts that teach: a usage line, the options, and two real examples.
 *
 * @module
 */
import type { ModelsConfig } from "../config/models_config.ts";
import { VERSION } from "../version.ts";
import type { Command, OptionSpec } from "./command.ts";
import { widthOf, wrapWords } from "./format.ts";

/**
 * A line of help wrapped at spaces to fit `width` columns: a row of a list
 * (`  name  meaning`) continues under its meaning, other text under its indent.
 */
function wrapHelpLine(line: string, width: number): string[] {
  // An example is a command to copy: it stays on one line.
  if (widthOf(line) < width || line.startsWith("  rkllm-models ")) return [line];
  const indent = /^ */.exec(line)![0].length;
  const column = /^ *\S+(?: \S+)*? {2,}(?=\S)/.exec(line)?.[0].length;
  const hanging = column !== undefined && column <= width / 2 ? column : indent;
  const [first, ...rest] = wrapWords(line.slice(hanging), width - 1 - hanging);
  return [
    line.slice(0, hanging) + first,
    ...rest.map((text) => " ".repeat(hanging) + text),
  ];
}

/** Help text wrapped to `width` (no line wraps in the terminal, no word is cut). */
function wrapHelp(lines: string[], width: number | undefined): string {
  if (width === undefined || !Number.isFinite(width)) return lines.join("\n");
  return lines.flatMap((text) => text.split("\n")).flatMap((line) => wrapHelpLine(line, width))
    .join("\n");
}

function optionLines(options: Record<string, OptionSpec>): string[] {
  const entries = Object.entries(options).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : "    "}--${name}${
      spec.valueName ? ` ${spec.valueName}` : ""
    }`;
    return [flag, spec.description];
  });
  const width = Math.max(...entries.map(([flag]) => flag.length));
  return entries.map(([flag, description]) => `  ${flag.padEnd(width)}  ${description}`);
}

/**
 * The environment variables the CLI reads, for the main help.
 */
export const ENVIRONMENT: readonly [string, string][] = [
  [
    "RKLLM_MODELS_DIR",
    "models directory when --dir is not given (then modelsDir of the user config, else ~/.local/share/rkllm-models/models)",
  ],
  ["HF_ENDPOINT", "Hub URL when --endpoint is not given (a mirror, say)"],
  ["RKLLM_PLATFORM", "chip when --platform is not given (any: ignore the board's chip)"],
  ["RKLLM_CONNECTIONS", "parallel connections when --connections is not given"],
  [
    "XDG_CONFIG_HOME",
    "where the user config is: $XDG_CONFIG_HOME/rkllm-models/config.json (default ~/.config)",
  ],
  ["XDG_DATA_HOME", "where the default models directory is (default ~/.local/share)"],
  ["RKLLM_DEVICE_TREE", "the device-tree compatible file that names the board's chip"],
  ["RKLLM_MEMINFO", "the file that states the board's memory (default /proc/meminfo)"],
  ["HF_TOKEN", "access token for gated and private repos, when --token is not given"],
  ["HUGGING_FACE_HUB_TOKEN", "the older name of HF_TOKEN (HF_TOKEN wins)"],
  ["HF_TOKEN_PATH", "file holding the token (default $HF_HOME/token)"],
  ["HF_HOME", "Hugging Face home, for its token file (default ~/.cache/huggingface)"],
  ["MODELSCOPE_ENDPOINT", "ModelScope URL with --source modelscope, when --endpoint is not given"],
  ["MODELSCOPE_API_TOKEN", "ModelScope token with --source modelscope, when --token is not given"],
  [
    "HF_HUB_OFFLINE",
    "1: never use the network; list, info, verify, remove, and download of a complete model still work",
  ],
  [
    "HTTPS_PROXY, HTTP_PROXY",
    "proxy for https:// and http:// requests; NO_PROXY lists hosts to reach directly",
  ],
  ["NO_COLOR", "set and not empty: no colour"],
  ["TERM", "dumb: no colour and no live progress bar"],
  ["RKLLM_MODELS_CONFIG", "another models.json (suggestions and examples)"],
];

/** What help is written from, besides the command(s). */
export interface HelpOptions {
  /** The options every command takes. */
  globalOptions: Record<string, OptionSpec>;
  /** The models config, for the examples. */
  config: ModelsConfig;
  /** The terminal's width: lines are wrapped at spaces to fit it (not when unknown or infinite). */
  width?: number;
}

/**
 * The help of one command.
 */
export function commandHelp(command: Command, options: HelpOptions): string {
  const { globalOptions, config } = options;
  const lines = [`Usage: rkllm-models ${command.usage}`, "", command.summary];
  if (command.aliases?.length) lines.push(`Aliases: ${command.aliases.join(", ")}`);
  // The description is one paragraph, broken for 100 columns: reflowed for the terminal's.
  if (command.description) {
    lines.push(
      "",
      Number.isFinite(options.width)
        ? command.description.replace(/\n/g, " ")
        : command.description,
    );
  }
  if (Object.keys(command.options).length) {
    lines.push("", "Options:", ...optionLines(command.options));
  }
  const globals = command.globals === undefined ? globalOptions : Object.fromEntries(
    Object.entries(globalOptions).filter(([name]) => command.globals!.includes(name)),
  );
  lines.push("", "Global options:", ...optionLines(globals));
  if (Object.keys(globals).length < Object.keys(globalOptions).length) {
    lines.push("  (all global options: rkllm-models --help)");
  }
  lines.push("", "Examples:", ...command.examples(config).map((example) => `  ${example}`));
  return wrapHelp(lines, options.width);
}

/**
 * The help of the whole CLI.
 */
export function mainHelp(commands: readonly Command[], options: HelpOptions): string {
  const { globalOptions, config } = options;
  const names = commands.map((command) =>
    command.aliases?.length ? `${command.name} (${command.aliases.join(", ")})` : command.name
  );
  const width = Math.max(...names.map((name) => name.length));
  const example = config.EXAMPLE_MODEL_FILES[0];
  const envWidth = Math.max(...ENVIRONMENT.map(([name]) => name.length));
  return wrapHelp([
    `rkllm-models ${VERSION}: find, download and manage RKLLM models for Rockchip NPU boards`,
    "",
    "Usage: rkllm-models <command> [arguments] [options]",
    "",
    "Commands:",
    ...commands.map((command, index) => `  ${names[index].padEnd(width)}  ${command.summary}`),
    "",
    "Global options:",
    ...optionLines(globalOptions),
    "",
    "Examples:",
    `  rkllm-models download ${example?.repo ?? "owner/name"} ${example?.file ?? ""}`.trimEnd(),
    "  rkllm-models list",
    "",
    "Environment:",
    ...ENVIRONMENT.map(([name, description]) => `  ${name.padEnd(envWidth)}  ${description}`),
    "",
    "Run rkllm-models <command> --help for a command's options and examples.",
    "User settings: rkllm-models config (flag, then environment, then ~/.config/rkllm-models/config.json, then default).",
    "Exit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 auth/gated, 5 network/offline, 6 integrity, 7 storage, 130 interrupted (a bad --endpoint or user config file is 1).",
  ], options.width);
}
