/**
 * `verify [query]`: recheck stored models against their records.
 *
 * @module
 */
import type { Command } from "../command.ts";

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
    const verdicts = await context.manager().verifyModel(context.positionals[0]);
    const ok = verdicts.every((verdict) => verdict.ok);
    if (!context.json) {
      if (verdicts.length === 0) context.output.err("no models to verify");
      for (const verdict of verdicts) {
        const problems = verdict.files.filter((file) => file.status !== "ok");
        const notes = problems.map((file) =>
          `${file.file}: ${file.status}${file.detail ? ` ${file.detail}` : ""}`
        );
        if (verdict.sizeOnly.length > 0) {
          notes.push(`checked by size only: ${verdict.sizeOnly.join(", ")}`);
        }
        context.output.out(
          `${verdict.ok ? "ok  " : "FAIL"}  ${verdict.model.repo}/${verdict.model.file}${
            notes.length ? `  (${notes.join("; ")})` : ""
          }`,
        );
      }
    }
    return {
      exitCode: ok ? 0 : 6,
      json: verdicts.map((verdict) => ({
        name: verdict.model.name,
        repo: verdict.model.repo,
        file: verdict.model.file,
        ok: verdict.ok,
        checkedBySizeOnly: verdict.sizeOnly,
        files: verdict.files,
      })),
    };
  },
};
