/**
 * The download operation: pin the commit, choose the files, skip what is
 * already complete, check free space, download everything concurrently under
 * the repo directory's lock, move the files into place (the model last) and
 * record them.
 *
 * @module
 */
import { join } from "node:path";
import { ModelManagerError } from "../errors.ts";
import type { DownloadEventHandler } from "../download/download_events.ts";
import {
  type DownloadEngineOptions,
  downloadToPartial,
  type FileDownloadResult,
  finalizeDownload,
} from "../download/download_file.ts";
import {
  identityOfFile,
  partialPathOf,
  readDownloadState,
  sameIdentity,
} from "../download/download_state.ts";
import { expectedHashOf, hashFile } from "../download/file_hash.ts";
import { listRepoFiles, type RepoFile } from "../hub/list_files.ts";
import { fetchRepoInfo } from "../hub/repo_info.ts";
import { parseRepoId, type RepoId } from "../hub/repo_id.ts";
import type { RetryOptions } from "../http/retry.ts";
import { acquireLock } from "../store/file_lock.ts";
import { type ModelInfo, scanStore } from "../store/model_catalog.ts";
import { parseModelVariant } from "../store/model_variant.ts";
import { readRepoRecord, type RepoRecord, writeRepoRecord } from "../store/registry.ts";
import { storageFailure } from "../store/storage_error.ts";
import { LOCK_FILE, repoDirOf, storePathOf, TECHNICAL_FILES } from "../store/store_layout.ts";
import { chooseModelFile, type VariantFilter } from "./choose_model_file.ts";
import type { StoreContext } from "./store_context.ts";

/** Options of one download. */
export interface DownloadOptions extends VariantFilter {
  /** A branch, tag or commit (default: the default branch). */
  revision?: string;
  /** Download again even when complete files are present. */
  force?: boolean;
  /** Plan only: report what would be downloaded, write nothing. */
  dryRun?: boolean;
  /** Parallel connections for large files (default 8). */
  connections?: number;
  /** Files at least this large use parallel segments (default 64 MiB). */
  parallelThreshold?: number;
  /** Restart a request after this many milliseconds without a byte (default 30000). */
  idleTimeoutMs?: number;
  /** Retry policy. */
  retry?: RetryOptions;
  /** Receives progress events. */
  onProgress?: DownloadEventHandler;
}

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

/** The result of {@linkcode downloadModel}. */
export interface DownloadResult {
  /** The model as it is now in the store. */
  model: ModelInfo;
  /** The plan that was carried out. */
  plan: DownloadPlan;
  /** Bytes fetched over the network. */
  transferred: number;
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

async function planDownload(
  context: StoreContext,
  repo: RepoId,
  revision: string,
  files: RepoFile[],
  modelFile: RepoFile,
  force: boolean,
): Promise<DownloadPlan> {
  const repoDir = repoDirOf(context.modelsDir, repo);
  const record = await readRepoRecord(context.runtime, repoDir, context.warn);
  const technical = files.filter((file) => TECHNICAL_FILES.includes(file.path));
  const planned: PlannedFile[] = [];
  for (const file of [modelFile, ...technical]) {
    const destination = storePathOf(repoDir, file.path);
    const present = !force && await isPresent(context, file, destination, record, file.path);
    let bytesNeeded = present ? 0 : file.size;
    if (!present && !force) {
      const state = await readDownloadState(context.runtime, destination);
      if (state && sameIdentity(state.identity, identityOfFile(file))) {
        const partialExists = await context.runtime.stat(partialPathOf(destination)).then(
          () => true,
          () => false,
        );
        if (partialExists) {
          bytesNeeded -= state.segments.reduce(
            (sum, segment) => sum + segment.next - segment.start,
            0,
          );
        }
      }
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

function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3
    ? `${(bytes / 1024 ** 3).toFixed(2)} GiB`
    : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/**
 * Downloads a model and its technical files into the store.
 *
 * @example
 * ```ts ignore
 * const { model } = await downloadModel(context, "limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4");
 * ```
 */
export async function downloadModel(
  context: StoreContext,
  repoText: string,
  fileName: string | undefined,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const repo = parseRepoId(repoText);
  const { connection, runtime } = context;
  const info = await fetchRepoInfo(connection, repo, options.revision);
  const revision = info.sha;
  const files = await listRepoFiles(connection, repo, revision);
  const modelFile = chooseModelFile(repo.id, files, fileName, options);
  const repoDir = repoDirOf(context.modelsDir, repo);
  const makePlan = () =>
    planDownload(context, repo, revision, files, modelFile, options.force ?? false);

  if (options.dryRun) {
    const plan = await makePlan();
    return { model: plannedModel(context, repo, modelFile, plan), plan, transferred: 0 };
  }

  try {
    await runtime.mkdir(repoDir);
  } catch (error) {
    throw storageFailure(`create the model directory ${repoDir}`, error);
  }
  const lock = await acquireLock(runtime, join(repoDir, LOCK_FILE), {
    signal: connection.signal,
    purpose: `download ${repo.id}/${modelFile.path}`,
    onWait: (holder) =>
      options.onProgress?.({
        event: "wait",
        file: modelFile.path,
        holder: { pid: holder.pid, host: holder.host, since: holder.since },
      }),
  }).catch((error) => {
    throw storageFailure(`lock ${repoDir}`, error);
  });
  try {
    // Planned again under the lock: another process may have finished some files meanwhile.
    const plan = await makePlan();
    if (plan.freeBytes !== undefined && plan.bytesNeeded > plan.freeBytes) {
      throw new ModelManagerError(
        "storage",
        `download ${repo.id}: it needs ${
          formatBytes(plan.bytesNeeded)
        } but ${context.modelsDir} has ${formatBytes(plan.freeBytes)} free`,
        {
          hint:
            "free some space (rkllm-models clean --partial, rkllm-models remove <model>) or choose another --dir",
          details: { bytesNeeded: plan.bytesNeeded, freeBytes: plan.freeBytes },
        },
      );
    }
    const engine: DownloadEngineOptions = {
      runtime,
      connection,
      connections: options.connections,
      parallelThreshold: options.parallelThreshold,
      idleTimeoutMs: options.idleTimeoutMs,
      retry: options.retry ?? connection.retry,
      onEvent: options.onProgress,
    };
    const pending = plan.files.filter((file) => !file.present);
    const byPath = new Map(files.map((file) => [file.path, file]));
    for (const file of pending) {
      await runtime.mkdir(join(file.destination, "..")).catch((error) => {
        throw storageFailure(`create the directory of ${file.file}`, error);
      });
    }
    const settled = await Promise.allSettled(
      pending.map((file) =>
        downloadToPartial({
          repo,
          commit: revision,
          file: byPath.get(file.file)!,
          destination: file.destination,
        }, engine)
      ),
    );
    const failure = settled.find((result): result is PromiseRejectedResult =>
      result.status === "rejected"
    );
    if (failure) throw failure.reason;
    const results = settled.map((result) =>
      (result as PromiseFulfilledResult<FileDownloadResult>).value
    );
    // The model file moves into place last, so a listed model always has its technical files.
    for (const result of [...results].reverse()) {
      await finalizeDownload(runtime, result.destination).catch((error) => {
        throw storageFailure(`move ${result.file} into place`, error);
      });
    }
    await recordDownload(context, repoDir, repo, revision, plan, byPath);
    const model = (await scanStore(runtime, context.modelsDir, context.warn)).models.find(
      (candidate) => candidate.repo === repo.id && candidate.file === modelFile.path,
    );
    if (!model) {
      throw new ModelManagerError(
        "storage",
        `find ${modelFile.path} in ${repoDir} after downloading it`,
        {
          hint: "another process removed it meanwhile; run the command again",
        },
      );
    }
    return {
      model,
      plan,
      transferred: results.reduce((sum, result) => sum + result.transferred, 0),
    };
  } finally {
    await lock.release().catch(() => {});
  }
}

async function recordDownload(
  context: StoreContext,
  repoDir: string,
  repo: RepoId,
  revision: string,
  plan: DownloadPlan,
  byPath: Map<string, RepoFile>,
): Promise<void> {
  const record: RepoRecord = (await readRepoRecord(context.runtime, repoDir, context.warn)) ??
    { version: 1, repo: repo.id, revision, files: {} };
  const now = new Date().toISOString();
  for (const planned of plan.files) {
    const file = byPath.get(planned.file)!;
    const previous = record.files[planned.file];
    const unchanged = planned.present && previous && previous.size === file.size;
    record.files[planned.file] = {
      size: file.size,
      sha256: file.sha256,
      gitSha1: file.lfs ? undefined : file.gitSha1,
      revision: unchanged ? previous.revision : revision,
      downloadedAt: unchanged ? previous.downloadedAt : now,
    };
  }
  record.repo = repo.id;
  record.revision = revision;
  try {
    await writeRepoRecord(context.runtime, repoDir, record);
  } catch (error) {
    throw storageFailure(`write the registry record in ${repoDir}`, error);
  }
}

function plannedModel(
  context: StoreContext,
  repo: RepoId,
  file: RepoFile,
  plan: DownloadPlan,
): ModelInfo {
  const repoDir = repoDirOf(context.modelsDir, repo);
  return {
    name: file.path.split("/").pop()!.replace(/\.rkllm$/i, ""),
    repo: repo.id,
    file: file.path,
    path: storePathOf(repoDir, file.path),
    dir: repoDir,
    size: file.size,
    revision: plan.revision,
    sha256: file.sha256,
    technicalFiles: plan.files.map((planned) => planned.file).filter((path) =>
      TECHNICAL_FILES.includes(path)
    ),
    recorded: false,
    ...parseModelVariant(file.path),
  };
}
