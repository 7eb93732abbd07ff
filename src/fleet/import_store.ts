/**
 * `import`: adds the models of an exported directory (any store) to this
 * store. Every file is checked against its recorded size and hash after it is
 * placed (hard-linked or copied); a file that does not verify is refused and
 * reported, never added. Each file keeps the commit it was recorded at, as
 * downloads do.
 *
 * @module
 */
import { join } from "node:path";
import { ModelManagerError } from "../errors.ts";
import { parseRepoId } from "../hub/repo_id.ts";
import { RuntimeDetector } from "../runtime/detect_runtime.ts";
import type { Runtime } from "../runtime/runtime.ts";
import { acquireLock } from "../store/file_lock.ts";
import {
  type FileRecord,
  readRepoRecord,
  RECORD_FORMAT_VERSION,
  type RepoRecord,
  writeRepoRecord,
} from "../store/registry.ts";
import { LOCK_FILE, repoDirOf, storePathOf } from "../store/store_layout.ts";
import type { TransferOptions, TransferredFile } from "./export_models.ts";
import { refuseTooLargeForFat } from "./fat_limit.ts";
import { placeVerifiedFile } from "./place_file.ts";

/** A file an import refused. */
export interface RefusedFile {
  /** `owner/name`. */
  repo: string;
  /** The path inside the repository. */
  path: string;
  /** Why. */
  reason: string;
}

/** What {@linkcode importStore} did. */
export interface ImportReport {
  /** The files added (or replaced). */
  imported: TransferredFile[];
  /** Files already in the store with the same size and hash. */
  present: { repo: string; path: string }[];
  /** Files that did not verify (or were missing), not added. */
  refused: RefusedFile[];
}

/**
 * Imports every recorded repository of `sourceDir` into `modelsDir`.
 *
 * @example
 * ```ts
 * import { importStore } from "./import_store.ts";
 * const report = await importStore("/media/usb", "./models");
 * if (report.refused.length) console.error(report.refused);
 * ```
 */
export async function importStore(
  sourceDir: string,
  modelsDir: string,
  options: TransferOptions = {},
): Promise<ImportReport> {
  const runtime = options.runtime ?? RuntimeDetector.current();
  const warn = options.onWarning ?? ((message: string) => console.warn(`warning: ${message}`));
  const sources = await recordedRepos(runtime, sourceDir, warn);
  if (sources.length === 0) {
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
  const report: ImportReport = { imported: [], present: [], refused: [] };
  for (const source of sources) {
    await importRepo(runtime, { ...source, modelsDir, report, warn });
  }
  return report;
}

async function recordedRepos(
  runtime: Runtime,
  sourceDir: string,
  warn: (message: string) => void,
): Promise<{ dir: string; record: RepoRecord }[]> {
  const found: { dir: string; record: RepoRecord }[] = [];
  const directories = async (dir: string) =>
    (await runtime.readDir(dir).catch(() => [])).filter((entry) => entry.isDirectory)
      .map((entry) => entry.name).sort();
  for (const owner of await directories(sourceDir)) {
    for (const name of await directories(join(sourceDir, owner))) {
      const dir = join(sourceDir, owner, name);
      const record = await readRepoRecord(runtime, dir, { warn: warn });
      if (record) found.push({ dir, record });
    }
  }
  return found;
}

async function importRepo(
  runtime: Runtime,
  what: {
    dir: string;
    record: RepoRecord;
    modelsDir: string;
    report: ImportReport;
    warn: (message: string) => void;
  },
): Promise<void> {
  const { record, report } = what;
  const repo = record.repo;
  const targetDir = repoDirOf(what.modelsDir, parseRepoId(repo));
  await runtime.mkdir(targetDir);
  const lock = await acquireLock(runtime, join(targetDir, LOCK_FILE), {
    purpose: `import ${repo}`,
  });
  try {
    const existing = await readRepoRecord(runtime, targetDir, { warn: what.warn });
    const accepted: string[] = [];
    for (const [path, file] of Object.entries(record.files)) {
      const destination = storePathOf(targetDir, path);
      if (await holdsSame(runtime, { destination, have: existing?.files[path], file })) {
        report.present.push({ repo, path });
        accepted.push(path);
        continue;
      }
      try {
        const source = storePathOf(what.dir, path);
        const stat = await runtime.lstat(source);
        if (!stat.isFile || stat.isSymlink) throw new Error("it is not a regular file");
        const placed = await placeVerifiedFile(runtime, {
          source,
          destination,
          expected: file,
          label: `${repo}/${path}`,
        });
        if (placed.checkedBy === "size") {
          what.warn(
            `${repo}/${path} was recorded without a hash: imported after checking its size only`,
          );
        }
        report.imported.push({ repo, path, size: file.size, ...placed });
        accepted.push(path);
      } catch (error) {
        report.refused.push({
          repo,
          path,
          reason: error instanceof Error ? error.message : String(error),
        });
      }
    }
    if (accepted.length > 0) {
      await writeRepoRecord(runtime, {
        dir: targetDir,
        record: mergedRecord(existing, { record, accepted }),
      });
    }
  } finally {
    await lock.release().catch(() => {});
  }
}

async function holdsSame(
  runtime: Runtime,
  what: { destination: string; have?: FileRecord; file: FileRecord },
): Promise<boolean> {
  const { have, file } = what;
  if (!have || have.size !== file.size) return false;
  const sameHash = (file.sha256 !== undefined && have.sha256 === file.sha256) ||
    (file.sha256 === undefined && file.gitSha1 !== undefined && have.gitSha1 === file.gitSha1);
  if (!sameHash) return false;
  try {
    const stat = await runtime.lstat(what.destination);
    return stat.isFile && !stat.isSymlink && stat.size === file.size;
  } catch {
    return false;
  }
}

/** The files {@linkcode mergedRecord} takes from another record. */
export interface IncomingFiles {
  /** The record they come from. */
  record: RepoRecord;
  /** The paths, in that record, to take. */
  accepted: string[];
}

/**
 * The store's record with the accepted files of the imported one, each at its own
 * commit; the newer download's revision (and visibility) wins. Export writes its
 * records with it too.
 *
 * @example
 * ```ts
 * import { mergedRecord } from "./import_store.ts";
 * import type { RepoRecord } from "../store/registry.ts";
 * declare const existing: RepoRecord | undefined;
 * declare const imported: RepoRecord;
 * const merged = mergedRecord(existing, { record: imported, accepted: ["model.rkllm"] });
 * ```
 */
export function mergedRecord(
  existing: RepoRecord | undefined,
  incoming: IncomingFiles,
): RepoRecord {
  const { record: imported, accepted } = incoming;
  const merged: RepoRecord = existing ?? {
    version: RECORD_FORMAT_VERSION,
    repo: imported.repo,
    revision: imported.revision,
    files: {},
  };
  for (const path of accepted) merged.files[path] = imported.files[path];
  merged.models = { ...merged.models };
  for (const [file, model] of Object.entries(imported.models ?? {})) {
    if (accepted.includes(file)) merged.models[file] = model;
  }
  if (newestDownload(imported) >= newestDownload(existing)) {
    merged.revision = imported.revision;
    if (imported.private !== undefined) merged.private = imported.private;
    if (imported.gated !== undefined) merged.gated = imported.gated;
  }
  merged.version = RECORD_FORMAT_VERSION;
  return merged;
}

function newestDownload(record: RepoRecord | undefined): string {
  return Object.values(record?.files ?? {}).reduce(
    (newest, file) => (file.downloadedAt > newest ? file.downloadedAt : newest),
    "",
  );
}
