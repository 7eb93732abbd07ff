/**
 * Checks that the listening socket still accepts after a burst of connections,
 * and listens again when it does not: once the process runs out of file
 * descriptors, Deno's `node:net` stops accepting for good, without an error
 * event, while Node and Bun resume by themselves. The check is one connection
 * of the server to itself, which must arrive as a `connection` event.
 *
 * @module
 */
import type { Server } from "node:http";
import { connect, type Socket } from "node:net";

/** How long a probe connection may take to be accepted before the listener counts as dead. */
const PROBE_WAIT_MS = 2_000;
/** The wait between a burst and the probe, and between probes that could not connect. */
const PROBE_DELAY_MS = 500;

/**
 * The watch over one server's listener.
 */
export class ListenerWatch {
  /** How many times it listened again. */
  relistened = 0;
  #server: Server;
  #host: string;
  #port = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #probes = new Map<string, () => void>();
  #stopped = false;

  /** Watches `server`, which listens on `host`; nothing happens until {@linkcode nudge}. */
  constructor(server: Server, host: string) {
    this.#server = server;
    this.#host = host;
  }

  /** Asks for a check soon (once, however often it is asked meanwhile). */
  nudge(): void {
    if (this.#stopped || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#probe().catch(() => {});
    }, PROBE_DELAY_MS);
  }

  /**
   * Whether a connection the server got is a probe of this watch (it is then closed here).
   */
  claims(socket: Socket): boolean {
    const seen = this.#probes.get(`${socket.remoteAddress}:${socket.remotePort}`);
    if (!seen) return false;
    seen();
    socket.on("error", () => {});
    socket.destroy();
    return true;
  }

  /** Ends the watch. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  async #probe(): Promise<void> {
    const address = this.#server.address();
    if (typeof address === "object" && address) this.#port = address.port;
    const probe = connect(this.#port, probeHost(this.#host));
    probe.on("error", () => {});
    const connected = await new Promise<boolean>((resolve) => {
      probe.once("connect", () => resolve(true));
      probe.once("error", () => resolve(false));
    });
    if (!connected || probe.localPort === undefined || probe.localAddress === undefined) {
      // No descriptor for the probe itself yet, or no route: look again later.
      probe.destroy();
      return this.nudge();
    }
    const key = `${probe.localAddress}:${probe.localPort}`;
    const accepted = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), PROBE_WAIT_MS);
      this.#probes.set(key, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    this.#probes.delete(key);
    probe.destroy();
    if (!accepted && !this.#stopped) await this.#relisten();
  }

  /** Closes the dead listening socket (open connections stay) and listens at the same address. */
  async #relisten(): Promise<void> {
    this.relistened++;
    this.#server.close();
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(this.#port, this.#host, () => {
        this.#server.off("error", reject);
        resolve();
      });
    }).catch(() => this.nudge());
  }
}

/** The address a probe connects to, for a listener on `host`. */
function probeHost(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "::1";
  return host;
}
