/**
 * Object ids as git and Git LFS compute them (blob and tree ids, LFS pointers, SHA-256 of
 * bodies), so the emulator reports the same `oid`s and hashes a real repository would.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { ByteSource } from "./byte_source.ts";

const HASH_SLICE_BYTES = 4 * 1024 * 1024;
const encoder = new TextEncoder();

/**
 * Hex SHA-256 of the bytes.
 *
 * @example
 * ```ts
 * sha256Hex(new Uint8Array()); // "e3b0c442...b855"
 * ```
 */
export function sha256Hex(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * Git blob id of the bytes: `sha1("blob " + length + "\0" + data)`.
 *
 * @example
 * ```ts
 * gitBlobSha1(new TextEncoder().encode("hello\n")); // "ce013625030ba8dba906f756967f9e9ca394464a"
 * ```
 */
export function gitBlobSha1(data: Uint8Array): string {
  return gitObjectSha1("blob", data);
}

/** Hex digest of a whole source with `algorithm`, after `prefix` if given, read in slices. */
export function hashSource(source: ByteSource, algorithm: string, prefix?: Uint8Array): string {
  const hash = createHash(algorithm);
  if (prefix) hash.update(prefix);
  for (let offset = 0; offset < source.size; offset += HASH_SLICE_BYTES) {
    hash.update(source.read(offset, Math.min(source.size, offset + HASH_SLICE_BYTES)));
  }
  return hash.digest("hex");
}

/** The Git LFS pointer file that git stores in place of an LFS file. */
export function lfsPointer(sha256: string, size: number): Uint8Array {
  return encoder.encode(
    `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`,
  );
}

/** Order of strings by their UTF-8 bytes, as git and the Hub sort paths. */
export function compareUtf8(a: string, b: string): number {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return x[i] - y[i];
  }
  return x.length - y.length;
}

/** A file as a git tree sees it: its path and the id of its blob. */
export interface TreeFile {
  /** `/`-separated path inside the repository. */
  path: string;
  /** Git blob id. */
  oid: string;
}

interface TreeNode {
  files: Map<string, string>;
  dirs: Map<string, TreeNode>;
}

/**
 * Git tree ids of every directory holding `files` ("" being the root), so `directory`
 * entries carry the oid a real repository would have.
 */
export function directoryOids(files: Iterable<TreeFile>): Map<string, string> {
  const root: TreeNode = { files: new Map(), dirs: new Map() };
  for (const file of files) {
    const parts = file.path.split("/");
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const next = node.dirs.get(part) ?? { files: new Map(), dirs: new Map() };
      node.dirs.set(part, next);
      node = next;
    }
    node.files.set(parts[parts.length - 1], file.oid);
  }
  const oids = new Map<string, string>();
  hashTree(root, "", oids);
  return oids;
}

function hashTree(node: TreeNode, path: string, oids: Map<string, string>): string {
  const entries: { mode: string; name: string; oid: string; key: string }[] = [];
  for (const [name, oid] of node.files) entries.push({ mode: "100644", name, oid, key: name });
  for (const [name, child] of node.dirs) {
    const oid = hashTree(child, path ? `${path}/${name}` : name, oids);
    entries.push({ mode: "40000", name, oid, key: `${name}/` });
  }
  entries.sort((a, b) => compareUtf8(a.key, b.key));
  const parts: Uint8Array[] = [];
  for (const entry of entries) {
    parts.push(encoder.encode(`${entry.mode} ${entry.name}\0`));
    parts.push(Uint8Array.from(entry.oid.match(/../g) ?? [], (hex) => parseInt(hex, 16)));
  }
  const body = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.length;
  }
  const oid = gitObjectSha1("tree", body);
  oids.set(path, oid);
  return oid;
}

function gitObjectSha1(type: string, body: Uint8Array): string {
  return createHash("sha1").update(`${type} ${body.length}\0`).update(body).digest("hex");
}
