/**
 * `verify [query]`: recheck stored models against their records.
 *
 * @module
 */
import type { ModelVerification } from "../../manager/verify_models.ts";
import { type Command, STORE_GLOBALS } from "../command.ts";

/**
 * The `verify` command.
 *
 * @example
 * ```ts
 * import { verifyCommand } from "./verify.ts";
 * console.log(verifyCommand.usage);
 * ```
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
    const verdicts = await context.manager().verifyModel(context.positionals[0], {
      onFile: ({ model, file }) => context.output.note(`checking ${model.repo}/${file}`),
      onResult: (verdict) => {
        if (context.json) return;
        context.output.out(resultLine(verdict));
        const repair = repairOf(verdict);
        if (repair) context.output.out(`  repair with: ${repair}`);
      },
    });
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

function resultLine(verdict: ModelVerification): string {
  const problems = verdict.files.filter((file) => file.status !== "ok");
  const notes = problems.map((file) =>
    `${file.file}: ${file.status}${file.detail ? ` ${file.detail}` : ""}`
  );
  if (verdict.sizeOnly.length > 0) {
    notes.push(`checked by size only: ${verdict.sizeOnly.join(", ")}`);
  }
  return `${verdict.ok ? "ok  " : "FAIL"}  ${verdict.model.repo}/${verdict.model.file}${
    notes.length ? `  (${notes.join("; ")})` : ""
  }`;
}

/** The command that downloads again exactly what failed (the record marks those files). */
function repairCommand(verdict: ModelVerification, dir: string | undefined): string {
  const dirFlag = dir === undefined ? "" : ` --dir ${shellQuote(dir)}`;
  return `rkllm-models download ${verdict.model.repo} ${shellQuote(verdict.model.file)}${dirFlag}`;
}

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
