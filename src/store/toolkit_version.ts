/**
 * Which RKLLM toolkit converted a model, as far as its publisher says: no header format
 * of `.rkllm` is documented, but the version is usually in the file name
 * (`…-RKLLM-v1.2.3.rkllm`), the branch (`w8a8-toolkitv1.1.4`), the repository name
 * (`…-rk3588-1.1.4`, `…-rkllm-1.1.4`) or a `meta.json` beside the model.
 *
 * @module
 */

/** Where a toolkit version was read. */
export type ToolkitSource = "meta.json" | "file name" | "branch" | "repository name";

/** A toolkit version and where it was read. */
export interface ToolkitVersion {
  /** The version, e.g. `1.1.4` or `1.2.1b1`. */
  version: string;
  /** Where it was read. */
  source: ToolkitSource;
}

/**
 * The first toolkit version whose models runtimes 1.1 and later load: Rockchip declares
 * models converted before it incompatible ("the modifications in version 1.1.0 are
 * significant, making it incompatible with older version models", airockchip/rknn-llm).
 */
export const OLDEST_COMPATIBLE_TOOLKIT = "1.1.0";

const VERSION = String.raw`(\d+\.\d+(?:\.\d+)?(?:b\d+)?)(?![A-Za-z0-9]|\.\d)`;
/** A version after a word that says what it is a version of: `rkllm-1.1.4`, `toolkitv1.1.4`, `rk3588-1.1.4`. */
const AFTER_WORD = new RegExp(
  String.raw`(?:^|[-_./ ])(?:rkllm|toolkit|rk\d{4}s?|rv\d{4}b?)[-_ ]?v?${VERSION}`,
  "i",
);
/** A version standing alone with its `v`: `…-w8a8-v1.2.3-RKLLM`. */
const ALONE = new RegExp(
  String.raw`(?:^|[-_./ ])v(\d+\.\d+\.\d+(?:b\d+)?)(?![A-Za-z0-9]|\.\d)`,
  "i",
);

/** The toolkit version a name states (a file name, a branch, a repository name). */
export function toolkitVersionInName(name: string): string | undefined {
  return (AFTER_WORD.exec(name) ?? ALONE.exec(name))?.[1]?.toLowerCase();
}

/** The `meta.json` keys that name the toolkit version, compared without case, `-` or `_`. */
const META_KEYS = ["rkllmtoolkitversion", "toolkitversion", "rkllmversion", "rkllmtoolkit"];

/**
 * The toolkit version a `meta.json` states: a top-level string under a key such as
 * `rkllm_toolkit_version`, `toolkit_version` or `rkllm_version`, or `version` inside a
 * `toolkit` or `rkllm` object.
 */
export function toolkitVersionInMeta(meta: unknown): string | undefined {
  if (typeof meta !== "object" || meta === null || Array.isArray(meta)) return undefined;
  for (const [key, value] of Object.entries(meta)) {
    const word = key.toLowerCase().replace(/[-_ ]/g, "");
    if (META_KEYS.includes(word) && typeof value === "string") return versionText(value);
    if ((word === "toolkit" || word === "rkllm") && typeof value === "object" && value !== null) {
      const version = (value as Record<string, unknown>).version;
      if (typeof version === "string") return versionText(version);
    }
  }
  return undefined;
}

function versionText(text: string): string | undefined {
  return new RegExp(`^v?${VERSION}`, "i").exec(text.trim())?.[1]?.toLowerCase();
}

/** What may state a model's toolkit version, most trusted first. */
export interface ToolkitSources {
  /** The parsed `meta.json` beside the model. */
  meta?: unknown;
  /** The model file's repository path. */
  file?: string;
  /** The branch it was read from (not a commit). */
  branch?: string;
  /** The repository, `owner/name` or its name. */
  repo?: string;
}

/**
 * The toolkit version the sources state, with where it was read: `meta.json`, else the
 * file name, else the branch, else the repository name.
 */
export function toolkitVersionOf(sources: ToolkitSources): ToolkitVersion | undefined {
  const branch = sources.branch && !/^[0-9a-f]{40}$/i.test(sources.branch)
    ? sources.branch
    : undefined;
  const candidates: [string | undefined, ToolkitSource][] = [
    [toolkitVersionInMeta(sources.meta), "meta.json"],
    [sources.file && toolkitVersionInName(sources.file), "file name"],
    [branch && toolkitVersionInName(branch), "branch"],
    [sources.repo && toolkitVersionInName(sources.repo.split("/").pop()!), "repository name"],
  ];
  const found = candidates.find(([version]) => version !== undefined);
  return found && { version: found[0]!, source: found[1] };
}

/** Whether a toolkit version is older than {@linkcode OLDEST_COMPATIBLE_TOOLKIT}. */
export function predatesCompatibleToolkit(version: string): boolean {
  const numbers = (text: string) => text.split(/[.b]/).slice(0, 3).map(Number);
  const [a, b] = [numbers(version), numbers(OLDEST_COMPATIBLE_TOOLKIT)];
  for (let index = 0; index < 3; index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference < 0;
  }
  return false;
}
