/**
 * Choosing which `.rkllm` file of a repository to download: the one asked for,
 * the only one, or the one left by variant filters. Anything else is an error
 * that lists the choices.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import type { RepoFile } from "../hub/list_files.ts";
import { parseModelVariant } from "../store/model_variant.ts";
import { ListingNames } from "./listing_names.ts";

/** Filters that narrow a repository's variants. */
export interface VariantFilter {
  /** Keep files for this chip (e.g. `rk3588`). */
  platform?: string;
  /** Keep files with this quantisation (e.g. `w8a8`). */
  quantization?: string;
  /**
   * Prefer files for this chip (the board's): among several candidates, those for it and
   * those naming no chip come first, and decide the choice when they are one. Never a filter.
   */
  preferPlatform?: string;
}

/** Which model file to pick: one asked for by name, or the one the filters leave. */
export interface ModelFileChoice extends VariantFilter {
  /** The file asked for: its path, its name, or its name without `.rkllm`. */
  file?: string;
}

/** A filter, and the reader of the listing's names (one per listing: each name is read once). */
export type ListingFilter = VariantFilter & { names?: ListingNames };

/**
 * The `.rkllm` files of a listing that pass the filters.
 */
export function modelFilesOf(files: RepoFile[], filter: ListingFilter = {}): RepoFile[] {
  const names = filter.names ?? new ListingNames();
  return files.filter((file) => {
    if (!names.isModel(file.path)) return false;
    const variant = names.variant(file.path);
    if (filter.platform && variant.platform !== filter.platform.toLowerCase()) return false;
    if (filter.quantization && variant.quantization !== filter.quantization.toLowerCase()) {
      return false;
    }
    return true;
  });
}

/**
 * Picks the model file to download from a repository's listing.
 */
export function chooseModelFile(
  repo: string,
  files: RepoFile[],
  options: ModelFileChoice = {},
): RepoFile {
  const { file: requested } = options;
  const filter: VariantFilter = options;
  const all = modelFilesOf(files);
  if (requested !== undefined) {
    const wanted = requested.trim();
    const found = all.find((file) => file.path === wanted) ??
      uniqueOrUndefined(all.filter((file) => file.path.split("/").pop() === wanted)) ??
      uniqueOrUndefined(all.filter((file) => file.path.split("/").pop() === `${wanted}.rkllm`));
    if (!found && files.some((file) => file.path === wanted)) {
      throw new ModelManagerError(
        "usage",
        `download ${wanted} from ${repo}: it is not a .rkllm model file`,
        {
          hint: `the technical files come with the model; give one of: ${
            all.map((file) => file.path).join(", ") || "(none)"
          }`,
          repo,
          choices: all.map((file) => file.path),
        },
      );
    }
    if (!found) {
      throw new ModelManagerError("file_not_found", `cannot find ${wanted} in ${repo}`, {
        hint: all.length
          ? `choose one of: ${all.map((file) => file.path).join(", ")}`
          : `${repo} has no .rkllm files; check the repo id`,
        repo,
        choices: all.map((file) => file.path),
      });
    }
    return found;
  }
  if (all.length === 0) {
    throw new ModelManagerError("file_not_found", `${repo} has no .rkllm file`, {
      hint: "check that this is an RKLLM conversion (search with: rkllm-models search rk3588)",
    });
  }
  const { candidates, chosen } = narrowModelFiles(files, filter);
  if (chosen) return chosen;
  if (candidates.length === 0) {
    throw new ModelManagerError(
      "file_not_found",
      `no .rkllm file in ${repo} matches the filters`,
      {
        hint: groupedHint(all, filter) ??
          `choose one of: ${all.map((file) => file.path).join(", ")}`,
        repo,
        choices: all.map((file) => file.path),
      },
    );
  }
  throw unclearFileError(repo, { candidates, filter });
}

/**
 * The `.rkllm` files a download without a file chooses from (those for the preferred
 * chip first) and the one it takes when the choice is clear.
 */
export function narrowModelFiles(
  files: RepoFile[],
  filter: ListingFilter = {},
): { candidates: RepoFile[]; chosen?: RepoFile } {
  const names = filter.names ?? new ListingNames();
  const suits = (file: RepoFile) => suitsChip(names.variant(file.path), filter.preferPlatform);
  const candidates = preferredFirst(modelFilesOf(files, { ...filter, names }), {
    chip: filter.preferPlatform,
    suits,
  });
  if (candidates.length === 1) return { candidates, chosen: candidates[0] };
  const preferred = candidates.filter(suits);
  if (filter.preferPlatform && preferred.length === 1) return { candidates, chosen: preferred[0] };
  return { candidates };
}

/**
 * The `usage` error of a download whose file is not given when several `.rkllm`
 * files are left to choose from.
 */
export function unclearFileError(
  repo: string,
  options: { candidates: RepoFile[]; filter?: VariantFilter },
): ModelManagerError {
  const { candidates, filter = {} } = options;
  const filtered = Boolean(filter.platform || filter.quantization);
  return new ModelManagerError(
    "usage",
    `${repo} has ${candidates.length} .rkllm files${
      filtered ? " left by the filters" : ""
    }, and the file to download is not given`,
    {
      hint: `give the file as the second argument, e.g. ${repo} ${
        candidates[0].path.split("/").pop()
      }`,
      repo,
      choices: candidates.map((file) => file.path),
    },
  );
}

/**
 * When `--quant w8a8` finds nothing but grouped `w8a8_g128` files exist, names the exact
 * values to use: a grouped file is never taken for the plain quantisation silently.
 */
function groupedHint(all: RepoFile[], filter: VariantFilter): string | undefined {
  const asked = filter.quantization?.toLowerCase();
  if (!asked || asked.includes("_g")) return undefined;
  const grouped = modelFilesOf(all, { platform: filter.platform })
    .map((file) => parseModelVariant(file.path).quantization)
    .filter((quantization): quantization is string =>
      quantization?.startsWith(`${asked}_g`) === true
    );
  if (grouped.length === 0) return undefined;
  return `no file is plain ${asked}; use --quant ${
    [...new Set(grouped)].sort().join(" or --quant ")
  }`;
}

/** Whether a file (its variant) is for `chip` or names no chip at all. */
function suitsChip({ platform }: { platform?: string }, chip: string | undefined): boolean {
  return chip !== undefined && (platform === undefined || platform === chip.toLowerCase());
}

/** The files for the preferred chip (or for none) first, the others after, each in listing order. */
function preferredFirst(
  files: RepoFile[],
  preference: { chip: string | undefined; suits: (file: RepoFile) => boolean },
): RepoFile[] {
  if (!preference.chip) return files;
  return [...files.filter(preference.suits), ...files.filter((file) => !preference.suits(file))];
}

function uniqueOrUndefined<T>(items: T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}
