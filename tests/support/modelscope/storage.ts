/**
 * The emulated storage origin a ModelScope download redirects to: file bodies by
 * SHA-256, honouring `Range` (206 with `Content-Range`), with the faults a test
 * injects (a cut connection, flipped bytes).
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { MsFault, MsStoredFile } from "./types.ts";

/** A fault and how often it applied. */
export interface FaultState {
  spec: MsFault;
  applied: number;
}

/** Answers one storage request; returns the status sent. */
export async function handleStorage(
  blobs: Map<string, MsStoredFile>,
  faults: FaultState[],
  exchange: { req: IncomingMessage; res: ServerResponse },
): Promise<number> {
  const { req, res } = exchange;
  const parts = new URL(req.url ?? "/", "http://storage").pathname.split("/");
  const file = parts[1] === "objects" ? blobs.get(parts[2]) : undefined;
  if (!file) {
    res.writeHead(404, { "Content-Type": "application/xml" });
    res.end("<Error><Code>NoSuchKey</Code></Error>");
    return 404;
  }
  const size = file.source.size;
  const range = parseRange(req.headers.range, size);
  if (range === "unsatisfiable") {
    res.writeHead(416, { "Content-Range": `bytes */${size}` });
    res.end();
    return 416;
  }
  const [start, end] = range ?? [0, size];
  const status = range ? 206 : 200;
  res.writeHead(status, {
    "Content-Type": "application/octet-stream",
    "Content-Length": String(end - start),
    "Accept-Ranges": "bytes",
    ...(range ? { "Content-Range": `bytes ${start}-${end - 1}/${size}` } : {}),
  });
  if (req.method === "HEAD") {
    res.end();
    return status;
  }
  await sendBody(res, { file, start, end, fault: takeFault(faults, file.path) });
  return status;
}

/** `[start, end)` of a `bytes=a-b` / `bytes=a-` header; none for a missing or other header. */
function parseRange(
  header: string | undefined,
  size: number,
): [number, number] | "unsatisfiable" | undefined {
  const match = /^bytes=(\d+)-(\d*)$/.exec(header ?? "");
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = match[2] === "" ? size : Math.min(size, Number(match[2]) + 1);
  if (start >= size || end <= start) return "unsatisfiable";
  return [start, end];
}

function takeFault(faults: FaultState[], path: string): MsFault | undefined {
  for (const state of faults) {
    if (state.spec.path !== path || state.applied >= (state.spec.times ?? Infinity)) continue;
    state.applied++;
    return state.spec;
  }
  return undefined;
}

async function sendBody(
  res: ServerResponse,
  body: { file: MsStoredFile; start: number; end: number; fault?: MsFault },
): Promise<void> {
  const { file, start, fault } = body;
  const cut = fault?.cutAfterBytes ?? fault?.holdAfterBytes;
  const end = cut === undefined ? body.end : Math.min(body.end, start + cut);
  let bytes = file.source.read(start, end);
  if (fault?.corrupt) {
    bytes = bytes.slice();
    for (let i = (4096 - (start % 4096)) % 4096; i < bytes.length; i += 4096) bytes[i] ^= 0xff;
  }
  if (cut === undefined || end === body.end) {
    res.end(bytes);
    return;
  }
  // Held bodies arrive in paced chunks, so the client saves its progress as they come.
  const chunk = fault?.holdAfterBytes !== undefined ? 512 * 1024 : bytes.length;
  for (let at = 0; at < bytes.length && !res.destroyed; at += chunk) {
    await new Promise<void>((resolve) =>
      res.write(bytes.subarray(at, at + chunk), () => resolve())
    );
    if (chunk < bytes.length) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (fault?.holdAfterBytes !== undefined && !res.destroyed && !res.closed) {
    await new Promise<void>((resolve) => res.once("close", () => resolve()));
  }
  res.socket?.destroy();
}
