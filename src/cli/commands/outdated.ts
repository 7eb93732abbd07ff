/**
 * `outdated [query]` and `update [query]`: which local models the Hub has
 * changed since they were downloaded, and downloading the changed files.
 *
 * @module
 */
import { exitCodeFor, ModelManagerError } from "../../errors.ts";
import type { OutdatedReport } from "../../manager/outdated_models.ts";
import { type Command, type CommandContext, HUB_GLOBALS, STORE_GLOBALS } from "../command.ts";
import { formatFittedTable, tableWidth, terminalSafe } from "../format.ts";

/** The exit status of several independent results: 0, or the first failure's. */
function summaryExitCode(errors: (ModelManagerError | undefined)[]): number {
  const failed = errors.find((error) => error !== undefined);
  return failed ? exitCodeFor(failed.code) : 0;
}

/** One line per failed repository (its error), then each distinct hint once. */
function reportFailures(context: CommandContext, errors: ModelManagerError[]): void {
  const { output } = context;
  for (const error of errors) {
    output.err(`${output.style("error:", "red")} ${terminalSafe(error.message)}`);
  }
  for (const hint of new Set(errors.map((error) => error.hint).filter(Boolean))) {
    output.err(`${output.style("hint:", "yellow")} ${terminalSafe(hint)}`);
  }
}

/** The distinct errors of the failed reports, one per repository. */
function repoErrors(reports: OutdatedReport[]): ModelManagerError[] {
  return [...new Set(reports.map((report) => report.error))].filter((error) => error !== undefined);
}

function reportJson(report: OutdatedReport) {
  return {
    name: report.model.name,
    repo: report.model.repo,
    file: report.model.file,
    revision: report.model.revision ?? null,
    latestRevision: report.status === "failed" ? null : report.latestRevision,
    status: report.status,
    changed: report.files.filter((file) => file.status === "changed").map((file) => file.file),
    files: report.files,
    ...(report.error ? { error: report.error.toJSON() } : {}),
  };
}

function statusText(report: OutdatedReport): string {
  if (report.status !== "unknown") return report.status;
  const unknown = report.files.filter((file) => file.status !== "same").map((file) => file.file);
  return `unknown (${unknown.length} not comparable)`;
}

/**
 * The `outdated` command.
 */
export const outdatedCommand: Command = {
  name: "outdated",
  summary: "list local models whose files changed on the Hub",
  action: "compare local models with the Hub",
  usage: "outdated [query] [options]",
  maxArguments: 1,
  globals: [...new Set([...STORE_GLOBALS, ...HUB_GLOBALS, "source"])],
  description:
    "Compares each local file's recorded hash with the Hub's current one for the same path; a new\n" +
    "commit with identical files is not outdated. A hash the Hub masks or that was never recorded is\n" +
    '"unknown". A repository that cannot be read (gated, gone) is "failed", with its error on one\n' +
    "line; the others are still compared, and the exit status is the first failure's.\n" +
    "Update with: rkllm-models update [query]",
  options: {},
  examples: () => ["rkllm-models outdated", "rkllm-models outdated qwen --json"],
  async run(context) {
    const reports = await context.manager().outdatedModels(context.positionals[0]);
    const exitCode = summaryExitCode(reports.map((report) => report.error));
    if (context.json) return { exitCode, json: reports.map(reportJson) };
    if (reports.length === 0) context.output.err("no local models to compare");
    else {
      // The name carries the chip and quantisation; the model file itself shows as "model".
      context.output.out(formatFittedTable(
        ["NAME", "STATUS", "CHANGED"],
        reports.map((report) => [
          report.model.name,
          statusText(report),
          report.files.filter((file) => file.status === "changed")
            .map((file) => file.file === report.model.file ? "model" : file.file)
            .join(", ") || "-",
        ]),
        { width: tableWidth(context.runtime) },
      ));
    }
    reportFailures(context, repoErrors(reports));
    const outdated = reports.filter((report) => report.status === "outdated").length;
    if (outdated > 0) context.output.note(`update with: rkllm-models update`);
    return { exitCode };
  },
};

async function updateOne(context: CommandContext, report: OutdatedReport) {
  const reporter = context.progress();
  let model;
  try {
    model = await context.manager().downloadModel(report.model.repo, report.model.file, {
      signal: context.signal,
      companionFiles: context.config.COMPANION_FILES,
      onProgress: (event) => reporter.handle(event),
    });
  } finally {
    reporter.finish();
  }
  const changed = report.files.filter((file) => file.status === "changed").map((file) => file.file);
  if (!context.json) {
    context.output.out(`updated ${report.model.repo}/${report.model.file}: ${changed.join(", ")}`);
  }
  return { name: model.name, repo: model.repo, file: model.file, path: model.path, changed };
}

/**
 * The `update` command.
 */
export const updateCommand: Command = {
  name: "update",
  summary: "download the files of local models that changed on the Hub",
  action: "update models",
  usage: "update [query] [options]",
  maxArguments: 1,
  globals: [...new Set([...STORE_GLOBALS, ...HUB_GLOBALS, "source", "progress"])],
  description:
    "Downloads, per repository, the files `outdated` reports as changed (the .rkllm file and its\n" +
    "technical and companion files); the old files stay until the new ones are verified. A repository\n" +
    "that fails is one line and the others go on; the exit status is the first failure's.",
  options: {},
  examples: () => ["rkllm-models update", "rkllm-models update qwen --json"],
  async run(context) {
    const reports = await context.manager().outdatedModels(context.positionals[0]);
    const errors = repoErrors(reports);
    const results = [];
    // A repository that fails is reported and the others go on; Ctrl-C stops them all.
    for (const report of reports.filter((item) => item.status === "outdated")) {
      try {
        results.push(await updateOne(context, report));
      } catch (error) {
        if (!(error instanceof ModelManagerError) || error.code === "cancelled") throw error;
        errors.push(error);
        const { name, repo, file } = report.model;
        results.push({ name, repo, file, error: error.toJSON() });
      }
    }
    if (!context.json) {
      reportFailures(context, errors);
      if (results.length === 0 && errors.length === 0) {
        context.output.note("every model is up to date");
      }
    }
    const json = [
      ...results,
      ...reports.filter((report) => report.status === "failed").map((report) => ({
        name: report.model.name,
        repo: report.model.repo,
        file: report.model.file,
        error: report.error!.toJSON(),
      })),
    ];
    return { exitCode: summaryExitCode(errors), json };
  },
};
