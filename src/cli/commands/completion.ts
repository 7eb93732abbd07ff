/**
 * `completion bash|zsh|fish`: prints a shell completion script for the
 * commands, their options and the names of local models.
 *
 * @module
 */
import { ModelManagerError } from "../../errors.ts";
import type { Command, OptionSpec } from "../command.ts";

const SHELLS = ["bash", "zsh", "fish"];

/** The commands whose argument is a local model's name. */
const MODEL_COMMANDS = ["info", "verify", "remove", "outdated", "update"];

/** Local model names, from `list --json` at completion time (one a line). */
const MODEL_NAMES_SH =
  `rkllm-models list --json 2>/dev/null | sed -n 's/^    "name": "\\(.*\\)",\\{0,1\\}$/\\1/p'`;

interface Catalogue {
  commands: readonly Command[];
  globals: Record<string, OptionSpec>;
}

function namesOf(command: Command): string[] {
  return [command.name, ...(command.aliases ?? [])];
}

function optionsOf(command: Command, globals: Record<string, OptionSpec>): string[] {
  const global = Object.keys(globals).filter((name) =>
    command.globals === undefined || command.globals.includes(name)
  );
  return [...Object.keys(command.options), ...global].map((name) => `--${name}`);
}

function modelCommandNames(catalogue: Catalogue): string[] {
  return catalogue.commands.filter((command) => MODEL_COMMANDS.includes(command.name))
    .flatMap(namesOf);
}

function bashScript(catalogue: Catalogue): string {
  const cases = catalogue.commands.map((command) =>
    `    ${namesOf(command).join("|")}) options="${
      optionsOf(command, catalogue.globals).join(" ")
    }" ;;`
  );
  return [
    '# rkllm-models completion for bash: eval "$(rkllm-models completion bash)"',
    "_rkllm_models() {",
    '  local cur="${COMP_WORDS[COMP_CWORD]}" options=""',
    '  if [ "$COMP_CWORD" -eq 1 ]; then',
    `    COMPREPLY=( $(compgen -W "${
      catalogue.commands.flatMap(namesOf).join(" ")
    } --help --version" -- "$cur") )`,
    "    return",
    "  fi",
    '  case "${COMP_WORDS[1]}" in',
    ...cases,
    "  esac",
    '  case "$cur" in',
    '    -*) COMPREPLY=( $(compgen -W "$options" -- "$cur") ); return ;;',
    "  esac",
    '  case "${COMP_WORDS[1]}" in',
    `    ${modelCommandNames(catalogue).join("|")})`,
    `      COMPREPLY=( $(compgen -W "$(${MODEL_NAMES_SH})" -- "$cur") ) ;;`,
    "  esac",
    "}",
    "complete -F _rkllm_models rkllm-models",
    "",
  ].join("\n");
}

function zshScript(catalogue: Catalogue): string {
  return [
    "#compdef rkllm-models",
    '# rkllm-models completion for zsh: eval "$(rkllm-models completion zsh)"',
    "autoload -U +X bashcompinit && bashcompinit",
    bashScript(catalogue).split("\n").slice(1).join("\n"),
  ].join("\n");
}

function fishQuote(text: string): string {
  return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

function fishScript(catalogue: Catalogue): string {
  const lines = [
    "# rkllm-models completion for fish: rkllm-models completion fish | source",
    "complete -c rkllm-models -f",
  ];
  for (const command of catalogue.commands) {
    for (const name of namesOf(command)) {
      lines.push(
        `complete -c rkllm-models -n __fish_use_subcommand -a ${name} -d ${
          fishQuote(command.summary)
        }`,
      );
    }
    const when = `"__fish_seen_subcommand_from ${namesOf(command).join(" ")}"`;
    const specs = { ...command.options, ...catalogue.globals };
    for (const option of optionsOf(command, catalogue.globals)) {
      const spec = specs[option.slice(2)];
      lines.push(
        `complete -c rkllm-models -n ${when} -l ${option.slice(2)}${
          spec.type === "string" ? " -r" : ""
        } -d ${fishQuote(spec.description)}`,
      );
    }
  }
  lines.push(
    `complete -c rkllm-models -n "__fish_seen_subcommand_from ${
      modelCommandNames(catalogue).join(" ")
    }" -a "(rkllm-models list --json 2>/dev/null | string match -r -g '^    \\"name\\": \\"(.*)\\",?\\$')"`,
    "",
  );
  return lines.join("\n");
}

/**
 * The `completion` command, over the commands and global options it completes (read
 * when it runs, so that it lists itself and every command registered after it).
 */
export function createCompletionCommand(catalogue: () => Catalogue): Command {
  return {
    name: "completion",
    summary: "print a shell completion script (bash, zsh or fish)",
    action: "print a completion script",
    usage: "completion <bash|zsh|fish>",
    maxArguments: 1,
    globals: ["help"],
    description: "Completes commands, options and the names of local models. Install it with:\n" +
      "  bash: echo 'eval \"$(rkllm-models completion bash)\"' >> ~/.bashrc\n" +
      "  zsh:  echo 'eval \"$(rkllm-models completion zsh)\"' >> ~/.zshrc\n" +
      "  fish: rkllm-models completion fish > ~/.config/fish/completions/rkllm-models.fish",
    options: {},
    examples: () => ["rkllm-models completion bash", "rkllm-models completion fish"],
    run(context) {
      const shell = context.positionals[0];
      if (!shell || !SHELLS.includes(shell)) {
        throw new ModelManagerError(
          "usage",
          shell ? `unknown shell "${shell}"` : "missing the shell to complete for",
          { hint: "give bash, zsh or fish, e.g. rkllm-models completion bash" },
        );
      }
      const script = shell === "bash"
        ? bashScript(catalogue())
        : shell === "zsh"
        ? zshScript(catalogue())
        : fishScript(catalogue());
      context.output.out(script.trimEnd());
      return Promise.resolve({ exitCode: 0 });
    },
  };
}
