/**
 * Removing one model, and cleaning the whole store. Both touch only what this
 * tool put there (model files, technical files, records, partial downloads)
 * and never follow a symbolic link.
 *
 * @module
 */
import { join } from "node:path";
import { ModelManagerError } from "../errors.ts";
import { isAtomicTemporary } from "../store/atomic_write.ts";
import { acquireLock } from "../store/file_lock.ts";
import {
  filesInRepoDirectory,
  type ModelInfo,
  repoDirectories,
  scanRepoDirectory,
  scanStore,
} from "../store/model_catalog.ts";
import { requireModel } from "../store/model_query.ts";
import { newerRecordVersion, readRepoRecord, writeRepoRecord } from "../store/registry.ts";
import { isSafeRepoPath } from "../hub/repo_id.ts";
import { storageFailure } from "../store/storage_error.ts";
import {
  isModelFileName,
  LOCK_FILE,
  RECORD_FILE,
  storePathOf,
  TECHNICAL_FILES,
} from "../store/store_layout.ts";
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
  // What the disk gets back: a sparse partial download occupies less than its size.
  report.freedBytes += stat.isSymlink ? 0 : stat.diskUsage ?? stat.size;
}

/** Removes a directory only when it is empty. */
async function removeIfEmpty(runtime: Runtime, path: string): Promise<boolean> {
  const entries = await runtime.readDir(path).catch(() => undefined);
  if (!entries || entries.length > 0) return false;
  await runtime.remove(path).catch(() => {});
  return true;
}

/**
 * Removes the model a query means, its record entry and the vision encoders no
 * other model of its repo uses; when it was the last model of its repo
 * directory, also the technical and companion files and the directory.
 *
 * @example
 * ```ts ignore
 * const { removedFiles } = await removeModel(context, "Qwen2.5-0.5B-Instruct");
 * ```
 */
export async function removeModel(context: StoreContext, query: string): Promise<RemoveResult> {
  const { runtime } = context;
  const target = requireModel(
    (await scanStore(runtime, context.modelsDir, context.warn)).models,
    query,
  );
  const where = { repo: target.repo, dir: target.dir };
  const lock = await acquireLock(runtime, join(target.dir, LOCK_FILE), {
    signal: context.connection.signal,
    purpose: `remove ${target.repo}/${target.file}`,
  }).catch((error) => {
    throw storageFailure(`lock ${target.dir}`, error);
  });
  const report: RemovalReport = { removedFiles: [], freedBytes: 0 };
  let othersLeft: boolean;
  try {
    // Looked at again under the lock: a download may have added a model meanwhile.
    const { models } = await scanRepoDirectory(runtime, where, context.warn);
    const model = models.find((candidate) => candidate.path === target.path);
    if (!model) {
      // Taking the lock recreates a directory another process removed meanwhile; leave none behind.
      await lock.release().catch(() => {});
      await removeIfEmpty(runtime, target.dir);
      throw new ModelManagerError(
        "model_not_found",
        `remove ${target.file}: another process removed it first`,
        {
          hint: "see the models you have with: rkllm-models list",
        },
      );
    }
    const others = models.filter((candidate) => candidate.path !== model.path);
    othersLeft = others.length > 0;
    await removeFile(runtime, model.path, report);
    if (othersLeft) await forgetModel(context, { model, others, report });
    else await removeEverythingRecorded(context, { model, report });
  } finally {
    await lock.release().catch(() => {});
  }
  // After the lock file is gone; a download that starts now recreates the directory.
  const removedDirectory = !othersLeft && await removeIfEmpty(runtime, target.dir);
  if (removedDirectory) await removeIfEmpty(runtime, join(target.dir, ".."));
  return { ...report, model: target, removedDirectory };
}

/** The encoders of a model that no other model of its repo directory uses. */
function unsharedEncoders(model: ModelInfo, others: ModelInfo[]): string[] {
  const used = new Set(others.flatMap((other) => other.encoders));
  return model.encoders.filter((encoder) => !used.has(encoder));
}

/**
 * Removes what only this model used (its vision encoders no other model of the
 * repo is paired with) and its entries in the record; the companion files stay
 * for the other models.
 */
async function forgetModel(
  context: StoreContext,
  what: { model: ModelInfo; others: ModelInfo[]; report: RemovalReport },
): Promise<void> {
  const { model, others, report } = what;
  const encoders = unsharedEncoders(model, others);
  for (const encoder of encoders) {
    await removeFile(context.runtime, storePathOf(model.dir, encoder), report);
  }
  const record = await readRepoRecord(context.runtime, model.dir, context.warn);
  if (!record) return;
  const forgotten = [model.file, ...encoders].filter((file) => record.files[file] !== undefined);
  if (forgotten.length === 0 && record.models?.[model.file] === undefined) return;
  for (const file of forgotten) delete record.files[file];
  if (record.models) delete record.models[model.file];
  await writeRepoRecord(context.runtime, model.dir, record).catch((error) => {
    throw storageFailure(`update the registry record in ${model.dir}`, error);
  });
}

/**
 * After the last model of a repo directory: removes the technical files, the
 * companions and encoders it came with, every other file the record lists, and
 * the record itself (unless a newer rkllm-models wrote it).
 */
async function removeEverythingRecorded(
  context: StoreContext,
  what: { model: ModelInfo; report: RemovalReport },
): Promise<void> {
  const { model, report } = what;
  const { runtime } = context;
  const record = await readRepoRecord(runtime, model.dir, context.warn);
  const recorded = Object.keys(record?.files ?? {}).filter(isSafeRepoPath);
  const names = new Set([
    ...TECHNICAL_FILES,
    ...model.companionFiles,
    ...model.encoders,
    ...recorded,
  ]);
  for (const name of names) {
    if (!isModelFileName(name)) await removeFile(runtime, storePathOf(model.dir, name), report);
  }
  if (await newerRecordVersion(runtime, model.dir) === undefined) {
    await removeFile(runtime, join(model.dir, RECORD_FILE), report);
  }
}

/**
 * The files of a repo directory that this tool manages: models, records and
 * technical files of a directory it downloaded into, and partial downloads
 * that have their state file. A directory with none of its marks (a record,
 * a `.rkllm` file, a partial download's state) is not a store directory and
 * nothing in it is managed.
 */
function managedFiles(
  files: string[],
  partialOnly: boolean,
  recorded: ReadonlySet<string> = new Set(),
): string[] {
  const present = new Set(files);
  const isStoreDirectory = files.some((file) =>
    file === RECORD_FILE || isModelFileName(file) || file.endsWith(".part.state")
  );
  if (!isStoreDirectory) return [];
  return files.filter((file) => {
    const name = file.split("/").pop()!;
    if (name.endsWith(".part.state") || isAtomicTemporary(name)) return true;
    if (name.endsWith(".part")) return present.has(`${file}.state`);
    if (partialOnly) return false;
    return isModelFileName(name) || file === RECORD_FILE || TECHNICAL_FILES.includes(file) ||
      recorded.has(file);
  });
}

/** Removes the directories below `dir` that are empty, deepest first. */
async function removeEmptyDirectories(
  runtime: Runtime,
  dir: string,
  removed: string[],
): Promise<void> {
  const parents = new Set<string>();
  for (const file of removed) {
    const parts = file.split("/").slice(0, -1);
    for (let length = parts.length; length > 0; length--) {
      parents.add(parts.slice(0, length).join("/"));
    }
  }
  const deepestFirst = [...parents].sort((a, b) => b.split("/").length - a.split("/").length);
  for (const parent of deepestFirst) await removeIfEmpty(runtime, join(dir, parent));
}

/**
 * Removes every model and partial download under the models directory (or only
 * the partial downloads), skipping repo directories a live download holds and
 * files this tool did not create.
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
    if (managedFiles(await filesInRepoDirectory(runtime, dir), false).length === 0) continue;
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
      // Companions and encoders are managed when the record lists them.
      const record = await readRepoRecord(runtime, dir, context.warn);
      const doomed = managedFiles(
        await filesInRepoDirectory(runtime, dir),
        options.partialOnly ?? false,
        new Set(Object.keys(record?.files ?? {})),
      );
      for (const file of doomed) await removeFile(runtime, storePathOf(dir, file), report);
      await removeEmptyDirectories(runtime, dir, doomed);
    } finally {
      await lock.release().catch(() => {});
    }
    if (await removeIfEmpty(runtime, dir)) await removeIfEmpty(runtime, join(dir, ".."));
  }
  return report;
}
