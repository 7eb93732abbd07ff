/**
 * The download operation: pin the commit, choose the model file and what comes
 * with it (companion files, vision encoders), skip what is
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
import type { RepoFile } from "../hub/list_files.ts";
import type { RepoInfo } from "../hub/repo_info.ts";
import { huggingFaceSource } from "../source/hugging_face_source.ts";
import type { RepoSource } from "../source/repo_source.ts";
import { parseRepoId, type RepoId } from "../hub/repo_id.ts";
import type { RetryOptions } from "../http/retry.ts";
import { acquireLock, type HeldLock } from "../store/file_lock.ts";
import { listRepoDirectory, type ModelInfo, scanRepoDirectory } from "../store/model_catalog.ts";
import { type FileRecord, readRepoRecord } from "../store/registry.ts";
import { type RecordedFile, recordStoredFiles } from "../store/record_writer.ts";
import { modelRecordOf } from "../store/model_files.ts";
import { identityOfFile } from "../store/partial_state.ts";
import { loadModelsConfig } from "../config/models_config.ts";
import { formatBytes } from "../units.ts";
import { storageFailure } from "../store/storage_error.ts";
import { ensureStoreDirectory } from "../store/store_directory.ts";
import { LOCK_FILE, repoDirOf, storePathOf } from "../store/store_layout.ts";
import { leftoversOf } from "../store/store_ownership.ts";
import {
  chooseModelFile,
  type ModelFileChoice,
  modelFilesOf,
  type VariantFilter,
} from "./choose_model_file.ts";
import { branchChoiceError, branchVariants } from "./branch_variants.ts";
import { detectBoard, downloadWarnings } from "./board_fit.ts";
import { toolkitVersionOf } from "../store/toolkit_version.ts";
import { completeLocalModel } from "./offline_model.ts";
import {
  type DownloadPlan,
  type DownloadTarget,
  planDownload,
  plannedModel,
} from "./plan_download.ts";

export type { DownloadPlan, PlannedFile, PlannedFileKind } from "./plan_download.ts";
import type { StoreContext } from "./store_context.ts";

/** Options of one download. */
export interface DownloadOptions extends VariantFilter {
  /**
   * A branch, tag or commit.
   *
   * @default the repository's default branch
   */
  revision?: string;
  /** Download again even when complete files are present. */
  force?: boolean;
  /** Plan only: report what would be downloaded, write nothing. */
  dryRun?: boolean;
  /**
   * Parallel connections for large files.
   *
   * @default 8
   */
  connections?: number;
  /**
   * Files at least this large, in bytes, use parallel segments.
   *
   * @default 67108864
   */
  parallelThreshold?: number;
  /**
   * Restart a request after this many milliseconds without a byte.
   *
   * @default 30000
   */
  idleTimeoutMs?: number;
  /** Retry policy. */
  retry?: RetryOptions;
  /** Receives progress events. */
  onProgress?: DownloadEventHandler;
  /**
   * The files to bring beside the `.rkllm` file when the repository holds them.
   *
   * @default `COMPANION_FILES` of the models config, `configs/models.json`
   */
  companionFiles?: readonly string[];
  /**
   * The repository's info and files as `ModelManager.listVariants` or
   * `listRemoteFiles` just answered them, so they are not asked for again.
   */
  listing?: { info: RepoInfo; files: RepoFile[] };
}

/** The result of {@linkcode installModel}. */
export interface DownloadResult {
  /** The model as it is now in the store. */
  model: ModelInfo;
  /** The plan that was carried out. */
  plan: DownloadPlan;
  /** Bytes fetched over the network. */
  transferred: number;
}

/** Warns, without refusing, of a model that will not load here (see {@linkcode downloadWarnings}). */
async function warnBeforeFetching(
  context: StoreContext,
  what: { repo: RepoId; file: RepoFile; branch?: string },
): Promise<void> {
  const { repo, file, branch } = what;
  const toolkit = toolkitVersionOf({ file: file.path, branch, repo: repo.id });
  const model = { name: `${repo.id}/${file.path}`, size: file.size, toolkit };
  for (const warning of downloadWarnings(model, await detectBoard(context.runtime))) {
    context.warn(warning);
  }
}

/** A model to install: what to plan, and where it comes from. */
interface InstallJob {
  target: DownloadTarget;
  info: RepoInfo;
  source: RepoSource;
  repoDir: string;
  options: DownloadOptions;
}

/**
 * Installs a model with its companion files and vision encoders into the store
 * (what `ModelManager.downloadModel` does).
 */
export async function installModel(
  context: StoreContext,
  repoText: string,
  options: DownloadOptions & ModelFileChoice = {},
): Promise<DownloadResult> {
  if (context.connection.offline && !options.dryRun && !options.force) {
    return offlineResult(await completeLocalModel(context, repoText, options));
  }
  const job = await resolveJob(context, repoText, options);
  const { repo, modelFile } = job.target;
  await warnBeforeFetching(context, { repo, file: modelFile, branch: options.revision });
  if (options.dryRun) {
    const plan = await planDownload(context, job.target);
    return { model: plannedModel(context, { repo, file: modelFile, plan }), plan, transferred: 0 };
  }
  await ensureStoreDirectory(context.runtime, {
    root: context.modelsDir,
    parts: [repo.owner, repo.name],
  });
  const lock = await lockRepo(context, job);
  try {
    return await installLocked(context, job);
  } finally {
    await lock.release().catch(() => {});
  }
}

/** Pins the commit and chooses the model file, asking the hub what the listing did not say. */
async function resolveJob(
  context: StoreContext,
  repoText: string,
  options: DownloadOptions & ModelFileChoice,
): Promise<InstallJob> {
  const { connection, runtime } = context;
  const asked = parseRepoId(repoText);
  const source = context.source ?? huggingFaceSource;
  const info = options.listing?.info ??
    await source.repoInfo(connection, asked, { revision: options.revision });
  // The Hub's own spelling names the store directory, so another capitalisation or an old
  // name of a renamed repository does not download the model a second time.
  const repo = canonicalRepoId(info.id, asked);
  const revision = info.sha;
  const files = options.listing?.files ?? await source.listFiles(connection, repo, { revision });
  if (options.file === undefined && options.revision === undefined && !modelFilesOf(files).length) {
    const onBranches = await branchVariants(connection, { info, filter: options, source });
    if (onBranches.length > 0) throw branchChoiceError(repo.id, onBranches);
  }
  const modelFile = chooseModelFile(repo.id, files, options);
  const companionFiles = options.companionFiles ??
    (await loadModelsConfig(runtime)).COMPANION_FILES;
  return {
    target: { repo, revision, files, modelFile, companionFiles, force: options.force },
    info,
    source,
    repoDir: repoDirOf(context.modelsDir, repo),
    options,
  };
}

/** Takes the repo directory's lock, telling `onProgress` while another process holds it. */
async function lockRepo(context: StoreContext, job: InstallJob): Promise<HeldLock> {
  const { repo, modelFile } = job.target;
  const lockPath = join(job.repoDir, LOCK_FILE);
  return await acquireLock(context.runtime, lockPath, {
    signal: context.connection.signal,
    purpose: `download ${repo.id}/${modelFile.path}`,
    onWait: (holder) =>
      job.options.onProgress?.({
        event: "wait",
        file: modelFile.path,
        holder: { pid: holder.pid, host: holder.host, since: holder.since },
        lock: lockPath,
      }),
  }).catch((error) => {
    throw storageFailure(`lock ${job.repoDir}`, error);
  });
}

/** Plans, fetches, moves into place and records the model; the caller holds the lock. */
async function installLocked(context: StoreContext, job: InstallJob): Promise<DownloadResult> {
  // Planned under the lock: another process may have finished some files meanwhile.
  const plan = await planDownload(context, job.target);
  refuseWithoutSpace(context, { repo: job.target.repo, plan });
  const results = await fetchPending(context, job, plan);
  await recordDownload(context, job, { plan, results });
  await removeLeftovers(context, job.repoDir);
  const { models } = await scanRepoDirectory(
    context.runtime,
    { repo: job.target.repo.id, dir: job.repoDir },
    { warn: context.warn },
  );
  const model = models.find((candidate) => candidate.file === job.target.modelFile.path);
  if (!model) {
    throw new ModelManagerError(
      "storage",
      `cannot find ${job.target.modelFile.path} in ${job.repoDir} after downloading it`,
      { hint: "another process removed it meanwhile; run the command again" },
    );
  }
  const transferred = results.reduce((sum, result) => sum + result.transferred, 0);
  return { model, plan, transferred };
}

function refuseWithoutSpace(
  context: StoreContext,
  what: { repo: RepoId; plan: DownloadPlan },
): void {
  const { plan } = what;
  if (plan.freeBytes === undefined || plan.bytesNeeded <= plan.freeBytes) return;
  throw new ModelManagerError(
    "storage",
    `download ${what.repo.id}: it needs ${
      formatBytes(plan.bytesNeeded)
    } but ${context.modelsDir} has ${formatBytes(plan.freeBytes)} free`,
    {
      hint:
        "free some space (rkllm-models clean --partial, rkllm-models remove <model>) or choose another --dir",
      bytesNeeded: plan.bytesNeeded,
      freeBytes: plan.freeBytes,
    },
  );
}

/** Downloads the files the plan lacks concurrently, then moves them into place, the model last. */
async function fetchPending(
  context: StoreContext,
  job: InstallJob,
  plan: DownloadPlan,
): Promise<FileDownloadResult[]> {
  const { runtime } = context;
  const { options } = job;
  const engine: DownloadEngineOptions = {
    runtime,
    connection: context.connection,
    source: job.source,
    connections: options.connections,
    parallelThreshold: options.parallelThreshold,
    idleTimeoutMs: options.idleTimeoutMs,
    retry: options.retry ?? context.connection.retry,
    onEvent: options.onProgress,
  };
  const pending = plan.files.filter((file) => !file.present);
  const byPath = new Map(job.target.files.map((file) => [file.path, file]));
  for (const file of pending) {
    const subdirectories = file.file.split("/").slice(0, -1);
    await ensureStoreDirectory(runtime, { root: job.repoDir, parts: subdirectories });
  }
  const { repo, revision } = job.target;
  const settled = await Promise.allSettled(pending.map((file) =>
    downloadToPartial({
      repo,
      commit: revision,
      file: byPath.get(file.file)!,
      destination: file.destination,
    }, engine)
  ));
  const failure = settled.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
  const results = settled.map((result) =>
    (result as PromiseFulfilledResult<FileDownloadResult>).value
  );
  // The model file moves into place last, so a listed model always has its companions.
  for (const result of [...results].reverse()) {
    await finalizeDownload(runtime, result.destination).catch((error) => {
      throw storageFailure(`move ${result.file} into place`, error);
    });
  }
  return results;
}

/**
 * The hash a file was checked against: the one its download verified, else for
 * a file already present the listing's (well-formed) hash it was checked
 * against, else what the record said before. None: checked by size only.
 */
function recordedHash(
  result: FileDownloadResult | undefined,
  known: { file: RepoFile; previous?: FileRecord },
): { sha256?: string; gitSha1?: string } {
  if (result) return { sha256: result.sha256, gitSha1: result.gitSha1 };
  const listed = identityOfFile(known.file);
  if (listed.sha256 || listed.gitSha1) return { sha256: listed.sha256, gitSha1: listed.gitSha1 };
  return { sha256: known.previous?.sha256, gitSha1: known.previous?.gitSha1 };
}

/** Removes what killed runs left beside the now complete model (see {@linkcode leftoversOf}). */
async function removeLeftovers(context: StoreContext, repoDir: string): Promise<void> {
  const { runtime } = context;
  const { files } = await listRepoDirectory(runtime, repoDir);
  const record = await readRepoRecord(runtime, repoDir, { warn: context.warn });
  for (const file of leftoversOf(files, record)) {
    const path = storePathOf(repoDir, file);
    await runtime.remove(path).catch((error) => {
      const reason = error instanceof Error ? error.message : String(error);
      context.warn(`could not remove the leftover ${path} (${reason}); it is safe to delete`);
    });
  }
}

/** What a download that found its model complete offline answers: nothing planned, nothing sent. */
function offlineResult(model: ModelInfo): DownloadResult {
  const planned = { file: model.file, kind: "model" as const, size: model.size };
  return {
    model,
    plan: {
      repo: model.repo,
      revision: model.revision ?? "",
      modelFile: model.file,
      files: [{ ...planned, destination: model.path, present: true, bytesNeeded: 0 }],
      bytesNeeded: 0,
    },
    transferred: 0,
  };
}

function canonicalRepoId(hubId: string, asked: RepoId): RepoId {
  try {
    return parseRepoId(hubId);
  } catch {
    return asked;
  }
}

/**
 * Records every file of the plan: a file kept from before keeps its commit and time; the
 * model's `models` entry names what came with it.
 */
async function recordDownload(
  context: StoreContext,
  job: InstallJob,
  what: { plan: DownloadPlan; results: FileDownloadResult[] },
): Promise<void> {
  const { plan } = what;
  const { repo, revision } = job.target;
  const downloaded = new Map(what.results.map((result) => [result.file, result]));
  const byPath = new Map(job.target.files.map((file) => [file.path, file]));
  const record = await readRepoRecord(context.runtime, job.repoDir, { warn: context.warn });
  const files: Record<string, RecordedFile> = {};
  for (const planned of plan.files) {
    const file = byPath.get(planned.file)!;
    const previous = record?.files[planned.file];
    const kept = planned.present && previous?.size === file.size ? previous : undefined;
    const result = downloaded.get(planned.file);
    files[planned.file] = {
      size: result?.size ?? file.size,
      ...recordedHash(result, { file, previous: kept }),
      revision: kept?.revision ?? revision,
      downloadedAt: kept?.downloadedAt,
    };
  }
  await recordStoredFiles(context.runtime, {
    dir: job.repoDir,
    repo: repo.id,
    files,
    models: { [plan.modelFile]: modelRecordOf(plan.files) },
    facts: {
      revision,
      private: job.info.private,
      gated: job.info.gated,
      source: job.source.name,
    },
  }, { warn: context.warn });
}
