/**
 * What the fault machinery of `./hub/` (`faults.ts`, `body_stream.ts`, `responses.ts`) needs
 * of an emulator and of one request it answers, so that the Hub and ModelScope emulators
 * inject the same faults through the same code: each names its own listeners (`origin`).
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RateLimitReading } from "./hub/exchange.ts";
import type { BodyStall, FaultSpec, HubClock } from "./hub/types.ts";

/** A fault of either emulator: the Hub's {@link FaultSpec}, for the listeners of its emulator. */
export type FaultRule = Omit<FaultSpec, "origin"> & {
  /** Which listener it watches, by the emulator's name for it, or `"any"`. */
  origin?: string;
};

/** An injected fault and how many matching requests it has seen and altered. */
export interface FaultState {
  /** The fault as the test gave it. */
  spec: FaultRule;
  /** Matching requests seen, the skipped ones included. */
  seen: number;
  /** Matching requests it was applied to. */
  applied: number;
}

/** The emulator state the fault machinery reads and updates. */
export interface FaultHost {
  /** Injected faults, in the order they are tried. */
  readonly faults: FaultState[];
  /** The time pacing and stalls follow. */
  readonly clock: HubClock;
  /** Per request path: response bodies being sent now, and the most ever sent at once. */
  readonly bodiesInFlight: Map<string, { current: number; peak: number }>;
  /** `bytesPerSecond`: the rate cap of file bodies, if any. */
  readonly options: { bytesPerSecond?: number };
  /** Tells those waiting for it that a stall began. */
  stallBegan(stall: BodyStall): void;
}

/** One request being answered, as the fault machinery sees it. */
export interface FaultExchange {
  /** The emulator answering it (the Hub's or ModelScope's). */
  hub: FaultHost;
  /** Which listener received it, by the emulator's name for it. */
  origin: string;
  /** The request. */
  req: IncomingMessage;
  /** The response. */
  res: ServerResponse;
  /** Upper-case HTTP method. */
  method: string;
  /** What tests see of this request. */
  record: { path: string; status: number; bodyBytes: number };
  /** Set as soon as the response closes (finished or connection gone). */
  isClosed: boolean;
  /** Fault picked for the response; undefined until picked. */
  fault?: FaultRule | null;
  /** Where the Hub's rate limit stood when the request arrived. */
  rateLimit?: RateLimitReading;
}
