/**
 * A loopback ModelScope: an API origin and a storage origin (two servers on port 0),
 * as described in /work/shared/modelscope-protocol.md. File bodies come from the
 * Hub emulator's byte sources, and faults go through the Hub emulator's fault
 * machinery (`../hub/faults.ts`, `body_stream.ts`, `responses.ts`).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { memorySource } from "../hub/byte_source.ts";
import { REAL_CLOCK } from "../hub/clock.ts";
import { takeFault } from "../hub/faults.ts";
import { sendFaultStatus } from "../hub/responses.ts";
import type { BodyStall } from "../hub/types.ts";
import { handleApi, type MsRepo } from "./api.ts";
import { sendError } from "./envelope.ts";
import { type MsExchange, type MsState, openMsExchange } from "./exchange.ts";
import { handleStorage } from "./storage.ts";
import type {
  MsEmulatorOptions,
  MsFault,
  MsRepoSpec,
  MsRequestRecord,
  MsStoredFile,
} from "./types.ts";

export type { MsEmulatorOptions, MsFault, MsRepoSpec, MsRequestRecord } from "./types.ts";

/** A running emulator. */
export interface ModelScopeEmulator {
  /** The API's base URL (what `--endpoint` / `MODELSCOPE_ENDPOINT` take). */
  readonly endpoint: string;
  /** The storage origin downloads redirect to. */
  readonly storageOrigin: string;
  /** Every request, in arrival order. */
  readonly requests: MsRequestRecord[];
  /** Every body stall so far (`stallAfterBytes` / `stallMs` faults), in the order they began. */
  readonly stalls: BodyStall[];
  /** The `count`-th stall (1: the first), once it has begun. */
  waitForStall(count?: number): Promise<BodyStall>;
  /** Adds a fault after the faults already present. */
  addFault(fault: MsFault): void;
  /** Removes every fault. */
  clearFaults(): void;
  /** Adds or replaces a file of a repository (a new upload). */
  setFile(repo: string, file: { path: string; content: string | Uint8Array }): void;
  /** Makes the next API requests answer these statuses (an error envelope; 200: one with `Success: false`), one each. */
  failApi(...statuses: number[]): void;
  /** Stops both servers. */
  close(): Promise<void>;
}

const encoder = new TextEncoder();

function storedFile(path: string, content: string | Uint8Array): MsStoredFile {
  const bytes = typeof content === "string" ? encoder.encode(content) : content;
  return {
    path,
    source: memorySource(bytes),
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}

function repoOf(spec: MsRepoSpec): MsRepo {
  return {
    id: spec.id,
    private: spec.private ?? false,
    branches: ["master", ...(spec.branches ?? [])],
    files: new Map(spec.files.map((file) => [file.path, storedFile(file.path, file.content)])),
    listingExtra: spec.listingExtra ?? [],
  };
}

/** The emulator's state, with its stall waiters. */
function stateOf(options: MsEmulatorOptions) {
  const stalls: BodyStall[] = [];
  const waiters = new Set<{ count: number; resolve: (stall: BodyStall) => void }>();
  const repos = new Map(options.repos.map((spec) => [spec.id, repoOf(spec)]));
  const state: MsState = {
    repos,
    blobs: new Map(),
    requests: [],
    token: options.token,
    storageOrigin: "",
    failures: [],
    faults: (options.faults ?? []).map((spec) => ({ spec, seen: 0, applied: 0 })),
    clock: options.clock ?? REAL_CLOCK,
    bodiesInFlight: new Map(),
    options: {},
    stallBegan(stall) {
      stalls.push(stall);
      for (const waiter of waiters) {
        if (stalls.length < waiter.count) continue;
        waiters.delete(waiter);
        waiter.resolve(stalls[waiter.count - 1]);
      }
    },
  };
  for (const repo of repos.values()) {
    for (const file of repo.files.values()) state.blobs.set(file.sha256, file);
  }
  const waitForStall = (count = 1): Promise<BodyStall> => {
    if (stalls.length >= count) return Promise.resolve(stalls[count - 1]);
    return new Promise((resolve) => waiters.add({ count, resolve }));
  };
  return { state, stalls, waitForStall };
}

/** Answers a request: no answer, or a status, when a fault says so; else the listener's answer. */
function handle(ex: MsExchange): Promise<void> {
  if (takeFault(ex, (spec) => spec.noAnswer === true)) {
    return new Promise((resolve) => ex.res.on("close", () => resolve()));
  }
  const fault = takeFault(ex, (spec) => spec.status !== undefined);
  if (fault && ex.origin === "api") {
    const status = fault.status ?? 500;
    ex.fault = null;
    return sendError(ex, { status, code: status, message: "injected", headers: fault.headers });
  }
  if (fault) return sendFaultStatus(ex, fault);
  return ex.origin === "api" ? handleApi(ex) : handleStorage(ex);
}

async function listen(
  state: MsState,
  origin: "api" | "storage",
): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    req.on("error", () => {});
    res.on("error", () => {});
    handle(openMsExchange(state, { origin, req, res })).catch(() => res.destroy());
  });
  server.on("clientError", (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

/**
 * Starts the emulator on loopback.
 *
 * @example
 * ```ts
 * const ms = await startModelScope({ repos: [{ id: "radxa/M", files: [{ path: "a.json", content: "{}" }] }] });
 * await ms.close();
 * ```
 */
export async function startModelScope(options: MsEmulatorOptions): Promise<ModelScopeEmulator> {
  const { state, stalls, waitForStall } = stateOf(options);
  const storage = await listen(state, "storage");
  state.storageOrigin = storage.origin;
  const api = await listen(state, "api");
  return {
    endpoint: api.origin,
    storageOrigin: storage.origin,
    requests: state.requests,
    stalls,
    waitForStall,
    addFault: (fault) => state.faults.push({ spec: fault, seen: 0, applied: 0 }),
    clearFaults: () => state.faults.splice(0),
    failApi: (...statuses) => state.failures.push(...statuses),
    setFile: (repo, file) => {
      const stored = storedFile(file.path, file.content);
      state.repos.get(repo)!.files.set(file.path, stored);
      state.blobs.set(stored.sha256, stored);
    },
    close: () => Promise.all([api.server, storage.server].map(closeServer)).then(() => {}),
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}
