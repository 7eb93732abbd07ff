/**
 * `verify [query]`: recheck stored models against their records.
 *
 * @module
 */
import type { ModelVerification } from "../../manager/verify_models.ts";
import { type Command, type CommandContext, STORE_GLOBALS } from "../command.ts";
import { shellWord, tableWidth, widthOf, wrapList, wrapWords } from "../format.ts";

/**
 * The `verify` command.
 */
export const verifyCommand: Command = {
  name: "verify",
  summary: "recheck the size and SHA-256 of local models against what was downloaded",
  action: "verify the models",
  usage: "verify [query] [options]",
  maxArguments: 1,
  globals: STORE_GLOBALS,
  description:
    "Exits with 6 when a file is missing, changed, or was never recorded (copied in by hand).",
  options: {},
  examples: (config) => [
    "rkllm-models verify",
    `rkllm-models verify ${
      config.EXAMPLE_MODEL_FILES[0]?.file.replace(/\.rkllm$/, "") ?? "model-name"
    } --json`,
  ],
  async run(context) {
    const repairOf = (verdict: ModelVerification) =>
      verdict.ok ? undefined : repairCommand(verdict, context.values.dir as string | undefined);
    const status = new CheckingLine(context);
    const verdicts = await context.manager().verifyModel(context.positionals[0], {
      onFile: ({ model, file }) => status.show({ repo: model.repo, file }),
      onResult: (verdict) => {
        status.clear();
        if (context.json) return;
        const width = tableWidth(context.runtime) - 1;
        context.output.out(resultLines(verdict, width));
        const repair = repairOf(verdict);
        if (repair) context.output.out(repairLines(repair, width));
      },
    }).finally(() => status.clear());
    const ok = verdicts.every((verdict) => verdict.ok);
    if (!context.json && verdicts.length === 0) context.output.err("no models to verify");
    return {
      exitCode: ok ? 0 : 6,
      json: verdicts.map((verdict) => ({
        name: verdict.model.name,
        repo: verdict.model.repo,
        file: verdict.model.file,
        ok: verdict.ok,
        checkedBySizeOnly: verdict.sizeOnly,
        files: verdict.files,
        ...(verdict.ok ? {} : { repair: repairOf(verdict) }),
      })),
    };
  },
};

/**
 * What is being checked, on one line of a live terminal rewritten in place and
 * cleared before each result; nothing elsewhere (a log gets the results only).
 */
class CheckingLine {
  readonly #context: CommandContext;
  #count = 0;
  #shown = false;

  constructor(context: CommandContext) {
    this.#context = context;
  }

  /** Shows the file now being checked. */
  show(checked: { repo: string; file: string }): void {
    const { repo, file } = checked;
    const { output, runtime } = this.#context;
    this.#count++;
    if (!output.live || output.quiet) return;
    const columns = runtime.columns() ?? 80;
    const count = `checking file ${this.#count}`;
    // A status line must not wrap (it is rewritten in place): a name only when it fits.
    const text =
      [`${count}: ${repo}/${file}`, `${count}: ${file}`, count].find((line) =>
        widthOf(line) < columns
      ) ?? "";
    output.errRaw(`\r\x1b[K${text}`);
    this.#shown = true;
  }

  /** Removes the line, before a result or at the end. */
  clear(): void {
    if (this.#shown) this.#context.output.errRaw("\r\x1b[K");
    this.#shown = false;
  }
}

/** Full hashes shortened to 12 hex digits for people (`--json` keeps them whole). */
function shortHashes(text: string): string {
  return text.replace(/\b([0-9a-f]{12})[0-9a-f]{4,}\b/g, "$1…");
}

/**
 * `ok    <name>` or `FAIL  <name>`, the name whole (file name without `.rkllm`,
 * which carries the chip and quantisation), then one indented line per problem
 * (the model file itself as `model`).
 */
function resultLines(verdict: ModelVerification, width: number): string {
  const lines = [`${verdict.ok ? "ok  " : "FAIL"}  ${verdict.model.name}`];
  for (const file of verdict.files.filter((item) => item.status !== "ok")) {
    const detail = `: ${file.status}${file.detail ? ` ${shortHashes(file.detail)}` : ""}`;
    // The model file is the name above; a name stays whole, the detail wraps after it.
    const name = file.file === verdict.model.file ? "model" : file.file;
    lines.push(...wrapWords(`${name}${detail}`, width - 6).map((line) => `      ${line}`));
  }
  if (verdict.sizeOnly.length > 0) {
    const files = verdict.sizeOnly.map((file) => file === verdict.model.file ? "model" : file);
    lines.push(wrapList("checked by size only", files, { width, indent: 6 }));
  }
  return lines.join("\n");
}

/** `  repair with: <command>`, the command continued over lines with `\` when it is too wide. */
function repairLines(command: string, width: number): string {
  const line = `  repair with: ${command}`;
  if (line.length <= width) return line;
  const words = command.split(" ");
  const lines = ["  repair with:"];
  let current = "    ";
  for (const word of words) {
    if (current.trim() !== "" && current.length + 1 + word.length + 2 > width) {
      lines.push(`${current} \\`);
      current = "      ";
    }
    current = current.trim() === "" ? `${current}${word}` : `${current} ${word}`;
  }
  lines.push(current);
  return lines.join("\n");
}

/** The command that downloads again exactly what failed (the record marks those files). */
function repairCommand(verdict: ModelVerification, dir: string | undefined): string {
  const dirFlag = dir === undefined ? "" : ` --dir ${shellWord(dir)}`;
  return `rkllm-models download ${verdict.model.repo} ${shellWord(verdict.model.file)}${dirFlag}`;
}
