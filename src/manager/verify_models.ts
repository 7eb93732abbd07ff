/**
 * Rechecking stored models against their records: size and hash of the model
 * file, of each recorded technical and companion file, and of its vision encoders
 * (size only, and said so, for a file the Hub stated no hash for).
 *
 * @module
 */
import { expectedHashOf, hashOpenFile } from "../download/file_hash.ts";
import { type ModelInfo, scanStore } from "../store/model_catalog.ts";
import { requireModel } from "../store/model_query.ts";
import { type FileRecord, readRepoRecord } from "../store/registry.ts";
import { recordVerification } from "../store/record_writer.ts";
import { isLinkRefusal, lstatInside, openInside, placeInRepo } from "../store/safe_path.ts";
import { TECHNICAL_FILES } from "../store/store_layout.ts";
import type { StoreContext } from "./store_context.ts";

/** The verdict on one file. */
export interface FileVerification {
  /** The repository path. */
  file: string;
  /** `ok`, `mismatch` (size or hash differs), `missing`, or `unrecorded` (nothing to check against). */
  status: "ok" | "mismatch" | "missing" | "unrecorded";
  /** What differs, for `mismatch`. */
  detail?: string;
  /**
   * What the file was checked against, for `ok` and `mismatch`: its recorded
   * hash, or only its size when the Hub stated no hash for it (never "verified").
   */
  checkedBy?: "sha256" | "git-sha1" | "size";
}

/** The verdict on one model. */
export interface ModelVerification {
  /** The model. */
  model: ModelInfo;
  /** True when every recorded file is present and matches. */
  ok: boolean;
  /** The files that match but were checked by size only (no hash known for them). */
  sizeOnly: string[];
  /** Each file's verdict, the model file first. */
  files: FileVerification[];
}

/** Callbacks of {@linkcode verifyModels}, for progress. */
export interface VerifyOptions {
  /** Called before each file is checked. */
  onFile?: (what: { model: ModelInfo; file: string }) => void;
  /** Called with each model's result as soon as it is known. */
  onResult?: (verdict: ModelVerification) => void;
}

/**
 * The verdict on one file, reached through no symbolic link: a link on the way
 * or in its place is a mismatch, never followed.
 */
async function verifyFile(
  context: StoreContext,
  what: { dir: string; file: string; recorded?: FileRecord },
): Promise<FileVerification> {
  const { file, recorded } = what;
  const place = placeInRepo(what.dir, file);
  const found = await lstatInside(context.runtime, place).catch((error) => {
    if (isLinkRefusal(error)) return "link" as const;
    throw error;
  });
  const checkedBy = recorded ? expectedHashOf(recorded)?.algorithm ?? "size" : undefined;
  if (found === "link" || (found.stat !== undefined && !found.stat.isFile)) {
    return { file, status: "mismatch", detail: "not a regular file (never followed)", checkedBy };
  }
  if (!found.stat) return { file, status: "missing" };
  if (!recorded) return { file, status: "unrecorded" };
  if (found.stat.size !== recorded.size) {
    const detail = `size ${found.stat.size}, recorded ${recorded.size}`;
    return { file, status: "mismatch", detail, checkedBy };
  }
  const expected = expectedHashOf(recorded);
  if (!expected) return { file, status: "ok", checkedBy };
  const { handle, stat } = await openInside(context.runtime, place);
  try {
    const actual = await hashOpenFile(handle, stat.size, {
      algorithm: expected.algorithm,
      signal: context.connection.signal,
    });
    if (actual !== expected.hex) {
      const detail = `${expected.algorithm} ${actual}, recorded ${expected.hex}`;
      return { file, status: "mismatch", detail, checkedBy };
    }
  } finally {
    await handle.close();
  }
  return { file, status: "ok", checkedBy };
}

/**
 * Verifies one model (by query) or every model in the store.
 */
export async function verifyModels(
  context: StoreContext,
  query?: string,
  options: VerifyOptions = {},
): Promise<ModelVerification[]> {
  const { runtime } = context;
  const { models } = await scanStore(runtime, context.modelsDir, { warn: context.warn });
  const selected = query === undefined ? models : [requireModel(models, query)];
  const verdicts: ModelVerification[] = [];
  for (const model of selected) {
    const record = await readRepoRecord(runtime, model.dir, { warn: context.warn });
    const files: FileVerification[] = [];
    // Technical files the record lists count too, so a deleted config.json is reported missing.
    const recordedTechnical = TECHNICAL_FILES.filter((name) => record?.files[name] !== undefined);
    const companions = [
      ...new Set([...model.technicalFiles, ...recordedTechnical, ...model.companionFiles]),
    ];
    for (const file of [model.file, ...companions, ...model.encoders]) {
      options.onFile?.({ model, file });
      files.push(
        await verifyFile(context, { dir: model.dir, file, recorded: record?.files[file] }),
      );
    }
    const verdict = {
      model,
      ok: files.every((file) => file.status === "ok"),
      sizeOnly: files.filter((file) => file.status === "ok" && file.checkedBy === "size")
        .map((file) => file.file),
      files,
    };
    if (record) await markFailures(context, model.dir, files);
    options.onResult?.(verdict);
    verdicts.push(verdict);
  }
  return verdicts;
}

/**
 * Marks the recorded files that failed (`failedVerifyAt`) and clears the mark of those
 * that passed, so that the next download hashes and repairs exactly the failed ones.
 */
async function markFailures(
  context: StoreContext,
  repoDir: string,
  files: FileVerification[],
): Promise<void> {
  const verdicts = files.filter((file) => file.status !== "unrecorded").map((file) => ({
    file: file.file,
    ok: file.status === "ok",
    hashed: file.status === "ok" && file.checkedBy !== "size",
  }));
  await recordVerification(context.runtime, { dir: repoDir, verdicts }, { warn: context.warn })
    .catch((
      error,
    ) => context.warn(`could not mark the failed files in the record of ${repoDir} (${error})`));
}
