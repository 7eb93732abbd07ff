/**
 * Resolving a file and checking that the Hub's answers agree on what it is:
 * the listing's size and SHA-256 against `X-Linked-Size` / `X-Linked-Etag`.
 * A disagreement is asked again (resolve, and the listing once more); only when
 * the listing and resolve agree on a new identity has the file changed. Also
 * picks the best hash the Hub gave to verify the file against.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import type { HubConnection } from "../http/hub_connection.ts";
import { markRetryable, type RetryOptions, withRetry } from "../http/retry.ts";
import type { RepoFile } from "../hub/list_files.ts";
import type { RepoId } from "../hub/repo_id.ts";
import type { ResolvedFile } from "../hub/resolve_file.ts";
import { huggingFaceSource } from "../source/hugging_face_source.ts";
import type { RepoSource } from "../source/repo_source.ts";
import { type DownloadEventHandler, retryEventOf } from "./download_events.ts";
import {
  type FileIdentity,
  identityOfFile,
  isGitSha1Hex,
  isSha256Hex,
} from "../store/partial_state.ts";
import { type ExpectedHash, expectedHashOf } from "./file_hash.ts";

/** A resolved file whose identity the listing and resolve agree on. */
export interface ConfirmedFile {
  /** Where the bytes are served. */
  resolved: ResolvedFile;
  /** The file's identity (a new one when the file changed since it was listed). */
  identity: FileIdentity;
  /** The hash to verify against; none when the Hub gave none (checked by size only). */
  expected?: ExpectedHash;
}

/** How to confirm a file. */
export interface ConfirmOptions {
  /** Hub settings. */
  connection: HubConnection;
  /** The hub the file is resolved and listed on; Hugging Face when absent. */
  source?: RepoSource;
  /** How often to ask again while the answers disagree (the engine's retry policy). */
  retry?: RetryOptions;
  /** Told about each new attempt. */
  onEvent?: DownloadEventHandler;
}

/**
 * Resolves `what.file` and confirms its identity. Throws an `integrity` error
 * when the listing and resolve keep disagreeing; nothing on disk is touched.
 */
export function confirmFile(
  what: { repo: RepoId; commit: string; file: RepoFile },
  options: ConfirmOptions,
): Promise<ConfirmedFile> {
  const { repo, commit, file } = what;
  const { connection } = options;
  const source = options.source ?? huggingFaceSource;
  const listed = identityOfFile(file);
  return withRetry(async () => {
    const resolved = await source.resolveFile(connection, {
      repo,
      revision: commit,
      path: file.path,
    });
    const conflict = disagreement(listed, resolved);
    if (!conflict) return confirmed(listed, resolved, { file, connection });
    const relisted = (await source.listFiles(connection, repo, { revision: commit }))
      .find((entry) => entry.path === file.path);
    const identity = relisted && identityOfFile(relisted);
    if (relisted && identity && !disagreement(identity, resolved)) {
      return confirmed(identity, resolved, { file: relisted, connection });
    }
    throw markRetryable(
      new ModelManagerError(
        "integrity",
        `download ${file.path} in ${repo.id}: the Hub lists it with ${conflict}`,
        {
          hint:
            "the Hub's file listing and its download answer disagree; the partial download was kept — run the command again later",
        },
      ),
    );
  }, {
    ...options.retry,
    signal: connection.signal,
    clock: connection.clock,
    onRetry: (event) => options.onEvent?.(retryEventOf(file.path, event)),
  });
}

/** What differs between the listing's identity and resolve's answer; `undefined` when nothing. */
function disagreement(identity: FileIdentity, resolved: ResolvedFile): string | undefined {
  if (resolved.size !== undefined && resolved.size !== identity.size) {
    return `${identity.size} bytes but serves ${resolved.size} (X-Linked-Size)`;
  }
  const served = isSha256Hex(resolved.etag) ? resolved.etag.toLowerCase() : undefined;
  if (identity.sha256 && served && served !== identity.sha256) {
    return `sha256 ${identity.sha256} but serves ${served} (X-Linked-Etag)`;
  }
  return undefined;
}

function confirmed(
  identity: FileIdentity,
  resolved: ResolvedFile,
  source: { file: RepoFile; connection: HubConnection },
): ConfirmedFile {
  return { resolved, identity, expected: bestHash(identity, resolved, source) };
}

/**
 * The listing's hash, else resolve's `X-Linked-Etag` when it is a SHA-256, else
 * the git SHA-1 `ETag` of a small file that the Hub served itself (on an LFS
 * redirect, the `ETag` is the pointer's).
 */
function bestHash(
  identity: FileIdentity,
  resolved: ResolvedFile,
  source: { file: RepoFile; connection: HubConnection },
): ExpectedHash | undefined {
  const listed = expectedHashOf(identity);
  if (listed) return listed;
  const etag = resolved.etag?.toLowerCase();
  if (isSha256Hex(etag)) return { algorithm: "sha256", hex: etag };
  const servedByHub = resolved.contentUrl.origin === new URL(source.connection.endpoint).origin;
  if (isGitSha1Hex(etag) && servedByHub && !source.file.lfs) {
    return { algorithm: "git-sha1", hex: etag };
  }
  return undefined;
}
