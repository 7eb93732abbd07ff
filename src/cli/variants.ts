/**
 * The variant list the CLI shows when `download` cannot tell which file is meant.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import type { VariantRow } from "../manager/repo_variants.ts";
export { describeVariants, selectingFlags } from "../manager/repo_variants.ts";
export type { VariantRow } from "../manager/repo_variants.ts";

/**
 * The `usage` error of a `download` whose file is not clear: the variants to choose
 * from, with the flags that select each, for `--json` and as aligned lines for people.
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
    this.name = "VariantChoiceError";
    this.variants = options.variants;
    this.listing = options.listing;
  }
}
