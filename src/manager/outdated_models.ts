/**
 * Which local models differ from the Hub: each file's recorded hash against
 * the hash the Hub states now for the same path at the default revision. A
 * new commit with identical files is not outdated; a hash missing on either
 * side (masked, or never recorded) is "unknown".
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import { identityOfFile } from "../store/partial_state.ts";
import type { RepoFile } from "../hub/list_files.ts";
import { parseRepoId } from "../hub/repo_id.ts";
import { huggingFaceSource } from "../source/hugging_face_source.ts";
import type { RepoSource } from "../source/repo_source.ts";
import { type ModelInfo, scanStore } from "../store/model_catalog.ts";
import { requireModel } from "../store/model_query.ts";
import { type FileRecord, readRepoRecord } from "../store/registry.ts";
import type { StoreContext } from "./store_context.ts";

/** How one local file compares with the Hub's. */
export type FileFreshness = "same" | "changed" | "unknown" | "gone";

/** One local model against the Hub. */
export interface OutdatedReport {
  /** The local model. */
  model: ModelInfo;
  /** The commit the Hub's default revision points at now. */
  latestRevision: string;
  /**
   * `outdated` when a file changed; `unknown` when none changed but some cannot be compared
   * (a hash masked or never recorded, or a file the Hub no longer has); `failed` when the
   * repository could not be read (gated, gone, unreachable): see `error`.
   */
  status: "current" | "outdated" | "unknown" | "failed";
  /** Each file of the model (the `.rkllm` file, its companions and encoders); none when failed. */
  files: { file: string; status: FileFreshness }[];
  /** Why the repository could not be compared, when `status` is `failed`. */
  error?: ModelManagerError;
}

/**
 * Whether a repository was downloaded from `source` (a record without a source is from
 * Hugging Face); tells `warn` about one that was not, which is left out.
 */
async function fromSource(
  context: StoreContext,
  what: { repo: string; models: ModelInfo[]; source: RepoSource },
): Promise<boolean> {
  const model = what.models.find((item) => item.repo === what.repo)!;
  const record = await readRepoRecord(context.runtime, model.dir, { warn: context.warn });
  const recorded = record?.source ?? "huggingface";
  if (recorded === what.source.name) return true;
  context.warn(
    `${what.repo} was downloaded from ${recorded}, so it is not compared with ${what.source.name}: use --source ${recorded}`,
  );
  return false;
}

/**
 * The local models a query selects: all of them without one, else those whose name or
 * repository contains it (a query matching none is a `model_not_found` error).
 */
export function selectModels(models: ModelInfo[], query?: string): ModelInfo[] {
  if (query === undefined) return models;
  const text = query.trim().toLowerCase();
  const matched = models.filter((model) =>
    model.name.toLowerCase().includes(text) || model.repo.toLowerCase().includes(text) ||
    `${model.repo}/${model.file}`.toLowerCase() === text
  );
  return matched.length > 0 ? matched : [requireModel(models, query)];
}

function freshnessOf(recorded: FileRecord | undefined, remote: RepoFile | undefined) {
  if (!remote) return "gone" as const;
  const now = identityOfFile(remote);
  const hub = now.sha256 ?? now.gitSha1;
  const local = now.sha256 ? recorded?.sha256 : recorded?.gitSha1;
  if (!hub || !local) return "unknown" as const;
  return hub === local.toLowerCase() ? "same" as const : "changed" as const;
}

function statusOf(files: { status: FileFreshness }[]): OutdatedReport["status"] {
  if (files.some((file) => file.status === "changed")) return "outdated";
  return files.every((file) => file.status === "same") ? "current" : "unknown";
}

/** The reports of one repository's models, from one listing. */
async function compareRepo(
  context: StoreContext,
  local: { repo: string; models: ModelInfo[]; source: RepoSource },
): Promise<OutdatedReport[]> {
  const info = await local.source.repoInfo(context.connection, parseRepoId(local.repo));
  const listing = await local.source.listFiles(context.connection, parseRepoId(local.repo), {
    revision: info.sha,
  });
  const byPath = new Map(listing.map((file) => [file.path, file]));
  const reports: OutdatedReport[] = [];
  for (const model of local.models) {
    const record = await readRepoRecord(context.runtime, model.dir, { warn: context.warn });
    const files = [model.file, ...model.companionFiles, ...model.encoders].map((file) => ({
      file,
      status: freshnessOf(record?.files[file], byPath.get(file)),
    }));
    reports.push({ model, latestRevision: info.sha, status: statusOf(files), files });
  }
  return reports;
}

/**
 * Compares the selected local models with the Hub, one listing per repository. A
 * repository that cannot be read (gated, gone, unreachable) fails alone: its models
 * are reported `failed` with the error, and the others are still compared.
 */
export async function outdatedModels(
  context: StoreContext,
  query?: string,
): Promise<OutdatedReport[]> {
  const { models } = await scanStore(context.runtime, context.modelsDir, { warn: context.warn });
  const selected = selectModels(models, query);
  const reports: OutdatedReport[] = [];
  const source = context.source ?? huggingFaceSource;
  for (const repo of [...new Set(selected.map((model) => model.repo))]) {
    if (!(await fromSource(context, { repo, models: selected, source }))) continue;
    const local = { repo, models: selected.filter((item) => item.repo === repo) };
    try {
      reports.push(...await compareRepo(context, { ...local, source }));
    } catch (error) {
      // Ctrl-C, offline mode and what is not the Hub's answer about this repository stop all.
      const alone = error instanceof ModelManagerError && error.code !== "cancelled" &&
        error.code !== "offline";
      if (!alone) throw error;
      reports.push(...local.models.map((model) => ({
        model,
        latestRevision: model.revision ?? "",
        status: "failed" as const,
        files: [],
        error,
      })));
    }
  }
  return reports;
}
