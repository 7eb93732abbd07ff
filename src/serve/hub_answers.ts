/**
 * The JSON answers of the Hub API that `serve` gives (repo info, tree,
 * paths-info, errors), shaped as the official clients read them
 * (`/work/shared/hf-hub-protocol.md` §1, §2, §5, §9). Never a `xetHash`: a
 * client seeing one would ask for Xet tokens a mirror cannot give.
 *
 * @module
 */
import { createHash } from "node:crypto";

/** What an answer says about one file: its size and the hash that identifies it. */
export interface FileFacts {
  /** The path inside the repository. */
  path: string;
  /** Content size in bytes. */
  size: number;
  /** SHA-256 of the content: the file is served as an LFS file. */
  sha256?: string;
  /** Git blob SHA-1 of the content (a small, non-LFS file). */
  gitSha1?: string;
}

/** What the repo info answer says. */
export interface RepoFacts {
  /** `owner/name`. */
  id: string;
  /** The commit (40 hex). */
  sha: string;
  /** Whether the repository is private. */
  private: boolean;
  /** `false`, `"auto"` or `"manual"`. */
  gated: false | "auto" | "manual";
  /** ISO 8601. */
  lastModified: string;
  /** The files at that commit. */
  files: FileFacts[];
}

const encoder = new TextEncoder();

/**
 * The Git LFS pointer git stores for an LFS file.
 */
export function lfsPointerText(sha256: string, size: number): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`;
}

function gitBlobSha1Of(bytes: Uint8Array): string {
  return createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
}

/**
 * A tree entry as the Hub's tree API answers it: `oid` is the git blob SHA-1
 * (of the LFS pointer for an LFS file) and LFS files carry `lfs {oid, size, pointerSize}`.
 */
export function treeEntryOf(file: FileFacts): Record<string, unknown> {
  if (file.sha256) {
    const pointer = encoder.encode(lfsPointerText(file.sha256, file.size));
    return {
      type: "file",
      oid: gitBlobSha1Of(pointer),
      size: file.size,
      path: file.path,
      lfs: { oid: file.sha256, size: file.size, pointerSize: pointer.length },
    };
  }
  return { type: "file", oid: file.gitSha1 ?? "", size: file.size, path: file.path };
}

/**
 * The directories implied by file paths, as tree entries (`type: "directory"`).
 */
export function directoryEntriesOf(paths: string[]): Record<string, unknown>[] {
  const directories = new Set<string>();
  for (const path of paths) {
    const parts = path.split("/");
    for (let depth = 1; depth < parts.length; depth++) {
      directories.add(parts.slice(0, depth).join("/"));
    }
  }
  return [...directories].sort().map((path) => ({
    type: "directory",
    oid: createHash("sha1").update(`tree ${path}`).digest("hex"),
    size: 0,
    path,
  }));
}

/**
 * The tree answer for `tree/{rev}[/{path}]`: the entries under `under`, all
 * levels with `recursive`, else only its direct children; `undefined` when
 * `under` is neither a file nor a directory.
 */
export function treeAnswer(
  files: FileFacts[],
  options: { under: string; recursive: boolean },
): Record<string, unknown>[] | undefined {
  const prefix = options.under === "" ? "" : `${options.under.replace(/\/+$/, "")}/`;
  const inside = files.filter((file) => file.path.startsWith(prefix));
  if (prefix !== "" && inside.length === 0) {
    const exact = files.find((file) => file.path === options.under);
    return exact ? [treeEntryOf(exact)] : undefined;
  }
  const depthOf = (path: string) => path.slice(prefix.length).split("/").length;
  const entries = [
    ...directoryEntriesOf(inside.map((file) => file.path)).filter((entry) =>
      String(entry.path).startsWith(prefix)
    ),
    ...inside.map(treeEntryOf),
  ];
  return entries
    .filter((entry) => options.recursive || depthOf(String(entry.path)) === 1)
    .sort((a, b) => (String(a.path) < String(b.path) ? -1 : 1));
}

/**
 * The repo info answer (`/api/models/{id}[/revision/{rev}]`).
 */
export function repoInfoAnswer(repo: RepoFacts): Record<string, unknown> {
  const [author] = repo.id.split("/");
  return {
    _id: createHash("sha1").update(repo.id).digest("hex").slice(0, 24),
    id: repo.id,
    modelId: repo.id,
    author,
    sha: repo.sha,
    lastModified: repo.lastModified,
    createdAt: repo.lastModified,
    private: repo.private,
    gated: repo.gated,
    disabled: false,
    downloads: 0,
    likes: 0,
    tags: [],
    library_name: "rkllm",
    siblings: repo.files.map((file) => ({
      rfilename: file.path,
      size: file.size,
      blobId: treeEntryOf(file).oid,
      ...(file.sha256
        ? { lfs: { sha256: file.sha256, size: file.size, pointerSize: pointerSizeOf(file) } }
        : {}),
    })),
  };
}

function pointerSizeOf(file: FileFacts): number {
  return encoder.encode(lfsPointerText(file.sha256 ?? "", file.size)).length;
}

/**
 * The paths-info answer: the entries of the asked paths that exist (files, or
 * directories that hold files), in the asked order.
 */
export function pathsInfoAnswer(files: FileFacts[], paths: string[]): Record<string, unknown>[] {
  const answer: Record<string, unknown>[] = [];
  for (const path of paths) {
    const file = files.find((candidate) => candidate.path === path);
    if (file) {
      answer.push(treeEntryOf(file));
    } else if (files.some((candidate) => candidate.path.startsWith(`${path}/`))) {
      answer.push(...directoryEntriesOf([`${path}/x`]).filter((entry) => entry.path === path));
    }
  }
  return answer;
}

/**
 * The paths a paths-info request asks for, from a JSON (`{paths}`) or
 * form-encoded (`paths=a&paths=b`) body.
 */
export function requestedPaths(body: string, contentType: string): string[] {
  if (contentType.includes("json") || body.trimStart().startsWith("{")) {
    try {
      const parsed = JSON.parse(body) as { paths?: unknown };
      const paths = Array.isArray(parsed.paths) ? parsed.paths : [parsed.paths];
      return paths.filter((path): path is string => typeof path === "string");
    } catch {
      return [];
    }
  }
  return new URLSearchParams(body).getAll("paths");
}
