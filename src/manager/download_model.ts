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
import type { SourceName } from "../source/repo_source.ts";
import { parseRepoId, type RepoId } from "../hub/repo_id.ts";
import type { RetryOptions } from "../http/retry.ts";
import { acquireLock } from "../store/file_lock.ts";
import { listRepoDirectory, type ModelInfo, scanRepoDirectory } from "../store/model_catalog.ts";
import {
  type FileRecord,
  readRepoRecord,
  RECORD_FORMAT_VERSION,
  type RepoRecord,
  writeRepoRecord,
} from "../store/registry.ts";
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
import { type DownloadPlan, planDownload, plannedModel } from "./plan_download.ts";

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

/** The result of {@linkcode downloadModel}. */
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

/**
 * Downloads a model with its companion files and vision encoders into the store.
 */
export async function downloadModel(
  context: StoreContext,
  repoText: string,
  options: DownloadOptions & ModelFileChoice = {},
): Promise<DownloadResult> {
  const asked = parseRepoId(repoText);
  const { connection, runtime } = context;
  if (connection.offline && !options.dryRun && !options.force) {
    return offlineResult(await completeLocalModel(context, repoText, options));
  }
  const source = context.source ?? huggingFaceSource;
  const info = options.listing?.info ??
    await source.repoInfo(connection, asked, { revision: options.revision });
  // The Hub's own spelling names the store directory, so another capitalisation or an old
  // name of a renamed repository does not download the model a second time.
  const repo = canonicalRepoId(info.id, asked);
  const revision = info.sha;
  const files = options.listing?.files ??
    await source.listFiles(connection, repo, { revision });
  if (options.file === undefined && options.revision === undefined && !modelFilesOf(files).length) {
    const onBranches = await branchVariants(connection, { info, filter: options, source });
    if (onBranches.length > 0) throw branchChoiceError(repo.id, onBranches);
  }
  const modelFile = chooseModelFile(repo.id, files, options);
  await warnBeforeFetching(context, { repo, file: modelFile, branch: options.revision });
  const repoDir = repoDirOf(context.modelsDir, repo);
  const companionFiles = options.companionFiles ??
    (await loadModelsConfig(runtime)).COMPANION_FILES;
  const makePlan = () =>
    planDownload(context, {
      repo,
      revision,
      files,
      modelFile,
      companionFiles,
      force: options.force,
    });

  if (options.dryRun) {
    const plan = await makePlan();
    return { model: plannedModel(context, { repo, file: modelFile, plan }), plan, transferred: 0 };
  }

  await ensureStoreDirectory(runtime, {
    root: context.modelsDir,
    parts: [repo.owner, repo.name],
  });
  const lock = await acquireLock(runtime, join(repoDir, LOCK_FILE), {
    signal: connection.signal,
    purpose: `download ${repo.id}/${modelFile.path}`,
    onWait: (holder) =>
      options.onProgress?.({
        event: "wait",
        file: modelFile.path,
        holder: { pid: holder.pid, host: holder.host, since: holder.since },
        lock: join(repoDir, LOCK_FILE),
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
          bytesNeeded: plan.bytesNeeded,
          freeBytes: plan.freeBytes,
        },
      );
    }
    const engine: DownloadEngineOptions = {
      runtime,
      connection,
      source,
      connections: options.connections,
      parallelThreshold: options.parallelThreshold,
      idleTimeoutMs: options.idleTimeoutMs,
      retry: options.retry ?? connection.retry,
      onEvent: options.onProgress,
    };
    const pending = plan.files.filter((file) => !file.present);
    const byPath = new Map(files.map((file) => [file.path, file]));
    for (const file of pending) {
      const subdirectories = file.file.split("/").slice(0, -1);
      await ensureStoreDirectory(runtime, { root: repoDir, parts: subdirectories });
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
    // The model file moves into place last, so a listed model always has its companions.
    for (const result of [...results].reverse()) {
      await finalizeDownload(runtime, result.destination).catch((error) => {
        throw storageFailure(`move ${result.file} into place`, error);
      });
    }
    await recordDownload(context, repoDir, {
      repo,
      revision,
      plan,
      byPath,
      results,
      access: { private: info.private, gated: info.gated },
      source: source.name,
    });
    await removeLeftovers(context, repoDir);
    const { models } = await scanRepoDirectory(
      runtime,
      { repo: repo.id, dir: repoDir },
      { warn: context.warn },
    );
    const model = models.find((candidate) => candidate.file === modelFile.path);
    if (!model) {
      throw new ModelManagerError(
        "storage",
        `cannot find ${modelFile.path} in ${repoDir} after downloading it`,
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

async function recordDownload(
  context: StoreContext,
  repoDir: string,
  what: {
    repo: RepoId;
    revision: string;
    plan: DownloadPlan;
    byPath: Map<string, RepoFile>;
    results: FileDownloadResult[];
    access: { private: boolean; gated: false | "auto" | "manual" };
    source: SourceName;
  },
): Promise<void> {
  const { repo, revision, plan, byPath } = what;
  const downloaded = new Map(what.results.map((result) => [result.file, result]));
  const record: RepoRecord =
    (await readRepoRecord(context.runtime, repoDir, { warn: context.warn })) ??
      { version: RECORD_FORMAT_VERSION, repo: repo.id, revision, files: {} };
  const now = new Date().toISOString();
  for (const planned of plan.files) {
    const file = byPath.get(planned.file)!;
    const previous = record.files[planned.file];
    const unchanged = planned.present && previous && previous.size === file.size;
    const result = downloaded.get(planned.file);
    record.files[planned.file] = {
      size: result?.size ?? file.size,
      ...recordedHash(result, {
        file,
        previous: unchanged ? previous : undefined,
      }),
      revision: unchanged ? previous.revision : revision,
      downloadedAt: unchanged ? previous.downloadedAt : now,
      // Known good now (hashed, trusted or just downloaded): a later change of time shows.
      mtimeMs: (await context.runtime.stat(planned.destination).catch(() => undefined))?.mtime
        ?.getTime(),
    };
  }
  const pathsOf = (kind: string) =>
    plan.files.filter((planned) => planned.kind === kind).map((planned) => planned.file);
  record.models = {
    ...record.models,
    [plan.modelFile]: { companions: pathsOf("companion"), encoders: pathsOf("encoder") },
  };
  record.version = RECORD_FORMAT_VERSION;
  record.repo = repo.id;
  record.revision = revision;
  record.private = what.access.private;
  record.gated = what.access.gated;
  record.source = what.source;
  try {
    await writeRepoRecord(context.runtime, { dir: repoDir, record });
  } catch (error) {
    throw storageFailure(`write the registry record in ${repoDir}`, error);
  }
}
