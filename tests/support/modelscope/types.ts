/**
 * What the ModelScope emulator serves and records: repositories (with their
 * files, branches and visibility), injected storage faults and each request seen.
 *
 * @module
 */
import type { ByteSource } from "../hub/byte_source.ts";

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
}

/** A fault of the storage origin, applied to the requests of the file at `path`. */
export interface MsFault {
  /** The repository path of the file whose bytes it alters. */
  path: string;
  /** Cut the connection after this many body bytes. */
  cutAfterBytes?: number;
  /** Flip one byte per 4 KiB of the body, keeping its length. */
  corrupt?: boolean;
  /** Send this many body bytes, then hold the rest until the client goes. */
  holdAfterBytes?: number;
  /** How many requests it applies to (default: all). */
  times?: number;
}

/** One request the emulator answered. */
export interface MsRequestRecord {
  /** `api` (the endpoint) or `storage` (where downloads redirect to). */
  origin: "api" | "storage";
  /** The method. */
  method: string;
  /** The path and query. */
  url: string;
  /** `Authorization`, if sent. */
  authorization?: string;
  /** `Cookie`, if sent. */
  cookie?: string;
  /** `Range`, if sent. */
  range?: string;
  /** The status answered (0 while a storage answer is under way). */
  status: number;
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
