/**
 * Removing one model, and cleaning the whole store. Both touch only what this
 * tool put there (the files its records list, the records, partial downloads,
 * its temporary files) and never follow a symbolic link: what else they find
 * is left alone and reported.
 *
 * @module
 */
import { join, relative, sep as SEP } from "node:path";
import { ModelManagerError } from "../errors.ts";
import { acquireLock } from "../store/file_lock.ts";
import {
  filesInRepoDirectory,
  listRepoDirectory,
  type ModelInfo,
  scanRepoDirectory,
  scanStore,
  storeDirectories,
} from "../store/model_catalog.ts";
import { findModel, requireModel } from "../store/model_query.ts";
import { ownersOf } from "../store/store_ownership.ts";
import { newerRecordVersion, readRepoRecord, writeRecordUnlessNewer } from "../store/registry.ts";
import { isLinkRefusal, lstatInside, placeInRepo } from "../store/safe_path.ts";
import { storageFailure } from "../store/storage_error.ts";
import { LOCK_FILE, RECORD_FILE, storePathOf } from "../store/store_layout.ts";
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

/** Something `clean` found in the store and did not touch, because this tool did not make it. */
export interface LeftAlone {
  /** Its absolute path. */
  path: string;
  /** A file someone else put there, or a symbolic link (never followed). */
  kind: "file" | "symlink";
  /** Its size in bytes (0 for a link: what it points to is not looked at). */
  size: number;
}

/** The result of {@linkcode cleanModels}. */
export interface CleanReport extends RemovalReport {
  /** What was found and kept: files this tool did not make, and symbolic links. */
  leftAlone: LeftAlone[];
}

/** Options of {@linkcode cleanModels}. */
export interface CleanOptions {
  /** Remove only partial downloads, keep complete models. */
  partialOnly?: boolean;
}

/** Removes a file of a repo directory, reached through no symbolic link (a link is left alone). */
async function removeFile(
  runtime: Runtime,
  where: { dir: string; file: string },
  report: RemovalReport,
): Promise<void> {
  const found = await lstatInside(runtime, placeInRepo(where.dir, where.file)).catch((error) => {
    if (isLinkRefusal(error)) return undefined;
    throw error;
  });
  const stat = found?.stat;
  if (!found || !stat || stat.isDirectory) return;
  try {
    await runtime.remove(found.path);
  } catch (error) {
    throw storageFailure(`remove ${found.path}`, error);
  }
  report.removedFiles.push(found.path);
  // What the disk gets back: a sparse partial download occupies less than its size.
  report.freedBytes += stat.diskUsage ?? stat.size;
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
 * directory, also the files its record lists (technical and companion files)
 * and the directory, when nothing else is left in it.
 */
export async function removeModel(context: StoreContext, query: string): Promise<RemoveResult> {
  const { runtime } = context;
  const target = await removableModel(context, query);
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
    const { models } = await scanRepoDirectory(runtime, where, { warn: context.warn });
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
    await removeFile(runtime, { dir: model.dir, file: model.file }, report);
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
  const record = await readRepoRecord(context.runtime, model.dir, { warn: context.warn });
  // Only recorded encoders go: a .rknn placed by hand is not this tool's to remove.
  const encoders = unsharedEncoders(model, others).filter((file) => record?.files[file]);
  for (const encoder of encoders) {
    await removeFile(context.runtime, { dir: model.dir, file: encoder }, report);
  }
  if (!record) return;
  const forgotten = [model.file, ...encoders].filter((file) => record.files[file] !== undefined);
  if (forgotten.length === 0 && record.models?.[model.file] === undefined) return;
  for (const file of forgotten) delete record.files[file];
  if (record.models) delete record.models[model.file];
  await writeRecordUnlessNewer(context.runtime, { dir: model.dir, record }).catch((error) => {
    throw storageFailure(`update the registry record in ${model.dir}`, error);
  });
}

/**
 * After the last model of a repo directory: removes every file the record lists
 * (technical files, companions, encoders) and the record itself, unless a newer
 * rkllm-models wrote it. Files placed by hand stay.
 */
async function removeEverythingRecorded(
  context: StoreContext,
  what: { model: ModelInfo; report: RemovalReport },
): Promise<void> {
  const { model, report } = what;
  const { runtime } = context;
  const record = await readRepoRecord(runtime, model.dir, { warn: context.warn });
  const keepRecord = await newerRecordVersion(runtime, model.dir) !== undefined;
  const { recorded } = ownersOf(await filesInRepoDirectory(runtime, model.dir), record);
  for (const file of recorded) {
    if (keepRecord && file === RECORD_FILE) continue;
    await removeFile(runtime, { dir: model.dir, file }, report);
  }
}

/**
 * The model `removeModel` would remove for a query, or the error it would
 * raise: not found, ambiguous, or a symbolic link it never follows. Removes nothing.
 */
export async function removableModel(context: StoreContext, query: string): Promise<ModelInfo> {
  const scan = await scanStore(context.runtime, context.modelsDir, { warn: context.warn });
  return findModel(scan.models, query) ??
    refuseLinks(scan.links, context.modelsDir, query) ??
    requireModel(scan.models, query);
}

/**
 * A query that names a repo directory which is a symbolic link: the link is
 * reported (it is never followed nor removed) instead of "not found".
 */
function refuseLinks(links: string[], modelsDir: string, query: string): undefined {
  const wanted = query.trim().toLowerCase();
  const link = links.find((path) =>
    relative(modelsDir, path).split(SEP).join("/").toLowerCase().includes(wanted)
  );
  if (!wanted || !link) return undefined;
  throw new ModelManagerError(
    "storage",
    `remove ${query.trim()}: ${link} is a symbolic link, which rkllm-models neither follows nor removes`,
    { hint: `if you do not need it, remove the link yourself (rm ${link})` },
  );
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

/** The files of one repo directory that `clean` removes, and those it leaves alone. */
async function cleanPlan(
  context: StoreContext,
  dir: string,
  options: CleanOptions,
): Promise<{ doomed: string[]; foreign: string[]; links: string[] }> {
  const { files, links } = await listRepoDirectory(context.runtime, dir);
  const record = await readRepoRecord(context.runtime, dir, { warn: context.warn });
  const owners = ownersOf(files, record);
  const doomed = [...owners.partial, ...owners.scratch];
  if (!options.partialOnly) doomed.push(...owners.recorded);
  return { doomed: doomed.sort(), foreign: owners.foreign, links };
}

async function leftAloneOf(runtime: Runtime, paths: string[]): Promise<LeftAlone[]> {
  const entries: LeftAlone[] = [];
  for (const path of paths) {
    const stat = await runtime.lstat(path).catch(() => undefined);
    if (!stat) continue;
    entries.push({
      path,
      kind: stat.isSymlink ? "symlink" : "file",
      size: stat.isSymlink ? 0 : stat.size,
    });
  }
  return entries;
}

/** Cleans one repo directory under its lock; answers what it left alone, or `undefined` when busy. */
async function cleanRepoDirectory(
  context: StoreContext,
  where: { repo: string; dir: string },
  options: CleanOptions,
  report: RemovalReport,
): Promise<string[] | undefined> {
  const { runtime } = context;
  const { repo, dir } = where;
  const first = await cleanPlan(context, dir, options);
  if (first.doomed.length === 0) return [...first.foreign, ...first.links];
  let lock;
  try {
    lock = await acquireLock(runtime, join(dir, LOCK_FILE), { timeoutMs: 0, purpose: "clean" });
  } catch (error) {
    if (error instanceof ModelManagerError && error.code === "locked") {
      context.warn(`skipped ${repo}: a download is running there`);
      return undefined;
    }
    throw storageFailure(`lock ${dir}`, error);
  }
  let plan;
  try {
    // Looked at again under the lock: a download may have finished meanwhile.
    plan = await cleanPlan(context, dir, options);
    for (const file of plan.doomed) await removeFile(runtime, { dir, file }, report);
    await removeEmptyDirectories(runtime, dir, plan.doomed);
  } finally {
    await lock.release().catch(() => {});
  }
  if (await removeIfEmpty(runtime, dir)) await removeIfEmpty(runtime, join(dir, ".."));
  return [...plan.foreign, ...plan.links];
}

/**
 * Removes every model and partial download under the models directory (or only
 * the partial downloads), skipping repo directories a live download holds.
 * Only what this tool made goes; the rest (files placed by hand, symbolic
 * links) is left alone and listed with its size.
 */
export async function cleanModels(
  context: StoreContext,
  options: CleanOptions = {},
): Promise<CleanReport> {
  const { runtime } = context;
  const report: RemovalReport = { removedFiles: [], freedBytes: 0 };
  const { repos, links } = await storeDirectories(runtime, context.modelsDir);
  const kept = [...links];
  for (const where of repos) {
    const left = await cleanRepoDirectory(context, where, options, report);
    kept.push(...(left ?? []).map((file) => storePathOf(where.dir, file)));
  }
  return { ...report, leftAlone: await leftAloneOf(runtime, kept.sort()) };
}
