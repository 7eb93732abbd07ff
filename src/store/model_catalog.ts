/**
 * Reading the store: every `.rkllm` file under `<models dir>/<owner>/<name>/`
 * becomes a {@linkcode ModelInfo}, enriched by the registry record where one
 * exists. Partial downloads are reported separately, never as models.
 *
 * @module
 */
import { join, relative, sep } from "node:path";
import { isPartialName } from "../download/download_state.ts";
import { isNotFound, type Runtime } from "../runtime/runtime.ts";
import { type ModelVariant, parseModelVariant } from "./model_variant.ts";
import { readRepoRecord } from "./registry.ts";
import { isModelFileName, TECHNICAL_FILES } from "./store_layout.ts";

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
  /** Whether a registry record describes it (false for a file copied in by hand). */
  recorded: boolean;
}

/** A partial download found in the store. */
export interface PartialDownload {
  /** `owner/name`. */
  repo: string;
  /** The file's path inside the repository. */
  file: string;
  /** The partial file's path. */
  path: string;
  /** Bytes on disk. */
  size: number;
}

/** What a scan of the store found. */
export interface StoreScan {
  /** The models, sorted by repo then file. */
  models: ModelInfo[];
  /** Partial downloads. */
  partials: PartialDownload[];
}

const MAX_DEPTH = 4;

async function readDirIfPresent(runtime: Runtime, path: string) {
  try {
    return await runtime.readDir(path);
  } catch (error) {
    if (isNotFound(error) || (error as { code?: string }).code === "ENOTDIR") return [];
    throw error;
  }
}

/** Lists the regular files below a repo directory (links are not followed), as repo paths. */
async function filesBelow(
  runtime: Runtime,
  root: string,
  depth = 0,
  prefix = "",
): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readDirIfPresent(runtime, join(root, prefix))) {
    const repoPath = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isFile) files.push(repoPath);
    else if (entry.isDirectory && depth < MAX_DEPTH && !entry.name.startsWith(".")) {
      files.push(...await filesBelow(runtime, root, depth + 1, repoPath));
    }
  }
  return files;
}

/** The repo directories of a store: `<owner>/<name>` pairs that are real directories. */
export async function repoDirectories(
  runtime: Runtime,
  modelsDir: string,
): Promise<{ repo: string; dir: string }[]> {
  const repos: { repo: string; dir: string }[] = [];
  for (const owner of await readDirIfPresent(runtime, modelsDir)) {
    if (!owner.isDirectory || owner.name.startsWith(".")) continue;
    for (const repo of await readDirIfPresent(runtime, join(modelsDir, owner.name))) {
      if (!repo.isDirectory || repo.name.startsWith(".")) continue;
      repos.push({
        repo: `${owner.name}/${repo.name}`,
        dir: join(modelsDir, owner.name, repo.name),
      });
    }
  }
  return repos.sort((a, b) => a.repo.localeCompare(b.repo));
}

/**
 * Scans the store for models and partial downloads.
 *
 * @example
 * ```ts
 * import { scanStore } from "./model_catalog.ts";
 * import { RuntimeDetector } from "../runtime/detect_runtime.ts";
 * const { models } = await scanStore(RuntimeDetector.current(), "./models", console.warn);
 * ```
 */
export async function scanStore(
  runtime: Runtime,
  modelsDir: string,
  warn: (message: string) => void,
): Promise<StoreScan> {
  const models: ModelInfo[] = [];
  const partials: PartialDownload[] = [];
  for (const { repo, dir } of await repoDirectories(runtime, modelsDir)) {
    const files = await filesBelow(runtime, dir);
    const present = new Set(files);
    const technicalFiles = TECHNICAL_FILES.filter((name) => present.has(name));
    const modelFiles = files.filter(isModelFileName);
    const partialFiles = files.filter((file) => file.endsWith(".part") && isPartialName(file));
    if (modelFiles.length === 0 && partialFiles.length === 0) continue;
    const record = modelFiles.length > 0 ? await readRepoRecord(runtime, dir, warn) : undefined;
    for (const file of modelFiles) {
      const path = join(dir, ...file.split("/"));
      const size = (await runtime.stat(path)).size;
      const fileRecord = record?.files[file];
      const trusted = fileRecord && fileRecord.size === size ? fileRecord : undefined;
      models.push({
        name: file.split("/").pop()!.replace(/\.rkllm$/i, ""),
        repo,
        file,
        path,
        dir,
        size,
        revision: trusted?.revision,
        sha256: trusted?.sha256,
        downloadedAt: trusted?.downloadedAt,
        technicalFiles,
        recorded: trusted !== undefined,
        ...parseModelVariant(file),
      });
    }
    for (const file of partialFiles) {
      const path = join(dir, ...file.split("/"));
      const size = (await runtime.stat(path).catch(() => ({ size: 0 }))).size;
      partials.push({ repo, file: file.replace(/\.part$/, ""), path, size });
    }
  }
  return { models, partials };
}

/** The repo path of a file below a repo directory (for messages). */
export function repoPathOf(dir: string, path: string): string {
  return relative(dir, path).split(sep).join("/");
}
