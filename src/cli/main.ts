/**
 * The CLI: parses the command line, runs a command, prints its result (or one
 * JSON document with `--json`) and maps errors to exit statuses.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { loadModelsConfig, type ModelsConfig } from "../config/models_config.ts";
import {
  cancelledError,
  errorSignals,
  exitCodeFor,
  isAbortError,
  ModelManagerError,
} from "../errors.ts";
import { ModelManager } from "../model_manager.ts";
import { modelsDirSetting, type SettingSource } from "../config/settings.ts";
import { readUserConfig, type UserConfig } from "../config/user_config.ts";
import { legacyStoreNote } from "./store_note.ts";
import { envProxyFetch } from "./env_proxy.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { VERSION } from "../version.ts";
import {
  type Command,
  type CommandContext,
  type OptionSpec,
  StopRequest,
  type StopSignal,
} from "./command.ts";
import { cleanCommand } from "./commands/clean.ts";
import { configCommand } from "./commands/config.ts";
import { createCompletionCommand } from "./commands/completion.ts";
import { outdatedCommand, updateCommand } from "./commands/outdated.ts";
import { downloadCommand } from "./commands/download.ts";
import { filesCommand } from "./commands/files.ts";
import { infoCommand } from "./commands/info.ts";
import { listCommand } from "./commands/list.ts";
import { removeCommand } from "./commands/remove.ts";
import { searchCommand } from "./commands/search.ts";
import { serveCommand } from "./commands/serve.ts";
import { exportCommand } from "./commands/export.ts";
import { importCommand } from "./commands/import.ts";
import { verifyCommand } from "./commands/verify.ts";
import { commandHelp, mainHelp } from "./help.ts";
import { tableWidth } from "./format.ts";
import { formatRetry, terminalSafe } from "./format.ts";
import { wholeNumber } from "./option_values.ts";
import { Output } from "./output.ts";
import { createProgressReporter, type ProgressMode, type ProgressReporter } from "./progress.ts";
import { VariantChoiceError } from "./variants.ts";
import { closestMatch } from "./suggest.ts";

/**
 * Every command, in the order help lists them.
 */
export const COMMANDS: readonly Command[] = [
  downloadCommand,
  listCommand,
  infoCommand,
  filesCommand,
  searchCommand,
  verifyCommand,
  outdatedCommand,
  updateCommand,
  removeCommand,
  cleanCommand,
  serveCommand,
  exportCommand,
  importCommand,
  configCommand,
  createCompletionCommand(() => ({ commands: COMMANDS, globals: GLOBAL_OPTIONS })),
];

/**
 * The options every command takes.
 */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  dir: {
    type: "string",
    description:
      "models directory (default: $RKLLM_MODELS_DIR, modelsDir in the user config, else ~/.local/share/rkllm-models/models)",
    valueName: "DIR",
  },
  endpoint: {
    type: "string",
    description:
      "Hub URL (default: $HF_ENDPOINT, endpoint in the user config, else https://huggingface.co)",
    valueName: "URL",
  },
  token: {
    type: "string",
    description:
      "Hugging Face token (default: $HF_TOKEN, $HUGGING_FACE_HUB_TOKEN, $HF_TOKEN_PATH, $HF_HOME/token); with --source modelscope, a ModelScope token (default: $MODELSCOPE_API_TOKEN)",
    valueName: "TOKEN",
  },
  source: {
    type: "string",
    description:
      "where repositories come from: huggingface (default) or modelscope (endpoint: $MODELSCOPE_ENDPOINT, else https://www.modelscope.cn)",
    valueName: "NAME",
  },
  json: { type: "boolean", description: "print exactly one JSON document on stdout" },
  retries: {
    type: "string",
    description: "retries of a failed request before giving up (default 4)",
    valueName: "N",
  },
  "idle-timeout": {
    type: "string",
    description:
      "seconds without an answer or data before a request (Hub API or file) is retried (default 30)",
    valueName: "S",
  },
  quiet: {
    type: "boolean",
    short: "q",
    description: "no progress or other notes on stderr (errors still show)",
  },
  progress: {
    type: "string",
    description:
      "progress on stderr: auto (a bar on a terminal, else plain), bar, plain, json (NDJSON) or none",
    valueName: "STYLE",
  },
  help: { type: "boolean", short: "h", description: "show help" },
  version: { type: "boolean", short: "V", description: "show the version" },
};

/** The exit status after each stop signal: 128 + its number, as a shell reports it. */
const STOP_STATUS: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

/** The commands that read the store, which note an old ./models store left behind. */
const STORE_COMMANDS = [
  "download",
  "list",
  "info",
  "verify",
  "remove",
  "clean",
  "outdated",
  "update",
];

/** A models directory that is a file would read as an empty store: say what it is instead. */
async function requireDirectory(
  runtime: Runtime,
  setting: { value: string; source: SettingSource },
): Promise<void> {
  const stat = await runtime.stat(setting.value).catch(() => undefined);
  if (!stat || stat.isDirectory) return;
  throw new ModelManagerError(
    setting.source === "option" ? "usage" : "config",
    `the models directory ${setting.value} is a file, not a directory`,
    { hint: "give a directory with --dir (it is created when needed)" },
  );
}

function findCommand(name: string): Command | undefined {
  return COMMANDS.find((command) => command.name === name || command.aliases?.includes(name));
}

/** Where the command name is: the first argument that is neither an option nor a global option's value. */
function commandIndex(args: string[]): number {
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === "--") return index + 1 < args.length ? index + 1 : -1;
    if (!arg.startsWith("-")) return index;
    const name = arg.replace(/^-+/, "");
    const spec = GLOBAL_OPTIONS[name] ??
      Object.values(GLOBAL_OPTIONS).find((option) => option.short === name);
    if (spec?.type === "string" && !arg.includes("=")) index++;
  }
  return -1;
}

function usageError(message: string, hint: string): ModelManagerError {
  return new ModelManagerError("usage", message, { hint });
}

function parseCommandLine(command: Command | undefined, args: string[]) {
  const specs = { ...GLOBAL_OPTIONS, ...(command?.options ?? {}) };
  const options = Object.fromEntries(
    Object.entries(specs).map((
      [name, spec],
    ) => [name, spec.short ? { type: spec.type, short: spec.short } : { type: spec.type }]),
  );
  // The parser's own errors differ only in their wording: read its tokens and name the problem.
  const { tokens } = parseArgs({
    args,
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const problem = optionProblem(token, { specs, command });
    if (problem) throw problem;
  }
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    const first = String(error instanceof Error ? error.message : error).split("\n")[0];
    throw usageError(
      `invalid command line: ${first.replace(/\.$/, "").replace(/^./, (c) => c.toLowerCase())}`,
      helpFor(command),
    );
  }
}

function helpFor(command: Command | undefined): string {
  return `see: rkllm-models ${command?.name ?? ""} --help`.replace("  ", " ");
}

/** What is wrong with one option of the command line, in our words, or `undefined`. */
function optionProblem(
  token: { name: string; rawName: string; value?: string; inlineValue?: boolean },
  where: { specs: Record<string, OptionSpec>; command?: Command },
): ModelManagerError | undefined {
  const spec = Object.hasOwn(where.specs, token.name) ? where.specs[token.name] : undefined;
  const isShort = !token.rawName.startsWith("--");
  if (!spec || (isShort && spec.short !== token.rawName.slice(1))) {
    const names = Object.keys(where.specs).map((name) => `--${name}`);
    const suggestion = closestMatch(token.rawName, names);
    return usageError(
      `unknown option ${token.rawName}${where.command ? ` for ${where.command.name}` : ""}`,
      suggestion ? `did you mean ${suggestion}? (see --help)` : helpFor(where.command),
    );
  }
  const long = `--${token.name}`;
  const valueName = spec.valueName ?? "VALUE";
  if (spec.type === "boolean") {
    return token.value === undefined
      ? undefined
      : usageError(`${long} takes no value`, `write ${long} alone (${helpFor(where.command)})`);
  }
  if (token.value === undefined) {
    return usageError(
      `missing value for ${long}`,
      `give it as ${long} ${valueName} (${helpFor(where.command)})`,
    );
  }
  if (!token.inlineValue && token.value.length > 1 && token.value.startsWith("-")) {
    return usageError(
      `missing value for ${long}: "${token.value}" is an option`,
      `give the value right after it (${long} ${valueName}), or write ${long}=${token.value} for a value that starts with a dash`,
    );
  }
  return undefined;
}

/** Refuses an empty option value (`--dir=`) and a command word taken as a value (`--dir list`). */
function checkOptionValues(
  values: Record<string, string | boolean | undefined>,
  command: Command | undefined,
): void {
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== "string") continue;
    if (value.trim() === "") {
      throw usageError(`missing value for --${name}: it is empty`, `give it as --${name}=VALUE`);
    }
    if (!command && findCommand(value)) {
      throw usageError(
        `missing value for --${name}: "${value}" is a command`,
        `give the value after the option, e.g. rkllm-models ${value} --${name} VALUE`,
      );
    }
  }
}

function progressMode(
  values: Record<string, string | boolean | undefined>,
  output: Output,
): ProgressMode {
  if (values.quiet === true) return "none";
  const asked = (values.progress as string | undefined) ?? "auto";
  if (!["auto", "bar", "plain", "json", "none"].includes(asked)) {
    throw usageError(
      `invalid --progress "${asked}": expected auto, bar, plain, json or none`,
      "for example --progress=json",
    );
  }
  if (asked === "auto") return output.live ? "bar" : "plain";
  if (asked === "bar" && !output.live) return "plain";
  return asked as ProgressMode;
}

/** What one run of the CLI shares: where it writes, what stops it, the command it found. */
interface Session {
  runtime: Runtime;
  output: Output;
  signal: AbortSignal;
  /** The command the command line names, once known (its error report mentions it). */
  command?: Command;
}

/** A command line read: the models config, the options and arguments, the progress style. */
interface Invocation {
  config: ModelsConfig;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  mode: ProgressMode;
}

/** How the CLI answers Ctrl-C and SIGTERM while a command runs. */
interface StopHandling {
  /** Aborted by the first stop signal. */
  signal: AbortSignal;
  /** The exit status once a command ended with `status`. */
  statusAfter: (status: number) => number;
  /** Stops listening. */
  remove: () => void;
}

/** The first stop signal aborts the running command; a second one exits at once. */
function listenForStops(runtime: Runtime): StopHandling {
  const controller = new AbortController();
  let stoppedBy: StopSignal | undefined;
  const stop = (signal: StopSignal) => () => {
    if (stoppedBy) runtime.exit(STOP_STATUS[signal]);
    stoppedBy = signal;
    // No note here: it would land between progress frames; the command says what was kept.
    controller.abort(new StopRequest(signal));
  };
  const stopListening = [
    runtime.onInterrupt(stop("SIGINT")),
    runtime.onTerminate(stop("SIGTERM")),
  ];
  return {
    signal: controller.signal,
    // A cancelled command stopped by SIGTERM ends as a process killed by it would: 143.
    statusAfter: (status) =>
      stoppedBy && status === STOP_STATUS.SIGINT ? STOP_STATUS[stoppedBy] : status,
    remove: () => stopListening.forEach((removeListener) => removeListener()),
  };
}

/**
 * Runs the CLI with `args` and answers the exit status.
 */
export async function runCli(args: string[], runtime: Runtime): Promise<number> {
  const output = new Output(runtime);
  const wantsJson = args.includes("--json");
  const stops = listenForStops(runtime);
  const session: Session = { runtime, output, signal: stops.signal };
  try {
    return stops.statusAfter(await runCommandLine(session, args));
  } catch (error) {
    const { command } = session;
    return stops.statusAfter(
      reportError(explained(error, command), output, wantsJson, runtime, command),
    );
  } finally {
    stops.remove();
    await output.flush();
  }
}

/** Reads the command line and runs what it asks for: help, the version, or a command. */
async function runCommandLine(session: Session, args: string[]): Promise<number> {
  const { runtime, output } = session;
  const config = await loadModelsConfig(runtime);
  const nameIndex = commandIndex(args);
  const name = nameIndex === -1 ? undefined : args[nameIndex];
  const command = name === undefined ? undefined : findCommand(name);
  session.command = command;
  if (name !== undefined && !command && name !== "help") throw unknownCommand(name);
  const rest = args.filter((_, index) => index !== nameIndex);
  if (name === "help") {
    const topic = rest.find((arg) => !arg.startsWith("-"));
    const helped = topic === undefined ? undefined : findCommand(topic);
    if (topic !== undefined && !helped) throw unknownCommand(topic);
    output.out(helpText(helped, { config, width: tableWidth(runtime) }));
    return 0;
  }
  const { values, positionals } = parseCommandLine(command, rest);
  checkOptionValues(values, command);
  if (values.version) {
    const wantsJson = args.includes("--json");
    output.out(wantsJson ? JSON.stringify({ version: VERSION }) : `rkllm-models ${VERSION}`);
    return 0;
  }
  if (values.help || !command) {
    output.out(helpText(command, { config, width: tableWidth(runtime) }));
    return command || values.help ? 0 : 2;
  }
  if (positionals.length > command.maxArguments) {
    throw usageError(
      `${command.action}: unexpected argument "${positionals[command.maxArguments]}"`,
      `usage: rkllm-models ${command.usage} (see: rkllm-models ${command.name} --help)`,
    );
  }
  const mode = progressMode(values, output);
  // NDJSON on stderr stays parseable: no plain notes between the events.
  output.quiet = values.quiet === true || mode === "json";
  return await runCommand(command, commandContext(session, { config, values, positionals, mode }));
}

/** The help of `command`, or of the whole CLI, wrapped at words to `width`. */
function helpText(
  command: Command | undefined,
  read: { config: ModelsConfig; width: number },
): string {
  const options = { globalOptions: GLOBAL_OPTIONS, ...read };
  return command ? commandHelp(command, options) : mainHelp(COMMANDS, options);
}

/** Runs `command` (noting an old store first for those that read it) and prints its JSON. */
async function runCommand(command: Command, context: CommandContext): Promise<number> {
  const { runtime, output, values } = context;
  if (STORE_COMMANDS.includes(command.name)) {
    const setting = modelsDirSetting(runtime, values.dir as string | undefined, {
      userConfig: context.userConfig(),
    });
    await requireDirectory(runtime, setting);
    const note = await legacyStoreNote(runtime, setting);
    if (note) output.note(note);
  }
  const result = await command.run(context);
  if (context.json) output.out(JSON.stringify(result.json ?? null, null, 2));
  return result.exitCode;
}

/** What a command gets: the parsed command line and the user config and manager, made when asked. */
function commandContext(session: Session, invocation: Invocation): CommandContext {
  const { runtime, output, signal } = session;
  const { config, values, positionals, mode } = invocation;
  // Read now, so that a bad --retries or proxy setting fails every command alike.
  const proxiedFetch = envProxyFetch(runtime);
  const retries = wholeNumber(values.retries, "--retries", { min: 0, max: 100, fallback: 4 });
  let userConfig: UserConfig | undefined;
  const readConfig = () => userConfig ??= readUserConfig(runtime);
  let manager: ModelManager | undefined;
  let reporter: ProgressReporter | undefined;
  return {
    runtime,
    output,
    config,
    values,
    positionals,
    json: values.json === true,
    interactive: runtime.isTTY("stdin") && runtime.isTTY("stderr"),
    signal,
    userConfig: readConfig,
    manager: () =>
      manager ??= createManager(session, {
        values,
        mode,
        userConfig: readConfig(),
        proxiedFetch,
        retries,
      }),
    progress: () =>
      reporter ??= createProgressReporter(mode, output, { columns: runtime.columns() }),
  };
}

/** What the manager is made from, besides the session. */
interface ManagerSettings extends Pick<Invocation, "values" | "mode"> {
  userConfig: UserConfig;
  /** The fetch that goes through the proxy of the environment, if one is set. */
  proxiedFetch: ReturnType<typeof envProxyFetch>;
  /** `--retries`, read. */
  retries: number;
}

/** The manager the command line asks for. */
function createManager(session: Session, settings: ManagerSettings): ModelManager {
  const { runtime, output, signal } = session;
  const { values, mode, proxiedFetch, retries } = settings;
  return new ModelManager({
    runtime,
    userConfig: settings.userConfig,
    modelsDir: values.dir as string | undefined,
    source: values.source as string | undefined,
    endpoint: values.endpoint as string | undefined,
    token: values.token as string | undefined,
    signal,
    ...(proxiedFetch ? { fetch: proxiedFetch } : {}),
    retry: { attempts: retries + 1 },
    ...timeouts(values),
    onRetry: (event) => {
      if (mode === "json") return;
      output.note(formatRetry(event));
    },
    onWarning: (message) =>
      output.err(
        mode === "json" ? JSON.stringify({ event: "warning", message }) : `warning: ${message}`,
      ),
  });
}

/** `--idle-timeout`: the one request timeout, for file bodies and Hub API requests alike. */
function timeouts(
  values: Record<string, string | boolean | undefined>,
): { idleTimeoutMs: number; requestTimeoutMs: number } {
  const ms =
    wholeNumber(values["idle-timeout"], "--idle-timeout", { min: 1, max: 86_400, fallback: 30 }) *
    1000;
  return { idleTimeoutMs: ms, requestTimeoutMs: ms };
}

function unknownCommand(name: string): ModelManagerError {
  const suggestion = closestMatch(
    name,
    COMMANDS.flatMap((item) => [item.name, ...(item.aliases ?? [])]),
  );
  return usageError(
    `unknown command "${name}"`,
    suggestion
      ? `did you mean "rkllm-models ${suggestion}"? (see rkllm-models --help)`
      : "see: rkllm-models --help",
  );
}

/** Says which command needed the Hub when offline mode stopped a request. */
function explained(error: unknown, command: Command | undefined): unknown {
  if (!(error instanceof ModelManagerError) || error.code !== "offline" || !command) return error;
  // Only a refused request is reworded; an offline answer about local files says it all.
  if (!errorSignals(error).offlineRefusal) return error;
  return new ModelManagerError(
    "offline",
    `${command.action}: the Hub is needed, but HF_HUB_OFFLINE is set, so no request was sent`,
    { hint: error.hint, cause: error, repo: error.repo, file: error.file, status: error.status },
  );
}

function reportError(
  thrown: unknown,
  output: Output,
  json: boolean,
  runtime: Runtime,
  command: Command | undefined,
): number {
  // An abort that escaped as a raw DOMException is still the user's Ctrl-C, not a bug.
  const error = isAbortError(thrown) ? cancelledError(thrown) : thrown;
  const known = error instanceof ModelManagerError;
  // Every error says what to do next, if only where to read more.
  const fallbackHint = `see: rkllm-models ${command ? `${command.name} ` : ""}--help`;
  const message = error instanceof Error ? error.message : String(error);
  const variants = error instanceof VariantChoiceError ? error.variants : undefined;
  const listing = error instanceof VariantChoiceError ? error.listing : undefined;
  const document = known
    ? {
      ...error.toJSON(),
      hint: error.hint || fallbackHint,
      ...(variants ? { variants } : {}),
    }
    : {
      code: "internal",
      message,
      hint: "this is a bug: run again with RKLLM_DEBUG=1 and report the output",
    };
  if (json) {
    output.out(JSON.stringify({ error: document }, null, 2));
  } else {
    // Messages and hints may quote the Hub: nothing it says reaches the terminal raw.
    const message = terminalSafe(document.message.replace(/\s*\n\s*/g, "; "));
    output.err(`${output.style("error:", "red")} ${message}`);
    listing?.forEach((line) => output.err(terminalSafe(line)));
    if (document.hint) {
      output.err(`${output.style("hint:", "yellow")} ${terminalSafe(document.hint)}`);
    }
    if (!known && runtime.env("RKLLM_DEBUG") && error instanceof Error) {
      output.err(error.stack ?? "");
    }
  }
  return known ? exitCodeFor(error.code) : 1;
}
