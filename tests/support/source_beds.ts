/**
 * A loopback Hugging Face Hub or ModelScope serving the same repositories behind one
 * interface, so that one download scenario (its faults as data, its checks on the store
 * and on the requests seen) runs against both sources. Each emulator has two roles: `api`
 * (the endpoint: listings, info, Hub resolves, ModelScope's `repo?FilePath` redirect) and
 * `storage` (where file bodies are served: the Hub's CDN, ModelScope's storage host).
 *
 * @module
 */
import { after, before, beforeEach } from "node:test";
import { join } from "node:path";
import { type DownloadEvent, ModelManager } from "../../mod.ts";
import type { SourceName } from "../../src/source/repo_source.ts";
import type { FaultRule } from "./fault_exchange.ts";
import type { BodyStall } from "./hub/types.ts";
import { type HubServer, startHubServer } from "./hub_server.ts";
import { type ModelScopeEmulator, startModelScope } from "./modelscope/emulator.ts";
import { makeTempDir, removeDir } from "./temp_dir.ts";
import type { ManagerOptions } from "./download_harness.ts";

/** Which side of a source a request went to, or a fault applies to. */
export type Role = "api" | "storage";

/** A fault for one role of either source. */
export type RoleFault = Omit<FaultRule, "origin">;

/** A repository both emulators serve. */
export interface SharedRepo {
  /** `owner/name`. */
  id: string;
  /** Its files, all in memory. */
  files: { path: string; content: Uint8Array }[];
}

/** A request either emulator saw, in the terms both share. */
export interface SeenRequest {
  /** Where it went. */
  role: Role;
  /** HTTP method. */
  method: string;
  /** Decoded path, without the query. */
  path: string;
  /** `Range`, if sent. */
  range?: string;
  /** `Authorization`, if sent. */
  authorization?: string;
  /** `Cookie`, if sent. */
  cookie?: string;
  /** Status answered (0 until answered). */
  status: number;
  /** Body bytes written to the socket. */
  bodyBytes: number;
}

/** A running emulator of one source, a scratch directory, and managers aimed at it. */
export interface SourceBed {
  /** The source it stands for. */
  readonly source: SourceName;
  /** Its endpoint. */
  readonly endpoint: string;
  /** A substring of the file listing's path (and of no other request's). */
  readonly listingPath: string;
  /** A fresh directory below the scratch directory, not created. */
  newDir(): string;
  /** A manager for `modelsDir` on this source, retrying quickly, recording its events. */
  managerFor(
    modelsDir: string,
    extra?: ManagerOptions,
  ): { manager: ModelManager; events: DownloadEvent[] };
  /** Adds a fault to the requests of one role. */
  addFault(role: Role, fault: RoleFault): void;
  /** How many requests it has seen so far. */
  requestCount(): number;
  /** The requests seen since the `from`-th. */
  requestsSince(from: number): SeenRequest[];
  /** The `count`-th body stall, once it began. */
  waitForStall(count?: number): Promise<BodyStall>;
}

/** The token a bed's emulator accepts (ModelScope checks it; the Hub accepts any). */
export const BED_TOKEN = "ms-and-hf-token-that-stays-on-the-api-host";

/** The GET requests for `file` that the storage role answered. */
export function storageGets(requests: SeenRequest[], file: string): SeenRequest[] {
  return requests.filter((request) =>
    request.role === "storage" && request.method === "GET" && request.path.endsWith(file)
  );
}

/**
 * Sets up a {@linkcode SourceBed} of `source` serving `repos` for the `describe` block it
 * is called in: started before its tests, faults cleared before each, closed after them.
 */
export function useSourceBed(source: SourceName, repos: SharedRepo[]): SourceBed {
  let emulator: Emulator | undefined;
  let root = "";
  let dirs = 0;
  before(async () => {
    emulator = source === "modelscope" ? await modelScopeOf(repos) : await hubOf(repos);
    root = makeTempDir(`rkllm-${source}-scenarios-`);
  });
  beforeEach(() => emulator?.clearFaults());
  after(async () => {
    await emulator?.close();
    if (root) removeDir(root);
  });
  const started = () => {
    if (!emulator) throw new Error("use the bed inside a test");
    return emulator;
  };
  return {
    source,
    get endpoint() {
      return started().endpoint;
    },
    listingPath: source === "modelscope" ? "/repo/files" : "/tree/",
    newDir: () => join(root, `models-${dirs++}`),
    managerFor(modelsDir, extra = {}) {
      const events: DownloadEvent[] = [];
      const manager = new ModelManager({
        source,
        modelsDir,
        endpoint: started().endpoint,
        token: "",
        retry: { attempts: 4, baseDelayMs: 5, maxDelayMs: 50 },
        onWarning: () => {},
        onProgress: (event) => events.push(event),
        ...extra,
      });
      return { manager, events };
    },
    addFault: (role, fault) => started().addFault(role, fault),
    requestCount: () => started().requests().length,
    requestsSince: (from) => started().requests().slice(from),
    waitForStall: (count) => started().waitForStall(count),
  };
}

/** What a bed needs of an emulator. */
interface Emulator {
  endpoint: string;
  addFault(role: Role, fault: RoleFault): void;
  clearFaults(): void;
  requests(): SeenRequest[];
  waitForStall(count?: number): Promise<BodyStall>;
  close(): Promise<void>;
}

async function hubOf(repos: SharedRepo[]): Promise<Emulator> {
  const hub: HubServer = await startHubServer({ repos });
  return {
    endpoint: hub.endpoint,
    addFault: (role, fault) => hub.addFault({ ...fault, origin: role === "api" ? "hub" : "cdn" }),
    clearFaults: () => hub.clearFaults(),
    requests: () =>
      hub.requests.map((request) => ({
        role: request.origin === "cdn" ? "storage" : "api",
        method: request.method,
        path: request.path,
        range: request.headers.range,
        authorization: request.headers.authorization,
        cookie: request.headers.cookie,
        status: request.status,
        bodyBytes: request.bodyBytes,
      })),
    waitForStall: (count) => hub.waitForStall(count),
    close: () => hub.close(),
  };
}

async function modelScopeOf(repos: SharedRepo[]): Promise<Emulator> {
  const ms: ModelScopeEmulator = await startModelScope({ repos, token: BED_TOKEN });
  return {
    endpoint: ms.endpoint,
    addFault: (role, fault) => ms.addFault({ ...fault, origin: role }),
    clearFaults: () => ms.clearFaults(),
    requests: () => ms.requests.map((request) => ({ ...request, role: request.origin })),
    waitForStall: (count) => ms.waitForStall(count),
    close: () => ms.close(),
  };
}
