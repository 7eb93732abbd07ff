/**
 * `export`: writes chosen models of a store, with their companion files,
 * vision encoders and registry records, to a directory in the store layout
 * (a USB stick, a share). The directory is itself a store: `list --dir`,
 * `serve --dir` and `import` read it.
 *
 * @module
 */
import { join } from "node:path";
import { ModelManagerError } from "../errors.ts";
import { parseRepoId } from "../hub/repo_id.ts";
import { RuntimeDetector } from "../runtime/detect_runtime.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { acquireLock } from "../store/file_lock.ts";
import { type ModelInfo, scanStore } from "../store/model_catalog.ts";
import { requireModel } from "../store/model_query.ts";
import { readRepoRecord, type RepoRecord } from "../store/registry.ts";
import { recordCopiedFiles } from "../store/record_writer.ts";
import { ensureDirectoryInside, placeInRepo } from "../store/safe_path.ts";
import { LOCK_FILE } from "../store/store_layout.ts";
import { refuseTooLargeForFat } from "./fat_limit.ts";
import { placeVerifiedFile } from "./place_file.ts";
import type { TransferOptions, TransferredFile } from "./transfer.ts";

export type { TransferOptions, TransferredFile } from "./transfer.ts";

/** What {@linkcode exportModels} wrote. */
export interface ExportReport {
  /** The directory written to. */
  target: string;
  /** The models exported, as `owner/name/file`. */
  models: string[];
  /** Every file written. */
  files: TransferredFile[];
}

/**
 * Exports the models the queries name to `target`.
 *
 * @example
 * ```ts
 * import { ModelManager } from "../model_manager.ts";
 * import { exportModels } from "./export_models.ts";
 * await new ModelManager({ modelsDir: "./models" }).downloadModel("limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4");
 * // target: a USB stick's mount point, such as /media/usb
 * const report = await exportModels("./models", { queries: ["Qwen2.5-0.5B"], target: "./usb" });
 * console.log(report.models);
 * ```
 */
export async function exportModels(
  modelsDir: string,
  request: { queries: string[]; target: string },
  options: TransferOptions = {},
): Promise<ExportReport> {
  const runtime = options.runtime ?? RuntimeDetector.current();
  const warn = options.onWarning ?? ((message: string) => console.warn(`warning: ${message}`));
  const { models } = await scanStore(runtime, modelsDir, { warn: warn });
  const chosen = new Map<string, ModelInfo>();
  for (const query of request.queries) {
    const model = requireModel(models, query);
    chosen.set(`${model.repo}/${model.file}`, model);
  }
  const byRepo = new Map<string, { record: RepoRecord; models: ModelInfo[] }>();
  for (const model of chosen.values()) {
    const record = byRepo.get(model.repo)?.record ??
      await readRepoRecord(runtime, model.dir, { warn: warn });
    if (!record?.files[model.file]) throw unrecorded(model);
    const entry = byRepo.get(model.repo) ?? { record, models: [] };
    entry.models.push(model);
    byRepo.set(model.repo, entry);
  }
  const planned = [...byRepo.values()].flatMap(({ record, models }) =>
    filesOf(record, models).map((path) => ({ path, size: record.files[path].size }))
  );
  await refuseTooLargeForFat(runtime, {
    dir: request.target,
    files: planned,
    mountsPath: options.mountsPath,
  });
  const files: TransferredFile[] = [];
  for (const [repo, { record, models }] of byRepo) {
    files.push(...await exportRepo(runtime, { repo, record, models, target: request.target }));
  }
  return { target: request.target, models: [...chosen.keys()], files };
}

/** The model files of a repository and what came with them, as recorded. */
function filesOf(record: RepoRecord, models: ModelInfo[]): string[] {
  const paths = new Set<string>();
  for (const model of models) {
    const recorded = record.models?.[model.file];
    const companions = recorded?.companions ?? model.companionFiles;
    const encoders = recorded?.encoders ?? model.encoders;
    for (const path of [model.file, ...companions, ...encoders]) {
      if (record.files[path]) paths.add(path);
    }
  }
  return [...paths];
}

async function exportRepo(
  runtime: Runtime,
  what: { repo: string; record: RepoRecord; models: ModelInfo[]; target: string },
): Promise<TransferredFile[]> {
  const { record, models } = what;
  const sourceDir = models[0].dir;
  // Each level below the target is made or checked: a link there (`adv -> /victim`) is refused.
  const targetDir = await ensureDirectoryInside(runtime, {
    root: what.target,
    path: parseRepoId(what.repo).id,
  });
  const lock = await acquireLock(runtime, join(targetDir, LOCK_FILE), {
    purpose: `export ${what.repo}`,
  });
  try {
    const written: TransferredFile[] = [];
    const paths = filesOf(record, models);
    for (const path of paths) {
      const placed = await placeVerifiedFile(runtime, {
        source: placeInRepo(sourceDir, path),
        destination: { root: what.target, path: `${what.repo}/${path}` },
        expected: record.files[path],
        label: `${what.repo}/${path} in the store`,
        // A hard link would tie the exported copy to the store: changing one would change both.
        how: "copy",
      });
      written.push({ repo: what.repo, path, size: record.files[path].size, ...placed });
    }
    // A record of format 1 names no companions: the store's view of each model does.
    const exported: RepoRecord = { ...record, models: { ...record.models } };
    for (const model of models) {
      exported.models![model.file] ??= {
        companions: model.companionFiles,
        encoders: model.encoders,
      };
    }
    await recordCopiedFiles(runtime, { dir: targetDir, record: exported, accepted: paths });
    return written;
  } finally {
    await lock.release().catch(() => {});
  }
}

function unrecorded(model: ModelInfo): ModelManagerError {
  return new ModelManagerError(
    "model_not_found",
    `export ${model.repo}/${model.file}: it has no registry record, so it cannot be verified on import`,
    { hint: `download it with: rkllm-models download ${model.repo} ${model.file}` },
  );
}
