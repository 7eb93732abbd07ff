/**
 * A repository's `.rkllm` variants as the CLI shows them: size, the fields
 * parsed from the name, and the `--platform`/`--quant` flags that select each.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import type { RepoFile } from "../hub/list_files.ts";
import { modelFilesOf, type VariantFilter } from "../manager/choose_model_file.ts";
import { type ModelVariant, pairedEncoders, parseModelVariant } from "../store/model_variant.ts";
import { isModelFileName } from "../store/store_layout.ts";

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
  return flagsFor(file, countVariants(modelFiles));
}

/** How many of a repository's variants each filter leaves, counted once for all of them. */
interface VariantCounts {
  /** The model files, once each. */
  files: ReadonlySet<string>;
  /** How many files there are in all. */
  total: number;
  /** Files per filter key (see {@linkcode filterKey}). */
  byFilter: Map<string, number>;
}

function filterKey(filter: VariantFilter): string {
  return `${filter.platform ?? ""}\0${filter.quantization ?? ""}`;
}

/** The filters that may select a variant, narrowest last: platform, quantisation, both. */
function filtersOf(file: string): VariantFilter[] {
  const { platform, quantization } = parseModelVariant(file);
  const filters: VariantFilter[] = [{ platform }, { quantization }, { platform, quantization }];
  return filters.filter((filter) => Object.values(filter).every(Boolean));
}

/** Counts, in one pass, how many model files each filter leaves (linear in the listing). */
function countVariants(modelFiles: readonly string[]): VariantCounts {
  const byFilter = new Map<string, number>();
  const files = modelFiles.filter(isModelFileName);
  for (const file of files) {
    for (const filter of filtersOf(file)) {
      const key = filterKey(filter);
      byFilter.set(key, (byFilter.get(key) ?? 0) + 1);
    }
  }
  return { files: new Set(files), total: files.length, byFilter };
}

function flagsFor(file: string, counts: VariantCounts): string | undefined {
  if (counts.total === 1 && counts.files.has(file)) return "";
  if (!counts.files.has(file)) return undefined;
  const filter = filtersOf(file).find((candidate) =>
    counts.byFilter.get(filterKey(candidate)) === 1
  );
  if (!filter) return undefined;
  return [
    filter.platform && `--platform ${filter.platform}`,
    filter.quantization && `--quant ${filter.quantization}`,
  ].filter(Boolean).join(" ");
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
  const counts = countVariants(modelFiles);
  return choices.map((file) => {
    const encoders = pairedEncoders(file, [...byPath.keys()]);
    return {
      file,
      size: byPath.get(file)?.size,
      sha256: byPath.get(file)?.sha256,
      ...parseModelVariant(file),
      flags: flagsFor(file, counts),
      ...(encoders.length > 0 ? { encoders } : {}),
    };
  });
}

/**
 * The `usage` error of a `download` whose file is not clear: the variants to choose
 * from, with the flags that select each, for `--json` and as aligned lines for people.
 *
 * @example
 * ```ts
 * import { describeVariants, VariantChoiceError } from "./variants.ts";
 * const variants = describeVariants(["m-rk3588-w8a8.rkllm", "m-rk3576-w8a8.rkllm"]);
 * new VariantChoiceError("acme/m has 2 .rkllm files", { variants, listing: [] }).choices;
 * // ["m-rk3588-w8a8.rkllm", "m-rk3576-w8a8.rkllm"]
 * ```
 */
export class VariantChoiceError extends ModelManagerError {
  /** The variants, as `--json` shows them. */
  readonly variants: VariantRow[];
  /** One aligned line per variant: file, selecting flags, size. */
  readonly listing: string[];

  /** Creates the error from the variants and their lines. */
  constructor(
    message: string,
    options: { hint?: string; repo?: string; variants: VariantRow[]; listing: string[] },
  ) {
    super("usage", message, {
      hint: options.hint,
      repo: options.repo,
      choices: options.variants.map((variant) => variant.file),
    });
    this.name = "ModelManagerError";
    this.variants = options.variants;
    this.listing = options.listing;
  }
}
