/**
 * A loopback ModelScope: an API origin and a storage origin (two servers on port 0),
 * as described in /work/shared/modelscope-protocol.md. File bodies come from the
 * Hub emulator's byte sources.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { memorySource } from "../hub/byte_source.ts";
import { handleApi, type MsApiState, type MsRepo } from "./api.ts";
import { type FaultState, handleStorage } from "./storage.ts";
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
  /** Every request answered, in order. */
  readonly requests: MsRequestRecord[];
  /** Adds a storage fault. */
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

async function listen(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

function recordOf(
  origin: "api" | "storage",
  req: IncomingMessage,
  status: number,
): MsRequestRecord {
  return {
    origin,
    method: req.method ?? "GET",
    url: req.url ?? "/",
    authorization: req.headers.authorization,
    cookie: req.headers.cookie,
    range: req.headers.range,
    status,
  };
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
  const requests: MsRequestRecord[] = [];
  const faults: FaultState[] = [];
  const repos = new Map(options.repos.map((spec) => [spec.id, repoOf(spec)]));
  const blobs = new Map<string, MsStoredFile>();
  for (const repo of repos.values()) {
    for (const file of repo.files.values()) blobs.set(file.sha256, file);
  }
  const storage = await listen(async (req, res) => {
    // Recorded on arrival, so a held request counts before the test moves on.
    const record = recordOf("storage", req, 0);
    requests.push(record);
    record.status = await handleStorage(blobs, faults, { req, res });
  });
  const state: MsApiState = {
    repos,
    token: options.token,
    storageOrigin: storage.origin,
    failures: [],
  };
  const api = await listen((req, res) => {
    requests.push(recordOf("api", req, handleApi(state, req, res)));
    return Promise.resolve();
  });
  return {
    endpoint: api.origin,
    storageOrigin: storage.origin,
    requests,
    addFault: (fault) => faults.push({ spec: fault, applied: 0 }),
    clearFaults: () => faults.splice(0),
    failApi: (...statuses) => state.failures.push(...statuses),
    setFile: (repo, file) => {
      const stored = storedFile(file.path, file.content);
      repos.get(repo)!.files.set(file.path, stored);
      blobs.set(stored.sha256, stored);
    },
    close: () => Promise.all([api.server, storage.server].map(closeServer)).then(() => {}),
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}
