/**
 * A repository's `.rkllm` variants as the CLI shows them: size, the fields
 * parsed from the name, and the `--platform`/`--quant` flags that select each.
 *
 * @module
 */
import type { RepoFile } from "../hub/list_files.ts";
import { modelFilesOf, type VariantFilter } from "../manager/choose_model_file.ts";
import { type ModelVariant, pairedEncoders, parseModelVariant } from "../store/model_variant.ts";

/** One `.rkllm` file of a repository, described for people and scripts. */
export interface VariantRow extends ModelVariant {
  /** The repository path. */
  file: string;
  /** Size in bytes, when the listing is known. */
  size?: number;
  /** SHA-256 from the LFS pointer, when known. */
  sha256?: string;
  /**
   * The flags that make `download` pick exactly this file: `""` when it is the
   * repository's only variant (no flag needed), `undefined` when no flags do.
   */
  flags?: string;
  /** The `.rknn` vision encoders a download of it brings; absent when it brings none. */
  encoders?: string[];
}

/**
 * The `--platform`/`--quant` flags that leave exactly `file` among `modelFiles`.
 *
 * @example
 * ```ts
 * import { selectingFlags } from "./variants.ts";
 * selectingFlags("m-rk3576-w8a8.rkllm", ["m-rk3588-w8a8.rkllm", "m-rk3576-w8a8.rkllm"]);
 * // "--platform rk3576"
 * ```
 */
export function selectingFlags(file: string, modelFiles: readonly string[]): string | undefined {
  if (modelFiles.length === 1 && modelFiles[0] === file) return "";
  const { platform, quantization } = parseModelVariant(file);
  const filters: VariantFilter[] = [{ platform }, { quantization }, { platform, quantization }];
  const listing = modelFiles.map((path) => ({ path, size: 0, lfs: true }));
  for (const filter of filters) {
    if (!Object.values(filter).every(Boolean)) continue;
    const left = modelFilesOf(listing, filter);
    if (left.length === 1 && left[0].path === file) {
      return [
        filter.platform && `--platform ${filter.platform}`,
        filter.quantization && `--quant ${filter.quantization}`,
      ].filter(Boolean).join(" ");
    }
  }
  return undefined;
}

/**
 * Describes `choices` (repository paths of `.rkllm` files); `listing` is the
 * repository's full file list when known, for sizes and for flags that hold
 * across all its variants.
 *
 * @example
 * ```ts
 * import { describeVariants } from "./variants.ts";
 * describeVariants(["m-rk3588-w8a8.rkllm"]);
 * ```
 */
export function describeVariants(
  choices: readonly string[],
  listing?: readonly RepoFile[],
): VariantRow[] {
  const byPath = new Map((listing ?? []).map((file) => [file.path, file]));
  const modelFiles = listing ? modelFilesOf([...listing]).map((file) => file.path) : choices;
  return choices.map((file) => {
    const encoders = pairedEncoders(file, [...byPath.keys()]);
    return {
      file,
      size: byPath.get(file)?.size,
      sha256: byPath.get(file)?.sha256,
      ...parseModelVariant(file),
      flags: selectingFlags(file, modelFiles),
      ...(encoders.length > 0 ? { encoders } : {}),
    };
  });
}
