/**
 * Writing a response body in chunks, with the body faults applied: cut by a reset or a clean
 * close, stalls, corruption and rate caps (per fault or for the whole emulator).
 *
 * @module
 */
import type { Socket } from "node:net";
import type { ByteSource } from "./byte_source.ts";
import type { FaultExchange } from "../fault_exchange.ts";

/** A body to send: a slice of a source. */
export interface Payload {
  /** Where the bytes come from. */
  source: ByteSource;
  /** First byte sent. */
  start: number;
  /** End of the slice (exclusive). */
  end: number;
  /** Rate cap of the body, unless a fault sets its own. */
  bytesPerSecond?: number;
}

const CHUNK_BYTES = 256 * 1024;

/**
 * Stream the payload after the headers, applying the fault picked for the exchange
 * (`ex.fault`), and end the response or cut the connection as the fault says.
 */
export async function streamBody(ex: FaultExchange, payload: Payload): Promise<void> {
  countInFlight(ex);
  const fault = ex.fault ?? undefined;
  const total = payload.end - payload.start;
  const cut = fault?.resetAfterBytes ?? fault?.shortAfterBytes;
  const limit = cut === undefined ? total : Math.min(cut, total);
  const stallAt = fault?.stallAfterBytes ?? (fault?.stallMs !== undefined ? 0 : undefined);
  const rate = fault?.bytesPerSecond ?? payload.bytesPerSecond;
  const chunkBytes = rate
    ? fault?.chunkBytes ?? Math.max(1024, Math.min(CHUNK_BYTES, Math.floor(rate / 16)))
    : CHUNK_BYTES;
  const clock = ex.hub.clock;
  const startedAt = clock.now();
  let sent = 0;
  let stalled = stallAt === undefined;
  if (limit === 0 || stallAt === 0) ex.res.flushHeaders();
  while (sent < limit && !ex.isClosed) {
    if (!stalled && sent >= (stallAt ?? 0)) {
      stalled = true;
      await stallBody(ex, { afterBytes: sent, ms: fault?.stallMs ?? null });
      continue;
    }
    let size = Math.min(chunkBytes, limit - sent);
    if (!stalled) size = Math.min(size, (stallAt ?? 0) - sent);
    if (rate) {
      const due = startedAt + (sent / rate) * 1000;
      if (due > clock.now()) await pause(ex, due - clock.now());
    }
    let chunk = payload.source.read(payload.start + sent, payload.start + sent + size);
    if (fault?.corrupt) chunk = corrupted(chunk, sent);
    sent += size;
    ex.record.bodyBytes += size;
    // The bytes before a cut or a stall reach the socket first, so the client can have them all.
    const last = (sent === limit && cut !== undefined && cut < total) ||
      (!stalled && sent === stallAt);
    if (last) await writeFlushed(ex, chunk);
    else if (!ex.res.write(chunk)) await pause(ex, null, "drain");
  }
  if (ex.isClosed) return;
  if (cut !== undefined && cut < total) {
    if (limit === 0) await pause(ex, 20);
    if (fault?.resetAfterBytes !== undefined) resetConnection(ex.req.socket);
    else ex.req.socket?.end();
    return;
  }
  ex.res.end();
}

/** Counts the body as in flight for its path until the response closes. */
function countInFlight(ex: FaultExchange): void {
  const count = ex.hub.bodiesInFlight.get(ex.record.path) ?? { current: 0, peak: 0 };
  ex.hub.bodiesInFlight.set(ex.record.path, count);
  count.current++;
  count.peak = Math.max(count.peak, count.current);
  if (ex.isClosed) count.current--;
  else ex.res.once("close", () => count.current--);
}

/** Flip one byte per 4 KiB of the body, keeping the length, so a digest check must fail. */
function corrupted(chunk: Uint8Array, bodyOffset: number): Uint8Array {
  const copy = chunk.slice();
  for (let i = (4096 - (bodyOffset % 4096)) % 4096; i < copy.length; i += 4096) copy[i] ^= 0xff;
  return copy;
}

/**
 * Wait for `ms` milliseconds of the emulator's clock (null: forever) or the response event, whichever comes first;
 * always ends early when the response closes, so a vanished client never leaves a timer behind.
 */
function pause(ex: FaultExchange, ms: number | null, event: "drain" | null = null): Promise<void> {
  if (ex.isClosed) return Promise.resolve();
  return new Promise<void>((resolve) => {
    let cancelTimer = () => {};
    const done = () => {
      cancelTimer();
      ex.res.off("close", done);
      if (event) ex.res.off(event, done);
      resolve();
    };
    ex.res.on("close", done);
    if (event) ex.res.on(event, done);
    if (ms !== null) cancelTimer = ex.hub.clock.setTimer(ms, done);
  });
}

/**
 * Holds the body still until `ms` runs out (null: never), the test releases it or the client
 * goes, and tells the emulator's stall waiters it began.
 */
function stallBody(
  ex: FaultExchange,
  at: { afterBytes: number; ms: number | null },
): Promise<void> {
  let end: (how: StallEnd) => void = () => {};
  const ended = new Promise<StallEnd>((resolve) => {
    let cancelTimer = () => {};
    const onClose = () => finish("closed");
    function finish(how: StallEnd): void {
      cancelTimer();
      ex.res.off("close", onClose);
      resolve(how);
    }
    end = finish;
    if (ex.isClosed) return finish("closed");
    ex.res.on("close", onClose);
    if (at.ms !== null) cancelTimer = ex.hub.clock.setTimer(at.ms, () => finish("timer"));
  });
  ex.hub.stallBegan({
    path: ex.record.path,
    afterBytes: at.afterBytes,
    release: () => end("released"),
    ended,
  });
  return ended.then(() => {});
}

type StallEnd = "timer" | "released" | "closed";

/** Write the chunk and wait until it reached the socket, so a following cut keeps it. */
function writeFlushed(ex: FaultExchange, chunk: Uint8Array): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      ex.res.off("close", done);
      resolve();
    };
    ex.res.on("close", done);
    ex.res.write(chunk, done);
  });
}

function resetConnection(socket: Socket | null): void {
  if (!socket) return;
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
