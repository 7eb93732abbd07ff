/**
 * Reading the store: every `.rkllm` file under `<models dir>/<owner>/<name>/`
 * becomes a {@linkcode ModelInfo}, enriched by the registry record where one
 * exists. Partial downloads are reported separately, never as models.
 *
 * @module
 */
import { join } from "node:path";
import { destinationOfPartial, PARTIAL_SUFFIX, partialProgress } from "./partial_state.ts";
import { errorCodeOf, type Runtime } from "../runtime/runtime.ts";
import { encoderPairing, type ModelVariant, parseModelVariant } from "./model_variant.ts";
import { nearestCompanions } from "./repo_folders.ts";
import { type ToolkitVersion, toolkitVersionOf } from "./toolkit_version.ts";
import {
  type FileRecord,
  type ModelRecord,
  readRepoRecord,
  type StoreReadOptions,
} from "./registry.ts";
import { lstatInside, placeInRepo } from "./safe_path.ts";
import { storageFailure } from "./storage_error.ts";
import { isModelFileName, storePathOf, TECHNICAL_FILES } from "./store_layout.ts";

/** A model in the store. */
export interface ModelInfo extends ModelVariant {
  /** The file name without `.rkllm`. */
  name: string;
  /** `owner/name` of the Hugging Face repository. */
  repo: string;
  /** The file's path inside the repository. */
  file: string;
  /** The absolute path of the `.rkllm` file. */
  path: string;
  /** The repo directory holding it and its technical files. */
  dir: string;
  /** Size in bytes. */
  size: number;
  /** The commit it was downloaded from, when recorded. */
  revision?: string;
  /** The SHA-256 the Hub stated for it, when recorded. */
  sha256?: string;
  /** When it was downloaded (ISO 8601), when recorded. */
  downloadedAt?: string;
  /** The technical files present beside it. */
  technicalFiles: string[];
  /**
   * The companion files that came with it (technical files and tokenizer companions such as
   * `chat_template.jinja`), as recorded; for a model recorded without them, the technical files.
   */
  companionFiles: string[];
  /** The `.rknn` vision encoders paired with it (empty for a language-only model). */
  encoders: string[];
  /** Whether a registry record describes it (false for a file copied in by hand). */
  recorded: boolean;
  /** The RKLLM toolkit version its file name or repository name states. */
  toolkit?: ToolkitVersion;
  /**
   * When `verify` last found one of its files missing or changed (ISO 8601); absent
   * when it verified, was never checked, or was downloaded again since.
   */
  failedVerifyAt?: string;
}

/** A partial download found in the store. */
export interface PartialDownload {
  /** `owner/name`. */
  repo: string;
  /** The file's path inside the repository. */
  file: string;
  /** The partial file's path. */
  path: string;
  /** Bytes downloaded so far (from the saved progress; 0 when there is none to trust). */
  bytes: number;
  /** The whole file's size, when the saved progress says. */
  total?: number;
}

/** What a scan of the store found. */
export interface StoreScan {
  /** The models, sorted by repo then file. */
  models: ModelInfo[];
  /** Partial downloads. */
  partials: PartialDownload[];
  /**
   * The symbolic links inside the models directory (absolute paths, sorted): owner or
   * repo directories and files that are links are foreign, never followed nor written through.
   */
  links: string[];
}

const MAX_DEPTH = 4;

/** Orders strings by code unit, the same on every runtime (unlike `localeCompare`). */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

async function readDirIfPresent(runtime: Runtime, path: string) {
  try {
    return await runtime.readDir(path);
  } catch (error) {
    const code = errorCodeOf(error);
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw storageFailure(`read the directory ${path}`, error);
  }
}

/** What is below a repo directory, as repo paths (`sub/file.rkllm`), each list sorted. */
export interface RepoDirectoryListing {
  /** The regular files. */
  files: string[];
  /** The symbolic links (to files or directories), never followed. */
  links: string[];
}

/**
 * Lists a repo directory: its regular files and its symbolic links, without
 * following any link; hidden directories are skipped.
 */
export async function listRepoDirectory(
  runtime: Runtime,
  dir: string,
): Promise<RepoDirectoryListing> {
  const listing: RepoDirectoryListing = { files: [], links: [] };
  const walk = async (prefix: string, depth: number) => {
    for (const entry of await readDirIfPresent(runtime, join(dir, prefix))) {
      const repoPath = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isSymlink) listing.links.push(repoPath);
      else if (entry.isFile) listing.files.push(repoPath);
      else if (entry.isDirectory && depth < MAX_DEPTH && !entry.name.startsWith(".")) {
        await walk(repoPath, depth + 1);
      }
    }
  };
  await walk("", 0);
  listing.files.sort(byText);
  listing.links.sort(byText);
  return listing;
}

/**
 * The regular files below a repo directory, as repo paths (`sub/file.rkllm`),
 * sorted. Symbolic links are neither listed nor followed; hidden directories
 * are skipped.
 */
export async function filesInRepoDirectory(runtime: Runtime, dir: string): Promise<string[]> {
  return (await listRepoDirectory(runtime, dir)).files;
}

/** A repo directory of the store. */
export interface RepoDirectory {
  /** `owner/name`. */
  repo: string;
  /** Its absolute path. */
  dir: string;
}

/** The repo directories of a store and the links beside them. */
export interface StoreDirectories {
  /** `<owner>/<name>` pairs that are real directories, sorted. */
  repos: RepoDirectory[];
  /** Owner and repo directories that are symbolic links (absolute paths, sorted), never followed. */
  links: string[];
}

/**
 * Finds the repo directories of a store, and the owner and repo entries that
 * are symbolic links (which are reported, never followed).
 */
export async function storeDirectories(
  runtime: Runtime,
  modelsDir: string,
): Promise<StoreDirectories> {
  const found: StoreDirectories = { repos: [], links: [] };
  for (const owner of await readDirIfPresent(runtime, modelsDir)) {
    if (owner.name.startsWith(".")) continue;
    if (owner.isSymlink) found.links.push(join(modelsDir, owner.name));
    if (!owner.isDirectory) continue;
    for (const repo of await readDirIfPresent(runtime, join(modelsDir, owner.name))) {
      if (repo.name.startsWith(".")) continue;
      const dir = join(modelsDir, owner.name, repo.name);
      if (repo.isSymlink) found.links.push(dir);
      if (repo.isDirectory) found.repos.push({ repo: `${owner.name}/${repo.name}`, dir });
    }
  }
  found.repos.sort((a, b) => byText(a.repo, b.repo));
  found.links.sort(byText);
  return found;
}

/** The repo directories of a store: `<owner>/<name>` pairs that are real directories, sorted. */
export async function repoDirectories(
  runtime: Runtime,
  modelsDir: string,
): Promise<RepoDirectory[]> {
  return (await storeDirectories(runtime, modelsDir)).repos;
}

/** What describes a model besides its place: the record entry and the technical files beside it. */
export interface ModelFacts {
  /** `owner/name`. */
  repo: string;
  /** The repo directory. */
  dir: string;
  /** The file's path inside the repository. */
  file: string;
  /** Its size in bytes. */
  size: number;
  /** The record entry, when it describes this very file. */
  record?: FileRecord;
  /** The technical files beside it. */
  technicalFiles: string[];
  /** What the record says came with it (format 2), or what the download plans to bring. */
  pairing?: ModelRecord;
  /** When `verify` last failed one of its files, as the record marks it. */
  failedVerifyAt?: string;
}

export function modelInfoOf(facts: ModelFacts): ModelInfo {
  const { repo, dir, file, size, record } = facts;
  return {
    name: file.split("/").pop()!.replace(/\.rkllm$/i, ""),
    repo,
    file,
    path: storePathOf(dir, file),
    dir,
    size,
    revision: record?.revision,
    sha256: record?.sha256,
    downloadedAt: record?.downloadedAt,
    technicalFiles: facts.technicalFiles,
    companionFiles: facts.pairing?.companions ?? facts.technicalFiles,
    encoders: facts.pairing?.encoders ?? [],
    recorded: record !== undefined,
    ...(facts.failedVerifyAt ? { failedVerifyAt: facts.failedVerifyAt } : {}),
    ...parseModelVariant(file),
    ...optionalToolkit(toolkitVersionOf({ file, repo })),
  };
}

function optionalToolkit(toolkit: ToolkitVersion | undefined): { toolkit?: ToolkitVersion } {
  return toolkit ? { toolkit } : {};
}

/** Scans one repo directory for models and partial downloads. */
export async function scanRepoDirectory(
  runtime: Runtime,
  where: RepoDirectory,
  options: StoreReadOptions = {},
): Promise<StoreScan> {
  const { warn } = options;
  const { repo, dir } = where;
  const { files, links } = await listRepoDirectory(runtime, dir);
  const present = new Set(files);
  const modelFiles = files.filter(isModelFileName);
  const partialFiles = files.filter((file) => file.endsWith(PARTIAL_SUFFIX));
  const record = modelFiles.length > 0 ? await readRepoRecord(runtime, dir, { warn }) : undefined;
  const models: ModelInfo[] = [];
  const encodersOf = encoderPairing(files);
  for (const file of modelFiles) {
    const { path, stat } = await lstatInside(runtime, placeInRepo(dir, file));
    if (!stat?.isFile) throw storageFailure(`read ${path}`, new Error("it is gone or not a file"));
    const fileRecord = record?.files[file];
    const matches = fileRecord !== undefined && fileRecord.size === stat.size;
    const technicalFiles = nearestCompanions(file, { present, names: TECHNICAL_FILES });
    // Without a recorded pairing (format 1, copied by hand), the encoders beside it pair by name.
    const pairing = (matches ? record?.models?.[file] : undefined) ??
      { companions: technicalFiles, encoders: encodersOf(file) };
    models.push(modelInfoOf({
      repo,
      dir,
      file,
      size: stat.size,
      record: matches ? fileRecord : undefined,
      technicalFiles,
      pairing,
      failedVerifyAt: [file, ...pairing.companions, ...pairing.encoders]
        .map((name) => record?.files[name]?.failedVerifyAt).filter(Boolean).sort().at(-1),
    }));
  }
  const partials: PartialDownload[] = [];
  for (const file of partialFiles) {
    const destinationFile = destinationOfPartial(file)!;
    const destination = storePathOf(dir, destinationFile);
    // The partial file's size is its furthest segment's end, not what arrived.
    const progress = await partialProgress(runtime, destination);
    partials.push({
      repo,
      file: destinationFile,
      path: storePathOf(dir, file),
      bytes: progress?.bytes ?? 0,
      total: progress?.total,
    });
  }
  return { models, partials, links: links.map((link) => storePathOf(dir, link)) };
}

/** Scans the store for models and partial downloads, sorted by repo then file. */
export async function scanStore(
  runtime: Runtime,
  modelsDir: string,
  options: StoreReadOptions = {},
): Promise<StoreScan> {
  const { repos, links } = await storeDirectories(runtime, modelsDir);
  const scan: StoreScan = { models: [], partials: [], links };
  for (const where of repos) {
    const found = await scanRepoDirectory(runtime, where, options);
    scan.models.push(...found.models);
    scan.partials.push(...found.partials);
    scan.links.push(...found.links);
  }
  scan.links.sort(byText);
  return scan;
}
