/**
 * Planning a download: which files of a model are already complete, how many
 * bytes are still needed (counting resumable partial downloads), and how much
 * space the models directory has.
 *
 * @module
 */
import { join } from "node:path";
import { identityOfFile, partialProgress } from "../download/download_state.ts";
import { expectedHashOf, hashFile } from "../download/file_hash.ts";
import type { RepoFile } from "../hub/list_files.ts";
import type { RepoId } from "../hub/repo_id.ts";
import { type ModelInfo, modelInfoOf } from "../store/model_catalog.ts";
import { readRepoRecord, type RepoRecord } from "../store/registry.ts";
import { repoDirOf, storePathOf, TECHNICAL_FILES } from "../store/store_layout.ts";
import type { StoreContext } from "./store_context.ts";

/** One file of a download plan. */
export interface PlannedFile {
  /** The repository path. */
  file: string;
  /** Size in bytes. */
  size: number;
  /** Where it goes. */
  destination: string;
  /** Whether a complete, matching copy is already there. */
  present: boolean;
  /** Bytes still to fetch (size less a resumable partial download). */
  bytesNeeded: number;
}

/** What a download would do (`dryRun`) or did. */
export interface DownloadPlan {
  /** `owner/name`. */
  repo: string;
  /** The pinned commit. */
  revision: string;
  /** The model file's repository path. */
  modelFile: string;
  /** Every file of the model, the `.rkllm` file first. */
  files: PlannedFile[];
  /** Bytes still to fetch in all. */
  bytesNeeded: number;
  /** Free bytes in the models directory's file system, when known. */
  freeBytes?: number;
}

async function isPresent(
  context: StoreContext,
  file: RepoFile,
  destination: string,
  record: RepoRecord | undefined,
  repoPath: string,
): Promise<boolean> {
  const stat = await context.runtime.stat(destination).catch(() => undefined);
  if (!stat?.isFile || stat.size !== file.size) return false;
  const recorded = record?.files[repoPath];
  const expected = expectedHashOf(identityOfFile(file));
  if (!expected) return true;
  if (recorded && (recorded.sha256 === expected.hex || recorded.gitSha1 === expected.hex)) {
    return true;
  }
  return await hashFile(
    context.runtime,
    destination,
    expected.algorithm,
    context.connection.signal,
  ) === expected.hex;
}

async function nearestExisting(context: StoreContext, path: string): Promise<string> {
  let current = path;
  for (;;) {
    if (await context.runtime.stat(current).then(() => true, () => false)) return current;
    const parent = join(current, "..");
    if (parent === current) return current;
    current = parent;
  }
}

/**
 * Plans the download of `modelFile` and the technical files of `files`.
 *
 * @example
 * ```ts ignore
 * const plan = await planDownload(context, { repo, revision, files, modelFile, force: false });
 * ```
 */
export async function planDownload(
  context: StoreContext,
  what: { repo: RepoId; revision: string; files: RepoFile[]; modelFile: RepoFile; force: boolean },
): Promise<DownloadPlan> {
  const { repo, revision, files, modelFile, force } = what;
  const repoDir = repoDirOf(context.modelsDir, repo);
  const record = await readRepoRecord(context.runtime, repoDir, context.warn);
  const technical = files.filter((file) => TECHNICAL_FILES.includes(file.path));
  const planned: PlannedFile[] = [];
  for (const file of [modelFile, ...technical]) {
    const destination = storePathOf(repoDir, file.path);
    const present = !force && await isPresent(context, file, destination, record, file.path);
    let bytesNeeded = present ? 0 : file.size;
    if (!present && !force) {
      const identity = identityOfFile(file);
      bytesNeeded -= (await partialProgress(context.runtime, destination, { identity }))?.bytes ??
        0;
    }
    planned.push({ file: file.path, size: file.size, destination, present, bytesNeeded });
  }
  const bytesNeeded = planned.reduce((sum, file) => sum + file.bytesNeeded, 0);
  const freeBytes = await context.runtime.freeSpace(
    await nearestExisting(context, context.modelsDir),
  );
  return {
    repo: repo.id,
    revision,
    modelFile: modelFile.path,
    files: planned,
    bytesNeeded,
    freeBytes,
  };
}

/**
 * The model a plan would put in the store, for a dry run.
 *
 * @example
 * ```ts ignore
 * const model = plannedModel(context, repo, modelFile, plan);
 * ```
 */
export function plannedModel(
  context: StoreContext,
  repo: RepoId,
  what: { file: RepoFile; plan: DownloadPlan },
): ModelInfo {
  const { file, plan } = what;
  return {
    ...modelInfoOf({
      repo: repo.id,
      dir: repoDirOf(context.modelsDir, repo),
      file: file.path,
      size: file.size,
      technicalFiles: plan.files.map((planned) => planned.file).filter((path) =>
        TECHNICAL_FILES.includes(path)
      ),
    }),
    revision: plan.revision,
    sha256: file.sha256,
  };
}
