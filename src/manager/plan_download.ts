/**
 * Planning a download: which files come with the model (its companion files
 * and vision encoders), which are already complete, how many bytes are still
 * needed (counting resumable partial downloads), and how much space the models
 * directory has.
 *
 * @module
 */
import { join } from "node:path";
import { identityOfFile, partialProgress } from "../store/partial_state.ts";
import { expectedHashOf, hashFile } from "../download/file_hash.ts";
import type { RepoFile } from "../hub/list_files.ts";
import type { RepoId } from "../hub/repo_id.ts";
import { type ModelInfo, modelInfoOf } from "../store/model_catalog.ts";
import { filesOfModel, type PlannedFileKind } from "../store/model_files.ts";
import { type FileRecord, readRepoRecord, type RepoRecord } from "../store/registry.ts";
import { isTechnicalFile } from "../store/repo_folders.ts";
import { repoDirOf, storePathOf } from "../store/store_layout.ts";
import type { StoreContext } from "./store_context.ts";

export type { PlannedFileKind } from "../store/model_files.ts";

/** One file of a download plan. */
export interface PlannedFile {
  /** The repository path. */
  file: string;
  /** What it is to the model. */
  kind: PlannedFileKind;
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
  /** Every file of the model: the `.rkllm` file first, then its companions, then its encoders. */
  files: PlannedFile[];
  /** Bytes still to fetch in all. */
  bytesNeeded: number;
  /** Free bytes in the models directory's file system, when known. */
  freeBytes?: number;
}

/**
 * Whether the record may stand for the file's content without hashing it: `verify` has not
 * found it corrupt and its modification time is the recorded one (size is checked before).
 */
function isTrusted(recorded: FileRecord, mtime: Date | undefined): boolean {
  if (recorded.failedVerifyAt !== undefined) return false;
  return recorded.mtimeMs === undefined || recorded.mtimeMs === mtime?.getTime();
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
  if (
    recorded && isTrusted(recorded, stat.mtime) && (recorded.sha256 === expected.hex ||
      recorded.gitSha1 === expected.hex)
  ) {
    return true;
  }
  return await hashFile(context.runtime, destination, {
    algorithm: expected.algorithm,
    signal: context.connection.signal,
  }) === expected.hex;
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

/** What to plan: the repository's listing at the pinned commit and the model chosen from it. */
export interface DownloadTarget {
  /** The repository. */
  repo: RepoId;
  /** The pinned commit. */
  revision: string;
  /** Every file of the repository at that commit. */
  files: RepoFile[];
  /** The `.rkllm` file chosen. */
  modelFile: RepoFile;
  /** The names of the companion files to bring when the repository holds them, in order. */
  companionFiles: readonly string[];
  /** Plan every file as missing, even when a complete copy is there. */
  force?: boolean;
}

/**
 * Plans the download of a model file with its companion files and vision encoders.
 */
export async function planDownload(
  context: StoreContext,
  target: DownloadTarget,
): Promise<DownloadPlan> {
  const { repo, revision, files, modelFile } = target;
  const force = target.force ?? false;
  const repoDir = repoDirOf(context.modelsDir, repo);
  const record = await readRepoRecord(context.runtime, repoDir, { warn: context.warn });
  const planned: PlannedFile[] = [];
  for (const { file, kind } of filesOfModel(files, target)) {
    const destination = storePathOf(repoDir, file.path);
    const present = !force && await isPresent(context, file, destination, record, file.path);
    let bytesNeeded = present ? 0 : file.size;
    if (!present && !force) {
      const identity = identityOfFile(file);
      bytesNeeded -= (await partialProgress(context.runtime, destination, { identity }))?.bytes ??
        0;
    }
    planned.push({ file: file.path, kind, size: file.size, destination, present, bytesNeeded });
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
 */
export function plannedModel(
  context: StoreContext,
  what: { repo: RepoId; file: RepoFile; plan: DownloadPlan },
): ModelInfo {
  const { repo, file, plan } = what;
  const pathsOf = (kind: PlannedFileKind) =>
    plan.files.filter((planned) => planned.kind === kind).map((planned) => planned.file);
  return {
    ...modelInfoOf({
      repo: repo.id,
      dir: repoDirOf(context.modelsDir, repo),
      file: file.path,
      size: file.size,
      technicalFiles: pathsOf("companion").filter(isTechnicalFile),
      pairing: { companions: pathsOf("companion"), encoders: pathsOf("encoder") },
    }),
    revision: plan.revision,
    sha256: file.sha256,
  };
}
