/**
 * `import`: adds the models of an exported directory (any store, perhaps a
 * stranger's USB stick) to this store. Every file is read through no symbolic
 * link, copied (hard-linked only when asked, or when nobody may write to it) and
 * checked against its recorded size and hash; a repository with a file that does
 * not verify, has no hash, or a record that names another repository is refused
 * whole and reported, and nothing of it is added. Each file keeps the commit it
 * was recorded at, as downloads do.
 *
 * @module
 */
import { dirname, join } from "node:path";
import { type ErrorCode, ModelManagerError } from "../errors.ts";
import { RuntimeDetector } from "../runtime/detect_runtime.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { acquireLock } from "../store/file_lock.ts";
import type { JsonFileRead } from "../store/json_file.ts";
import { readRecordFile, readRepoRecord, type RepoRecord } from "../store/registry.ts";
import { recordCopiedFiles } from "../store/record_writer.ts";
import { ensureDirectoryInside, placeInRepo } from "../store/safe_path.ts";
import { storedCopyOf } from "../store/stored_copy.ts";
import { LOCK_FILE, RECORD_FILE } from "../store/store_layout.ts";
import type { TransferOptions, TransferredFile } from "./transfer.ts";
import { refuseTooLargeForFat } from "./fat_limit.ts";
import { type StagedFile, stageVerifiedFile } from "./place_file.ts";

/** A file (or a whole record) an import refused. */
export interface RefusedFile {
  /** `owner/name`. */
  repo: string;
  /** The path inside the repository (the record's own name when the record was refused). */
  path: string;
  /** Why, as a code: `integrity` (does not verify, no hash, wrong repository), `storage` (a link). */
  code: ErrorCode;
  /** Why, in words. */
  reason: string;
}

/** What {@linkcode importStore} did. */
export interface ImportReport {
  /** The files added (or replaced). */
  imported: TransferredFile[];
  /** Files already in the store with the same size and hash. */
  present: { repo: string; path: string }[];
  /** Files that did not verify (or were missing), not added; nothing of their repository is. */
  refused: RefusedFile[];
}

/** Options of {@linkcode importStore}. */
export interface ImportOptions extends TransferOptions {
  /**
   * Accept files recorded without a hash, checked by their size only: anyone who
   * wrote the directory could have changed their content.
   */
  allowUnhashed?: boolean;
  /**
   * Hard-link files when the source is on the store's file system, even when the
   * source may be written to: writing to it later changes the store's copy too.
   * Without it, only files nobody may write to are linked; the others are copied.
   */
  link?: boolean;
}

/** A recorded repository of an exported directory. */
interface SourceRepo {
  /** Its directory in the exported directory. */
  dir: string;
  /** Its record, naming the same `owner/name` as its directory. */
  record: RepoRecord;
}

/**
 * Imports every recorded repository of `sourceDir` into `modelsDir`. A repository
 * with a file that does not verify is refused whole: nothing of it is added.
 *
 * @example
 * ```ts
 * import { ModelManager } from "../model_manager.ts";
 * import { exportModels } from "./export_models.ts";
 * import { importStore } from "./import_store.ts";
 * await new ModelManager({ modelsDir: "./models" }).downloadModel("limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4");
 * await exportModels("./models", { queries: ["Qwen2.5-0.5B"], target: "./usb" });
 * // on the board, from the stick into its own store
 * const report = await importStore("./usb", "./board-models");
 * if (report.refused.length) console.error(report.refused);
 * ```
 */
export async function importStore(
  sourceDir: string,
  modelsDir: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const runtime = options.runtime ?? RuntimeDetector.current();
  const warn = options.onWarning ?? ((message: string) => console.warn(`warning: ${message}`));
  const report: ImportReport = { imported: [], present: [], refused: [] };
  const sources = await recordedRepos(runtime, sourceDir, report);
  if (sources.length === 0 && report.refused.length === 0) {
    throw new ModelManagerError(
      "model_not_found",
      `import from ${sourceDir}: it holds no exported models (no .rkllm-models.json records under owner/name directories)`,
      { hint: "give the directory that rkllm-models export wrote to" },
    );
  }
  await refuseTooLargeForFat(runtime, {
    dir: modelsDir,
    files: sources.flatMap(({ record }) =>
      Object.entries(record.files).map(([path, file]) => ({ path, size: file.size }))
    ),
    mountsPath: options.mountsPath,
  });
  for (const source of sources) {
    await importRepo(runtime, { source, sourceDir, modelsDir, report, warn, options });
  }
  return report;
}

/** The records of `sourceDir` that can be imported; the others go to `report.refused`. */
async function recordedRepos(
  runtime: Runtime,
  sourceDir: string,
  report: ImportReport,
): Promise<SourceRepo[]> {
  const found: SourceRepo[] = [];
  // Directory entries are not followed: an owner or repo directory that is a link is skipped.
  const directories = async (dir: string) =>
    (await runtime.readDir(dir).catch(() => [])).filter((entry) => entry.isDirectory)
      .map((entry) => entry.name).sort();
  for (const owner of await directories(sourceDir)) {
    for (const name of await directories(join(sourceDir, owner))) {
      const dir = join(sourceDir, owner, name);
      const read = await readRecordFile(runtime, dir);
      if (read.status === "missing") continue;
      const problem = recordRefusal(read, `${owner}/${name}`);
      if (problem) report.refused.push({ repo: `${owner}/${name}`, path: RECORD_FILE, ...problem });
      else if (read.status === "ok") found.push({ dir, record: read.value });
    }
  }
  return found;
}

/** Why a source record is refused, or `undefined` when it can be imported. */
function recordRefusal(
  read: JsonFileRead<RepoRecord>,
  repo: string,
): { code: ErrorCode; reason: string } | undefined {
  if (read.status === "ok") {
    if (read.value.repo === repo) return undefined;
    return {
      code: "integrity",
      reason: `the record names ${JSON.stringify(read.value.repo)}, not the directory's ${repo}`,
    };
  }
  if (read.status === "unreadable") {
    const error = read.error;
    if (error instanceof ModelManagerError) return { code: error.code, reason: error.message };
    return { code: "storage", reason: error instanceof Error ? error.message : String(error) };
  }
  if (read.status === "invalid") return { code: "integrity", reason: read.problem };
  return { code: "integrity", reason: "the record is not JSON" };
}

interface RepoImport {
  source: SourceRepo;
  sourceDir: string;
  modelsDir: string;
  report: ImportReport;
  warn: (message: string) => void;
  options: ImportOptions;
}

async function importRepo(runtime: Runtime, what: RepoImport): Promise<void> {
  const repo = what.source.record.repo;
  const targetDir = await ensureDirectoryInside(runtime, { root: what.modelsDir, path: repo });
  const lock = await acquireLock(runtime, join(targetDir, LOCK_FILE), {
    purpose: `import ${repo}`,
  });
  let added = false;
  try {
    const existing = await readRepoRecord(runtime, targetDir, { warn: what.warn });
    const { staged, present, refused } = await stageRepo(runtime, { ...what, existing });
    what.report.refused.push(...refused);
    if (refused.length > 0) {
      for (const file of staged) await runtime.remove(file.temporary).catch(() => {});
    } else {
      for (const file of staged) {
        await runtime.rename(file.temporary, file.destination);
        what.report.imported.push(file.transferred);
      }
      what.report.present.push(...present.map((path) => ({ repo, path })));
      const accepted = [...present, ...staged.map((file) => file.transferred.path)];
      await recordCopiedFiles(runtime, { dir: targetDir, record: what.source.record, accepted }, {
        warn: what.warn,
      });
      added = true;
    }
  } finally {
    await lock.release().catch(() => {});
  }
  if (!added) {
    await removeEmptyDirectories(runtime, targetDir, Object.keys(what.source.record.files));
  }
}

/** What {@linkcode stageRepo} made of one repository. */
interface StagedRepo {
  staged: (StagedFile & { transferred: TransferredFile })[];
  present: string[];
  refused: RefusedFile[];
}

/** Places every file of a repository under a temporary name and verifies it. */
async function stageRepo(
  runtime: Runtime,
  what: RepoImport & { existing: RepoRecord | undefined },
): Promise<StagedRepo> {
  const { record } = what.source;
  const repo = record.repo;
  const result: StagedRepo = { staged: [], present: [], refused: [] };
  for (const [path, file] of Object.entries(record.files)) {
    const destination = { root: what.modelsDir, path: `${repo}/${path}` };
    const have = what.existing?.files[path];
    if (
      await storedCopyOf(runtime, { place: destination, recorded: have, wanted: file }) === "same"
    ) {
      result.present.push(path);
      continue;
    }
    if (!file.sha256 && !file.gitSha1 && !what.options.allowUnhashed) {
      result.refused.push({ repo, path, code: "integrity", reason: UNHASHED });
      continue;
    }
    try {
      const staged = await stageVerifiedFile(runtime, {
        source: placeInRepo(what.source.dir, path),
        destination,
        expected: file,
        label: `${repo}/${path}`,
        how: what.options.link ? "link-or-copy" : "link-if-read-only",
      });
      if (staged.checkedBy === "size") {
        what.warn(
          `${repo}/${path} was recorded without a hash: imported after checking its size only`,
        );
      }
      const transferred = {
        repo,
        path,
        size: file.size,
        method: staged.method,
        checkedBy: staged.checkedBy,
      };
      result.staged.push({ ...staged, transferred });
    } catch (error) {
      result.refused.push({
        repo,
        path,
        code: error instanceof ModelManagerError ? error.code : "storage",
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return result;
}

const UNHASHED =
  "it was recorded without a hash, so its content cannot be checked (pass --allow-unhashed to accept it by its size)";

/** Removes the directories an import made for `paths` below `dir`, and `dir` and its owner, when empty. */
async function removeEmptyDirectories(
  runtime: Runtime,
  dir: string,
  paths: string[],
): Promise<void> {
  const parents = new Set<string>();
  for (const path of paths) {
    const parts = path.split("/").slice(0, -1);
    for (let length = parts.length; length > 0; length--) {
      parents.add(parts.slice(0, length).join("/"));
    }
  }
  const deepestFirst = [...parents].sort((a, b) => b.split("/").length - a.split("/").length);
  for (const parent of [...deepestFirst.map((part) => join(dir, part)), dir, dirname(dir)]) {
    const entries = await runtime.readDir(parent).catch(() => undefined);
    if (entries?.length === 0) await runtime.remove(parent).catch(() => {});
  }
}
