/**
 * Removing one model, and cleaning the whole store. Both touch only what this
 * tool put there (model files, technical files, records, partial downloads)
 * and never follow a symbolic link.
 *
 * @module
 */
import { join } from "node:path";
import { isPartialName } from "../download/download_state.ts";
import { ModelManagerError } from "../errors.ts";
import { isAtomicTemporary } from "../store/atomic_write.ts";
import { acquireLock } from "../store/file_lock.ts";
import { type ModelInfo, repoDirectories, scanStore } from "../store/model_catalog.ts";
import { findModel } from "../store/model_query.ts";
import { readRepoRecord, writeRepoRecord } from "../store/registry.ts";
import { storageFailure } from "../store/storage_error.ts";
import { isModelFileName, LOCK_FILE, RECORD_FILE, TECHNICAL_FILES } from "../store/store_layout.ts";
import type { Runtime } from "../runtime/runtime.ts";
import type { StoreContext } from "./store_context.ts";

/** What a removal or a clean freed. */
export interface RemovalReport {
  /** The absolute paths removed. */
  removedFiles: string[];
  /** Bytes freed. */
  freedBytes: number;
}

/** The result of {@linkcode removeModel}. */
export interface RemoveResult extends RemovalReport {
  /** The model that was removed. */
  model: ModelInfo;
  /** Whether the repo directory went too (it held no other model). */
  removedDirectory: boolean;
}

/** Options of {@linkcode cleanModels}. */
export interface CleanOptions {
  /** Remove only partial downloads, keep complete models. */
  partialOnly?: boolean;
}

async function removeFile(runtime: Runtime, path: string, report: RemovalReport): Promise<void> {
  const stat = await runtime.lstat(path).catch(() => undefined);
  if (!stat || stat.isDirectory) return;
  try {
    await runtime.remove(path);
  } catch (error) {
    throw storageFailure(`remove ${path}`, error);
  }
  report.removedFiles.push(path);
  report.freedBytes += stat.isSymlink ? 0 : stat.size;
}

/** Removes a directory only when it is empty. */
async function removeIfEmpty(runtime: Runtime, path: string): Promise<boolean> {
  const entries = await runtime.readDir(path).catch(() => undefined);
  if (!entries || entries.length > 0) return false;
  await runtime.remove(path).catch(() => {});
  return true;
}

/**
 * Removes the model a query means, its record entry, and — when it was the
 * last model of its repo directory — the technical files and the directory.
 *
 * @example
 * ```ts ignore
 * const { removedFiles } = await removeModel(context, "Qwen2.5-0.5B-Instruct");
 * ```
 */
export async function removeModel(context: StoreContext, query: string): Promise<RemoveResult> {
  const { runtime } = context;
  const { models } = await scanStore(runtime, context.modelsDir, context.warn);
  const model = findModel(models, query);
  if (!model) {
    throw new ModelManagerError("model_not_found", `find a local model matching "${query}"`, {
      hint: "see the models you have with: rkllm-models list",
    });
  }
  const lock = await acquireLock(runtime, join(model.dir, LOCK_FILE), {
    signal: context.connection.signal,
    purpose: `remove ${model.repo}/${model.file}`,
  });
  const report: RemovalReport = { removedFiles: [], freedBytes: 0 };
  let removedDirectory = false;
  try {
    await removeFile(runtime, model.path, report);
    const record = await readRepoRecord(runtime, model.dir, context.warn);
    const othersLeft = models.some((other) => other.dir === model.dir && other.path !== model.path);
    if (othersLeft) {
      if (record?.files[model.file]) {
        delete record.files[model.file];
        await writeRepoRecord(runtime, model.dir, record).catch((error) => {
          throw storageFailure(`update the registry record in ${model.dir}`, error);
        });
      }
    } else {
      for (const name of [...TECHNICAL_FILES, RECORD_FILE]) {
        await removeFile(runtime, join(model.dir, name), report);
      }
    }
  } finally {
    await lock.release().catch(() => {});
  }
  if (!models.some((other) => other.dir === model.dir && other.path !== model.path)) {
    removedDirectory = await removeIfEmpty(runtime, model.dir);
    if (removedDirectory) await removeIfEmpty(runtime, join(model.dir, ".."));
  }
  return { ...report, model, removedDirectory };
}

/** Whether a file in a repo directory is one this tool manages. */
function isManaged(repoPath: string, partialOnly: boolean): boolean {
  const name = repoPath.split("/").pop()!;
  if (isPartialName(name) || isAtomicTemporary(name)) return true;
  if (partialOnly) return false;
  return isModelFileName(name) || name === RECORD_FILE ||
    (repoPath === name && TECHNICAL_FILES.includes(name));
}

async function cleanDirectory(
  runtime: Runtime,
  dir: string,
  prefix: string,
  partialOnly: boolean,
  report: RemovalReport,
): Promise<void> {
  for (const entry of await runtime.readDir(join(dir, prefix)).catch(() => [])) {
    const repoPath = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isFile && isManaged(repoPath, partialOnly)) {
      await removeFile(runtime, join(dir, repoPath), report);
    } else if (entry.isDirectory && !entry.isSymlink) {
      await cleanDirectory(runtime, dir, repoPath, partialOnly, report);
      await removeIfEmpty(runtime, join(dir, repoPath));
    }
  }
}

/**
 * Removes every model and partial download under the models directory (or only
 * the partial downloads), skipping repo directories a live download holds.
 *
 * @example
 * ```ts ignore
 * const { freedBytes } = await cleanModels(context, { partialOnly: true });
 * ```
 */
export async function cleanModels(
  context: StoreContext,
  options: CleanOptions = {},
): Promise<RemovalReport> {
  const { runtime } = context;
  const report: RemovalReport = { removedFiles: [], freedBytes: 0 };
  for (const { repo, dir } of await repoDirectories(runtime, context.modelsDir)) {
    let lock;
    try {
      lock = await acquireLock(runtime, join(dir, LOCK_FILE), { timeoutMs: 0, purpose: "clean" });
    } catch (error) {
      if (error instanceof ModelManagerError && error.code === "locked") {
        context.warn(`skipped ${repo}: a download is running there`);
        continue;
      }
      throw storageFailure(`lock ${dir}`, error);
    }
    try {
      await cleanDirectory(runtime, dir, "", options.partialOnly ?? false, report);
    } finally {
      await lock.release().catch(() => {});
    }
    if (await removeIfEmpty(runtime, dir)) await removeIfEmpty(runtime, join(dir, ".."));
  }
  return report;
}
