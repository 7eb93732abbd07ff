/**
 * Shared pieces of the download-engine tests: a manager wired to the loopback
 * Hub with quick retries, an event recorder, a `fetch` that rewrites answers,
 * a cancelled download, where files land and which requests fetched them,
 * a runtime that counts the body bytes the engine read, waiting for a
 * condition, and hashing files on disk.
 *
 * @module
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
} from "node:fs";
import { join } from "node:path";
import {
  type DownloadEvent,
  ModelManager,
  ModelManagerError,
  type Runtime,
  RuntimeDetector,
} from "../../mod.ts";
import {
  type FaultSpec,
  type HubRepoSpec,
  type HubServer,
  type RequestRecord,
  sha256Hex,
} from "./hub_server.ts";

/** A repository with one 16 MiB model, large enough for four parallel segments. */
export const BIG: HubRepoSpec = {
  id: "test-org/Big-Model-rk3588",
  files: [
    { path: "config.json", content: JSON.stringify({ model_type: "qwen2" }) },
    { path: "Big-Model-rk3588-w8a8.rkllm", source: { size: 16 * 1024 * 1024 + 777, seed: 4242 } },
  ],
};
/** The model file of {@linkcode BIG}. */
export const BIG_FILE = "Big-Model-rk3588-w8a8.rkllm";

/** Engine settings that make {@linkcode BIG} download in four parallel segments. */
export const PARALLEL = { connections: 4, parallelThreshold: 1024 * 1024 };

/** Options of {@linkcode ModelManager} the tests pass. */
export type ManagerOptions = NonNullable<ConstructorParameters<typeof ModelManager>[0]>;

/** A manager for `modelsDir` against `hub`, retrying quickly, recording events and warnings. */
export function managerFor(
  hub: HubServer,
  modelsDir: string,
  extra: ManagerOptions = {},
): { manager: ModelManager; events: DownloadEvent[]; warnings: string[] } {
  const events: DownloadEvent[] = [];
  const warnings: string[] = [];
  const manager = new ModelManager({
    modelsDir,
    endpoint: hub.endpoint,
    token: "",
    retry: { attempts: 4, baseDelayMs: 5, maxDelayMs: 50 },
    onWarning: (message) => warnings.push(message),
    onProgress: (event) => events.push(event),
    ...extra,
  });
  return { manager, events, warnings };
}

/** Awaits `promise` and asserts it fails with a {@linkcode ModelManagerError} of `code` and a hint. */
export async function rejectsWithCode(
  promise: Promise<unknown>,
  code: string,
): Promise<ModelManagerError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ModelManagerError, `expected a ModelManagerError, got ${error}`);
    assert.equal(error.code, code, `expected code ${code}, got ${error.code}: ${error.message}`);
    assert.ok(error.hint.length > 0, "every error carries a hint");
    return error;
  }
  assert.fail(`expected a ${code} error`);
}

/**
 * A fault: the CDN resets the connection of the next request after `bytes` of its body,
 * sent at 8 MiB/s so that the reset comes while the body streams.
 */
export function resetOnceAfter(bytes: number): FaultSpec {
  return { origin: "cdn", times: 1, resetAfterBytes: bytes, bytesPerSecond: 8 * 1024 * 1024 };
}

/**
 * Downloads {@linkcode BIG} in parallel segments with `manager` and cancels it
 * through an AbortSignal once `bytes` have arrived; asserts it fails as `cancelled`.
 */
export async function cancelBigDownloadAfter(manager: ModelManager, bytes: number): Promise<void> {
  const controller = new AbortController();
  await rejectsWithCode(
    manager.downloadModel(BIG.id, undefined, {
      ...PARALLEL,
      signal: controller.signal,
      onProgress(event) {
        if (event.event === "progress" && event.bytes >= bytes) controller.abort();
      },
    }),
    "cancelled",
  );
}

/** Where a file of `repo` lands in the store at `modelsDir`. */
export function pathIn(modelsDir: string, repo: HubRepoSpec, file: string): string {
  return join(modelsDir, ...repo.id.split("/"), file);
}

/** The GET requests for `file` among `requests` that the CDN answered. */
export function cdnGets(requests: RequestRecord[], file: string): RequestRecord[] {
  return requests.filter((request) =>
    request.origin === "cdn" && request.method === "GET" && request.path.endsWith(file)
  );
}

/** How many body bytes `requests` were answered with, together. */
export function bodyBytes(requests: RequestRecord[]): number {
  return requests.reduce((sum, request) => sum + request.bodyBytes, 0);
}

/** The SHA-256 of a file on disk, read in chunks. */
export function fileSha256(path: string): string {
  const hash = createHash("sha256");
  const buffer = new Uint8Array(4 * 1024 * 1024);
  const fd = openSync(path, "r");
  try {
    for (let count; (count = readSync(fd, buffer)) > 0;) hash.update(buffer.subarray(0, count));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

/** Asserts a file on disk holds exactly `expected` (compared by size and SHA-256). */
export function assertSameBytes(path: string, expected: Uint8Array, what = path): void {
  assert.equal(statSync(path).size, expected.length, `${what} has the right size`);
  assert.equal(fileSha256(path), sha256Hex(expected), `${what} is byte-identical`);
}

/** Polls `condition` every 10 ms until it holds; fails after `timeoutMs`. */
export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every file below `dir` (recursively), as paths relative to it. */
export function filesUnder(dir: string, prefix = ""): string[] {
  if (!existsSync(join(dir, prefix))) return [];
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? filesUnder(dir, path) : [path];
  }).sort();
}

/**
 * A `fetch` that passes requests on and lets `rewrite` replace an answer
 * (or answer without asking the server, when it returns a response for a
 * request before it is sent: `before`).
 */
export function rewritingFetch(handlers: {
  before?: (url: URL, init: RequestInit | undefined) => Response | undefined;
  after?: (url: URL, response: Response) => Promise<Response | undefined> | Response | undefined;
}): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const early = handlers.before?.(url, init);
    if (early) return early;
    const response = await fetch(input, init);
    return (await handlers.after?.(url, response)) ?? response;
  }) as typeof fetch;
}

/** The path of a file's partial download and of its state, beside `destination`. */
export function partialOf(destination: string): { part: string; state: string } {
  return { part: `${destination}.part`, state: `${destination}.part.state` };
}

/** Bytes a partial download's state file says are on disk, or -1 without a readable state. */
export function savedBytes(destination: string): number {
  try {
    const state = JSON.parse(readFileSync(partialOf(destination).state, "utf8"));
    return (state.segments as { start: number; next: number }[]).reduce(
      (sum, segment) => sum + segment.next - segment.start,
      0,
    );
  } catch {
    return -1;
  }
}

/** A runtime whose file-body transport counts the bytes the engine has read. */
export interface CountingRuntime {
  /** The runtime to give the manager. */
  runtime: Runtime;
  /** Body bytes the engine has read so far from requests whose path contains `pathIncludes`. */
  bytesRead(pathIncludes: string): number;
}

/**
 * The current runtime with its own file-body transport (Node: `node:http`,
 * elsewhere `fetch`) wrapped to count what the engine reads: a byte counts once
 * the engine's read has it, so a test can wait until the bytes a fault lets
 * through have reached the engine.
 */
export function countingRuntime(): CountingRuntime {
  const base = RuntimeDetector.current();
  const transport = base.hubFetch ?? globalThis.fetch;
  const reads: { path: string; bytes: number }[] = [];
  const bodyFetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await transport(input, init);
    if (!response.body) return response;
    const url = new URL(input instanceof Request ? input.url : input);
    const read = { path: decodeURIComponent(url.pathname), bytes: 0 };
    reads.push(read);
    return new Response(countedStream(response.body, read), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  return {
    runtime: { ...base, hubFetch: bodyFetch as typeof fetch },
    bytesRead: (pathIncludes) =>
      reads.filter((read) => read.path.includes(pathIncludes))
        .reduce((sum, read) => sum + read.bytes, 0),
  };
}

/** `body`, read only when its reader asks (no read-ahead), counting each chunk handed over. */
function countedStream(
  body: ReadableStream<Uint8Array>,
  read: { bytes: number },
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      read.bytes += value.length;
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  }, { highWaterMark: 0 });
}
