/**
 * What the ModelScope emulator serves and records: repositories (with their
 * files, branches and visibility), injected faults and each request seen.
 *
 * @module
 */
import type { ByteSource } from "../hub/byte_source.ts";
import type { FaultRule } from "../fault_exchange.ts";
import type { HubClock } from "../hub/types.ts";

/** A file of an emulated repository. */
export interface MsFileSpec {
  /** The path inside the repository. */
  path: string;
  /** The content (a string is UTF-8). */
  content: string | Uint8Array;
}

/** An emulated ModelScope model repository. */
export interface MsRepoSpec {
  /** `owner/name`. */
  id: string;
  /** The files of every branch. */
  files: MsFileSpec[];
  /** Visible only with the emulator's token. */
  private?: boolean;
  /** Branches besides `master`. */
  branches?: string[];
  /** Raw entries added to the listing as they are (hostile or broken ones). */
  listingExtra?: Record<string, unknown>[];
}

/** What the emulator is started with. */
export interface MsEmulatorOptions {
  /** The repositories it serves. */
  repos: MsRepoSpec[];
  /** The one token it accepts (as cookie `m_session_id` or `Authorization: Bearer`). */
  token?: string;
  /** The time pacing and stalls follow (see `testClock` in `../hub/clock.ts`); the real one without. */
  clock?: HubClock;
  /** Faults injected from the start. */
  faults?: MsFault[];
}

/**
 * A fault injected into matching requests: the Hub emulator's faults (statuses, cut, short,
 * stalled, paced or corrupted bodies, Range ignored, early 206s, added headers, no answer),
 * for ModelScope's listeners. `listingHashes` alters the `Sha256` of `repo/files` entries;
 * a status fault of the API answers in ModelScope's error envelope.
 */
export type MsFault = Omit<FaultRule, "origin"> & {
  /** `api` (the endpoint), `storage` (where downloads redirect to) or `any` (the default). */
  origin?: "api" | "storage" | "any";
};

/** One request the emulator answered. */
export interface MsRequestRecord {
  /** `api` (the endpoint) or `storage` (where downloads redirect to). */
  origin: "api" | "storage";
  /** The method. */
  method: string;
  /** The decoded path, without the query. */
  path: string;
  /** The path and query. */
  url: string;
  /** `Authorization`, if sent. */
  authorization?: string;
  /** `Cookie`, if sent. */
  cookie?: string;
  /** `Range`, if sent. */
  range?: string;
  /** The status answered (0 until the answer is written). */
  status: number;
  /** Body bytes written to the socket. */
  bodyBytes: number;
}

/** A stored file: its bytes and identity. */
export interface MsStoredFile {
  /** The repository path. */
  path: string;
  /** The bytes. */
  source: ByteSource;
  /** Lowercase hex SHA-256 of the bytes. */
  sha256: string;
}
