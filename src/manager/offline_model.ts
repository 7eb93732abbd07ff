/**
 * A download while offline (`HF_HUB_OFFLINE`): nothing can be fetched, but a
 * model that is already complete in the store is the right answer, as
 * `hf download` gives the path of a cached file. Complete means every file the
 * record lists for the model is there with its recorded size.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import { parseRepoId } from "../hub/repo_id.ts";
import { type ModelInfo, scanStore } from "../store/model_catalog.ts";
import { parseModelVariant } from "../store/model_variant.ts";
import { readRepoRecord } from "../store/registry.ts";
import { storePathOf } from "../store/store_layout.ts";
import type { ModelFileChoice, VariantFilter } from "./choose_model_file.ts";
import type { StoreContext } from "./store_context.ts";

function matches(model: ModelInfo, fileName: string | undefined, filter: VariantFilter): boolean {
  if (fileName !== undefined) {
    const wanted = fileName.trim();
    return model.file === wanted || model.file.split("/").pop() === wanted ||
      model.file.split("/").pop() === `${wanted}.rkllm`;
  }
  const variant = parseModelVariant(model.file);
  if (filter.platform && variant.platform !== filter.platform.toLowerCase()) return false;
  return !filter.quantization || variant.quantization === filter.quantization.toLowerCase();
}

/** The files of a model whose size on disk is not the recorded one (or that are missing). */
async function incompleteFiles(context: StoreContext, model: ModelInfo): Promise<string[]> {
  const record = await readRepoRecord(context.runtime, model.dir, { warn: context.warn });
  const files = [model.file, ...model.companionFiles, ...model.encoders];
  const wrong: string[] = [];
  for (const file of files) {
    const recorded = record?.files[file];
    const stat = await context.runtime.stat(storePathOf(model.dir, file)).catch(() => undefined);
    if (!recorded || !stat?.isFile || stat.size !== recorded.size) wrong.push(file);
  }
  return wrong;
}

/**
 * The local copy a download asked for while offline, when it is complete; otherwise an
 * `offline` error that says what is missing.
 */
export async function completeLocalModel(
  context: StoreContext,
  repoText: string,
  options: ModelFileChoice = {},
): Promise<ModelInfo> {
  const { file: fileName } = options;
  const filter: VariantFilter = options;
  const repo = parseRepoId(repoText);
  const { models } = await scanStore(context.runtime, context.modelsDir, { warn: context.warn });
  const local = models.filter((model) =>
    model.repo.toLowerCase() === repo.id.toLowerCase() && matches(model, fileName, filter)
  );
  const preferred = local.filter((model) =>
    !filter.preferPlatform || parseModelVariant(model.file).platform === filter.preferPlatform
  );
  const candidates = preferred.length > 0 ? preferred : local;
  if (candidates.length !== 1) {
    throw new ModelManagerError(
      "offline",
      candidates.length === 0
        ? `download ${repo.id}: it is not in ${context.modelsDir}, and HF_HUB_OFFLINE is set`
        : `download ${repo.id}: ${candidates.length} local variants match, and HF_HUB_OFFLINE is set`,
      {
        hint: candidates.length === 0
          ? "unset HF_HUB_OFFLINE to download it (see: rkllm-models list)"
          : `name the file, e.g. rkllm-models download ${repo.id} ${candidates[0].file}`,
      },
    );
  }
  const missing = await incompleteFiles(context, candidates[0]);
  if (missing.length > 0) {
    throw new ModelManagerError(
      "offline",
      `download ${repo.id}: ${missing.join(", ")} missing or incomplete, and HF_HUB_OFFLINE is set`,
      { hint: "unset HF_HUB_OFFLINE to finish the download" },
    );
  }
  return candidates[0];
}
