/**
 * Which injected fault applies to a request: matching by origin, method, path and Range,
 * with `skip` and `times` counted per fault. The first fault that applies wins.
 *
 * @module
 */
import type { FaultExchange, FaultRule } from "../fault_exchange.ts";

const BODY_EFFECTS = [
  "resetAfterBytes",
  "shortAfterBytes",
  "stallAfterBytes",
  "stallMs",
  "ignoreRange",
  "corrupt",
  "bytesPerSecond",
  "gzip",
  "chunkBytes",
  "rangeBlockBytes",
  "listingHashes",
] as const;

/** Whether the fault alters a response body, so it only applies where a body is sent. */
export function hasBodyEffect(fault: FaultRule): boolean {
  return BODY_EFFECTS.some((key) => fault[key] !== undefined && fault[key] !== false);
}

/**
 * The first fault that `accept`s and matches the exchange and still has to apply; counts it
 * as seen and, unless skipped or used up, as applied.
 */
export function takeFault(
  ex: FaultExchange,
  accept: (fault: FaultRule) => boolean,
): FaultRule | null {
  for (const state of ex.hub.faults) {
    if (!accept(state.spec) || !matches(ex, state.spec)) continue;
    state.seen++;
    if (state.seen <= (state.spec.skip ?? 0)) continue;
    if (state.applied >= (state.spec.times ?? Infinity)) continue;
    state.applied++;
    return state.spec;
  }
  return null;
}

/**
 * The response fault of this exchange (one without `status`), picked once and kept in
 * `ex.fault`; faults that alter a body are left for later when `bodyAllowed` is false.
 */
export function responseFault(ex: FaultExchange, bodyAllowed: boolean): FaultRule | null {
  if (ex.fault === undefined) {
    ex.fault = takeFault(
      ex,
      (spec) => spec.status === undefined && (bodyAllowed || !hasBodyEffect(spec)),
    );
  }
  return ex.fault;
}

function matches(ex: FaultExchange, fault: FaultRule): boolean {
  const origin = fault.origin ?? "any";
  return (origin === "any" || origin === ex.origin) &&
    (fault.method === undefined || fault.method.toUpperCase() === ex.method) &&
    (fault.pathIncludes === undefined || ex.record.path.includes(fault.pathIncludes)) &&
    (!fault.rangeRequestsOnly || ex.req.headers.range !== undefined);
}
