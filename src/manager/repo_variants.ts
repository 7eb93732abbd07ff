/**
 * A repository's `.rkllm` variants as `files` and `download` show them: size, the fields
 * parsed from the name, and the `--platform`/`--quant` flags that select each.
 *
 * @module
 */
import type { RepoFile } from "../hub/list_files.ts";
import type { RepoInfo } from "../hub/repo_info.ts";
import { modelFilesOf, narrowModelFiles, type VariantFilter } from "./choose_model_file.ts";
import { encoderPairing, type ModelVariant } from "../store/model_variant.ts";
import { ListingNames } from "./listing_names.ts";
import { type Board, fitsMemory } from "./board_fit.ts";
import { type ToolkitVersion, toolkitVersionOf } from "../store/toolkit_version.ts";

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
  /** The branch that holds it, for a variant kept on another branch than the one listed. */
  revision?: string;
  /** The RKLLM toolkit version its file name, branch or repository name states. */
  toolkit?: ToolkitVersion;
  /** On a board whose memory is known: whether the file fits it (see {@linkcode fitsMemory}). */
  fitsMemory?: boolean;
}

/**
 * The `--platform`/`--quant` flags that leave exactly `file` among `modelFiles`.
 */
export function selectingFlags(file: string, modelFiles: readonly string[]): string | undefined {
  const names = new ListingNames();
  return flagsFor(file, countVariants(modelFiles, names), names);
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
function filtersOf(file: string, names: ListingNames): VariantFilter[] {
  const { platform, quantization } = names.variant(file);
  const filters: VariantFilter[] = [{ platform }, { quantization }, { platform, quantization }];
  return filters.filter((filter) => Object.values(filter).every(Boolean));
}

/** Counts, in one pass, how many model files each filter leaves (linear in the listing). */
function countVariants(modelFiles: readonly string[], names: ListingNames): VariantCounts {
  const byFilter = new Map<string, number>();
  const files = modelFiles.filter((file) => names.isModel(file));
  for (const file of files) {
    for (const filter of filtersOf(file, names)) {
      const key = filterKey(filter);
      byFilter.set(key, (byFilter.get(key) ?? 0) + 1);
    }
  }
  return { files: new Set(files), total: files.length, byFilter };
}

function flagsFor(file: string, counts: VariantCounts, names: ListingNames): string | undefined {
  if (counts.total === 1 && counts.files.has(file)) return "";
  if (!counts.files.has(file)) return undefined;
  const filter = filtersOf(file, names).find((candidate) =>
    counts.byFilter.get(filterKey(candidate)) === 1
  );
  if (!filter) return undefined;
  return [
    filter.platform && `--platform ${filter.platform}`,
    filter.quantization && `--quant ${filter.quantization}`,
  ].filter(Boolean).join(" ");
}

/** Options of {@linkcode describeVariants} and {@linkcode listVariants}. */
export interface DescribeOptions {
  /** Reads the listing's names: one per listing; give one to count the work done. */
  names?: ListingNames;
  /** The board this runs on: each variant then says whether it fits its memory. */
  board?: Board;
}

/**
 * Describes model files against one listing: sizes, flag counts and vision encoders are
 * gathered in one pass, so each file then costs look-ups, not a pass over the listing.
 * Flags hold across the listing's model files, or across `choices` when no listing is known.
 */
function variantDescriber(
  names: ListingNames,
  scope: {
    listing?: readonly RepoFile[];
    choices?: readonly string[];
    repo?: string;
    board?: Board;
  },
): (file: string) => VariantRow {
  const { listing, choices = [], repo, board } = scope;
  const byPath = new Map((listing ?? []).map((file) => [file.path, file]));
  const paths = [...byPath.keys()];
  const counts = countVariants(listing ? paths : choices, names);
  const encodersOf = encoderPairing(paths, {
    variantOf: (path) => names.variant(path),
  });
  return (file) => {
    const encoders = encodersOf(file);
    const toolkit = toolkitVersionOf({ file, repo });
    const size = byPath.get(file)?.size;
    const fits = size === undefined ? undefined : fitsMemory(size, board);
    return {
      file,
      size: byPath.get(file)?.size,
      sha256: byPath.get(file)?.sha256,
      ...names.variant(file),
      flags: flagsFor(file, counts, names),
      ...(encoders.length > 0 ? { encoders } : {}),
      ...(toolkit ? { toolkit } : {}),
      ...(fits === undefined ? {} : { fitsMemory: fits }),
    };
  };
}

/**
 * Describes `choices` (repository paths of `.rkllm` files); `listing` is the
 * repository's full file list when known, for sizes and for flags that hold
 * across all its variants.
 */
export function describeVariants(
  choices: readonly string[],
  listing?: readonly RepoFile[],
  options: DescribeOptions = {},
): VariantRow[] {
  const describe = variantDescriber(options.names ?? new ListingNames(), {
    listing,
    choices,
    board: options.board,
  });
  return choices.map((file) => describe(file));
}

/** A repository's variants, as {@linkcode listVariants} answers. */
export interface RepoVariants {
  /** The repository's info at the revision asked for. */
  info: RepoInfo;
  /** Every file in the repository. */
  files: RepoFile[];
  /** Every `.rkllm` file that passes the filters, described. */
  variants: VariantRow[];
  /**
   * The variants a download without a file would choose from, the board's chip first:
   * one when the choice is clear.
   */
  candidates: VariantRow[];
  /** The variant a download without a file takes, when the choice is clear. */
  chosen?: VariantRow;
  /**
   * When no revision was asked and the default branch holds no `.rkllm` file: the
   * variants on the other branches, `--revision <branch>` leading their flags.
   */
  branches?: VariantRow[];
}

/**
 * Describes the variants of a listed repository and the one a download without a
 * file would take.
 */
export function listVariants(
  listing: { info: RepoInfo; files: RepoFile[] },
  options: VariantFilter & DescribeOptions = {},
): RepoVariants {
  const { files } = listing;
  const names = options.names ?? new ListingNames();
  const describe = variantDescriber(names, {
    listing: files,
    repo: listing.info.id,
    board: options.board,
  });
  const variants = modelFilesOf(files, { ...options, names }).map((file) => describe(file.path));
  const narrowed = narrowModelFiles(files, { ...options, names });
  const candidates = narrowed.candidates.map((file) => describe(file.path));
  const chosen = narrowed.chosen &&
    candidates.find((variant) => variant.file === narrowed.chosen?.path);
  return { ...listing, variants, candidates, ...(chosen ? { chosen } : {}) };
}
