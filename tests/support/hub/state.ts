/**
 * What the emulator's handlers share: its options, listener origins, prepared repositories,
 * the CDN's blob store, the injected faults and the key that signs CDN URLs.
 *
 * @module
 */
import type { StoredFile, StoredRepo } from "./prepared_repo.ts";
import type { FaultState } from "../fault_exchange.ts";
import type { BodyStall, HubClock, HubServerOptions, RequestRecord } from "./types.ts";

export type { FaultState } from "../fault_exchange.ts";

/** The state of one running emulator, read by every handler through its exchange. */
export interface HubState {
  /** The options the emulator was started with. */
  readonly options: HubServerOptions;
  /** Hub origin, e.g. `"http://127.0.0.1:41234"`; "" until listening. */
  readonly endpoint: string;
  /** CDN origin; "" until listening. */
  readonly cdnOrigin: string;
  /** Alias origin; "" until listening or without `options.aliasHost`. */
  readonly aliasOrigin: string;
  /** Every request, in arrival order. */
  readonly requests: RequestRecord[];
  /** Injected faults, in the order they are tried. */
  readonly faults: FaultState[];
  /** Repositories by id. */
  readonly repos: Map<string, StoredRepo>;
  /** Current id of each renamed repository, by its old id. */
  readonly renames: Map<string, string>;
  /** Content-addressed LFS store of the CDN, by SHA-256; kept when a repo changes, like a real bucket. */
  readonly blobs: Map<string, StoredFile>;
  /** HMAC key of signed CDN URLs; replacing it invalidates every URL issued so far. */
  readonly signingKey: Uint8Array;
  /** The current window of `options.rateLimit`: when it started and the requests counted in it. */
  rateWindow: { startedAt: number; count: number };
  /** Per request path: response bodies being sent now, and the most ever sent at once. */
  readonly bodiesInFlight: Map<string, { current: number; peak: number }>;
  /** The time pacing, stalls and the rate limit follow. */
  readonly clock: HubClock;
  /** Every body stall so far, in the order they began. */
  readonly stalls: BodyStall[];
  /** Tells those waiting for it that a stall began (after adding it to `stalls`). */
  stallBegan(stall: BodyStall): void;
}
