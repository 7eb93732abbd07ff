/**
 * The emulator itself: two loopback listeners (hub and CDN, and the alias of
 * `options.aliasHost`), the state they share, request dispatch with the rate limit and status
 * faults decided on arrival, and the lifecycle behind {@link startHubServer}.
 *
 * @module
 */
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { redirectToHub } from "./alias.ts";
import { handleCdn } from "./cdn.ts";
import { type Exchange, openExchange } from "./exchange.ts";
import { takeFault } from "./faults.ts";
import { handleHub } from "./hub_routes.ts";
import { prepareRepo, type StoredFile, type StoredRepo } from "./prepared_repo.ts";
import { isOverQuota, QUOTA_MESSAGE } from "./rate_limit.ts";
import { sendError, sendFaultStatus } from "./responses.ts";
import type { FaultState, HubState } from "./state.ts";
import { REAL_CLOCK } from "./clock.ts";
import type {
  BodyStall,
  FaultSpec,
  HubClock,
  HubRepoSpec,
  HubServer,
  HubServerOptions,
  RequestRecord,
} from "./types.ts";

/**
 * Start both listeners on 127.0.0.1 and serve `options.repos`.
 *
 * @example
 * ```ts
 * const server = await startHubServer({ repos: [sampleRepo()] });
 * const info = await fetch(`${server.endpoint}/api/models/${sampleRepo().id}`);
 * await server.close();
 * ```
 */
export async function startHubServer(options: HubServerOptions): Promise<HubServer> {
  const emulator = new HubEmulator(options);
  await emulator.listen(options.port ?? 0, options.cdnPort ?? 0);
  return {
    endpoint: emulator.endpoint,
    cdnOrigin: emulator.cdnOrigin,
    aliasOrigin: emulator.aliasOrigin,
    requests: emulator.requests,
    bytesServed: (pathIncludes?: string) => emulator.bytesServed(pathIncludes),
    peakConcurrentBodies: (pathIncludes?: string) => emulator.peakConcurrentBodies(pathIncludes),
    stalls: emulator.stalls,
    waitForStall: (count?: number) => emulator.waitForStall(count ?? 1),
    addFault: (fault: FaultSpec) => emulator.faults.push({ spec: fault, seen: 0, applied: 0 }),
    clearFaults: () => emulator.faults.splice(0),
    setRepo: (repo: HubRepoSpec) => emulator.setRepo(repo),
    expireSignedUrls: () => emulator.rotateSigningKey(),
    close: () => emulator.close(),
  };
}

class HubEmulator implements HubState {
  endpoint = "";
  cdnOrigin = "";
  aliasOrigin = "";
  rateWindow = { startedAt: 0, count: 0 };
  readonly bodiesInFlight = new Map<string, { current: number; peak: number }>();
  readonly requests: RequestRecord[] = [];
  readonly faults: FaultState[];
  readonly repos = new Map<string, StoredRepo>();
  readonly renames = new Map<string, string>();
  readonly blobs = new Map<string, StoredFile>();
  readonly options: HubServerOptions;
  readonly clock: HubClock;
  readonly stalls: BodyStall[] = [];
  private readonly stallWaiters = new Set<{ count: number; resolve: (s: BodyStall) => void }>();
  signingKey: Uint8Array = randomBytes(32);
  private readonly sockets = new Set<Socket>();
  private readonly servers: Server[] = [];

  constructor(options: HubServerOptions) {
    this.options = options;
    this.clock = options.clock ?? REAL_CLOCK;
    this.faults = (options.faults ?? []).map((spec) => ({ spec, seen: 0, applied: 0 }));
    for (const repo of options.repos) this.setRepo(repo);
  }

  setRepo(spec: HubRepoSpec): void {
    const repo = prepareRepo(spec);
    this.repos.set(spec.id, repo);
    if (spec.renamedFrom) this.renames.set(spec.renamedFrom, spec.id);
    for (const revision of repo.named.values()) {
      for (const file of revision.files.values()) if (file.lfs) this.blobs.set(file.sha256, file);
    }
  }

  rotateSigningKey(): void {
    this.signingKey = randomBytes(32);
  }

  stallBegan(stall: BodyStall): void {
    this.stalls.push(stall);
    for (const waiter of this.stallWaiters) {
      if (this.stalls.length < waiter.count) continue;
      this.stallWaiters.delete(waiter);
      waiter.resolve(this.stalls[waiter.count - 1]);
    }
  }

  waitForStall(count: number): Promise<BodyStall> {
    if (this.stalls.length >= count) return Promise.resolve(this.stalls[count - 1]);
    return new Promise((resolve) => this.stallWaiters.add({ count, resolve }));
  }

  bytesServed(pathIncludes?: string): number {
    return this.requests
      .filter((record) => record.status >= 200 && record.status < 300)
      .filter((record) => pathIncludes === undefined || record.path.includes(pathIncludes))
      .reduce((sum, record) => sum + record.bodyBytes, 0);
  }

  peakConcurrentBodies(pathIncludes?: string): number {
    let peak = 0;
    for (const [path, count] of this.bodiesInFlight) {
      if (pathIncludes === undefined || path.includes(pathIncludes)) {
        peak = Math.max(peak, count.peak);
      }
    }
    return peak;
  }

  async listen(hubPort: number, cdnPort: number): Promise<void> {
    this.endpoint = await this.listenOne("hub", hubPort);
    this.cdnOrigin = await this.listenOne("cdn", cdnPort, this.options.cdnHostname);
    if (this.options.aliasHost) this.aliasOrigin = await this.listenOne("alias", 0);
  }

  private listenOne(origin: Origin, port: number, hostname = "127.0.0.1"): Promise<string> {
    const server = createServer((req, res) => this.dispatch(origin, req, res));
    this.servers.push(server);
    server.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.on("error", () => {});
      socket.on("close", () => this.sockets.delete(socket));
    });
    server.on("clientError", (_error: Error, socket: Socket) => socket.destroy());
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, hostname, () => {
        const address = server.address();
        const actual = typeof address === "object" && address ? address.port : port;
        resolve(`http://${hostname}:${actual}`);
      });
    });
  }

  async close(): Promise<void> {
    const closing = this.servers.map((server) =>
      new Promise<void>((resolve) => server.close(() => resolve()))
    );
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await Promise.all(closing);
  }

  private dispatch(origin: Origin, req: IncomingMessage, res: ServerResponse): void {
    req.on("error", () => {});
    res.on("error", () => {});
    const ex = openExchange(this, { origin, req, res });
    if (!ex) return;
    this.handle(ex).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else sendError(ex, { status: 500, message: String(error) }).catch(() => res.destroy());
    });
  }

  private handle(ex: Exchange): Promise<void> {
    if (takeFault(ex, (spec) => spec.noAnswer === true)) {
      return new Promise((resolve) => ex.res.on("close", () => resolve()));
    }
    if (isOverQuota(ex)) return sendError(ex, { status: 429, message: QUOTA_MESSAGE });
    const statusFault = takeFault(ex, (spec) => spec.status !== undefined);
    if (statusFault) return sendFaultStatus(ex, statusFault);
    if (ex.origin === "alias") return redirectToHub(ex);
    return ex.origin === "hub" ? handleHub(ex) : handleCdn(ex);
  }
}

type Origin = "hub" | "cdn" | "alias";
