/**
 * Rechecking stored models against their records: size and hash of the model
 * file and of each recorded technical file.
 *
 * @module
 */
import { join } from "node:path";
import { expectedHashOf, hashFile } from "../download/file_hash.ts";
import { ModelManagerError } from "../errors.ts";
import type { ModelInfo } from "../store/model_catalog.ts";
import { scanStore } from "../store/model_catalog.ts";
import { findModel } from "../store/model_query.ts";
import { readRepoRecord } from "../store/registry.ts";
import type { StoreContext } from "./store_context.ts";

/** The verdict on one file. */
export interface FileVerification {
  /** The repository path. */
  file: string;
  /** `ok`, `mismatch` (size or hash differs), `missing`, or `unrecorded` (nothing to check against). */
  status: "ok" | "mismatch" | "missing" | "unrecorded";
  /** What differs, for `mismatch`. */
  detail?: string;
}

/** The verdict on one model. */
export interface ModelVerification {
  /** The model. */
  model: ModelInfo;
  /** True when every recorded file is present and matches. */
  ok: boolean;
  /** Each file's verdict, the model file first. */
  files: FileVerification[];
}

/**
 * Verifies one model (by query) or every model in the store.
 *
 * @example
 * ```ts ignore
 * const [verdict] = await verifyModels(context, "Qwen2.5-0.5B-Instruct");
 * console.log(verdict.ok);
 * ```
 */
export async function verifyModels(
  context: StoreContext,
  query?: string,
): Promise<ModelVerification[]> {
  const { runtime } = context;
  const { models } = await scanStore(runtime, context.modelsDir, context.warn);
  let selected = models;
  if (query !== undefined) {
    const model = findModel(models, query);
    if (!model) {
      throw new ModelManagerError("model_not_found", `find a local model matching "${query}"`, {
        hint: "see the models you have with: rkllm-models list",
      });
    }
    selected = [model];
  }
  const verdicts: ModelVerification[] = [];
  for (const model of selected) {
    const record = await readRepoRecord(runtime, model.dir, context.warn);
    const files: FileVerification[] = [];
    for (const file of [model.file, ...model.technicalFiles]) {
      const recorded = record?.files[file];
      const path = join(model.dir, ...file.split("/"));
      const stat = await runtime.stat(path).catch(() => undefined);
      if (!stat) {
        files.push({ file, status: "missing" });
        continue;
      }
      if (!recorded) {
        files.push({ file, status: "unrecorded" });
        continue;
      }
      if (stat.size !== recorded.size) {
        files.push({
          file,
          status: "mismatch",
          detail: `size ${stat.size}, recorded ${recorded.size}`,
        });
        continue;
      }
      const expected = expectedHashOf(recorded);
      if (expected) {
        const actual = await hashFile(runtime, path, expected.algorithm, context.connection.signal);
        if (actual !== expected.hex) {
          files.push({
            file,
            status: "mismatch",
            detail: `${expected.algorithm} ${actual}, recorded ${expected.hex}`,
          });
          continue;
        }
      }
      files.push({ file, status: "ok" });
    }
    verdicts.push({ model, ok: files.every((file) => file.status === "ok"), files });
  }
  return verdicts;
}
