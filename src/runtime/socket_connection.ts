/**
 * A client connection that reads into one buffer of its own (`onread`): each
 * read is a view of that buffer, valid until the next, and the socket pauses
 * in between, so a fast download makes no garbage per read and never reads
 * ahead of its reader. Idle connections wait in a pool per origin for reuse.
 *
 * @module
 */
import * as net from "node:net";
import * as tls from "node:tls";

/**
 * Bytes one socket read takes at most. Each read pauses the socket until its
 * reader asks again, so fewer, larger reads mean fewer wake-ups and, at a write
 * batch's size, writes without a copy: on Node 20, 1 GiB from loopback took 3.15
 * s with 64 KiB reads, 2.65 s with 128 KiB and 2.55 s with 256 KiB.
 */
const READ_BYTES = 256 * 1024;
/** How long an idle connection is kept for reuse. */
const IDLE_MS = 4_000;
/** How many idle connections are kept per origin. */
const IDLE_PER_ORIGIN = 16;

/** One connection to an origin. */
export class SocketConnection {
  /** `protocol//host:port`. */
  readonly origin: string;
  /** How many answers it has carried. */
  answers = 0;
  #socket: net.Socket;
  #buffer = new Uint8Array(READ_BYTES);
  #pending: Uint8Array | undefined;
  #ended = false;
  #failure: unknown;
  #wake: (() => void) | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** While idle: called when the server sends or closes anything. */
  #onIdleEvent: (() => void) | undefined;

  /** Connects to the origin of `url`. */
  constructor(url: URL) {
    this.origin = originOf(url);
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const secure = url.protocol === "https:";
    const port = Number(url.port || (secure ? 443 : 80));
    const onread = { buffer: this.#buffer, callback: (count: number) => this.#received(count) };
    this.#socket = secure
      ? tls.connect({
        host,
        port,
        servername: net.isIP(host) ? undefined : host,
        ALPNProtocols: ["http/1.1"],
        onread,
      } as tls.ConnectionOptions)
      : net.connect({ host, port, onread });
    this.#socket.setNoDelay(true);
    this.#socket.on("end", () => this.#stop());
    this.#socket.on("close", () => this.#stop());
    this.#socket.on("error", (error) => this.#stop(error));
  }

  /** Whether it can carry another request. */
  get usable(): boolean {
    return !this.#ended && this.#failure === undefined && this.#pending === undefined &&
      !this.#socket.destroyed;
  }

  /** Sends `text` (a request head). */
  send(text: string): void {
    this.#clearIdle();
    this.#socket.ref();
    this.#socket.write(text, "latin1");
  }

  /**
   * The next bytes read, `undefined` at the end; the view is valid until the next call.
   */
  async nextBytes(): Promise<Uint8Array | undefined> {
    for (;;) {
      const pending = this.#pending;
      if (pending) {
        this.#pending = undefined;
        return pending;
      }
      if (this.#failure !== undefined) throw this.#failure;
      if (this.#ended) return undefined;
      this.#socket.resume();
      if (this.#pending || this.#ended || this.#failure !== undefined) continue;
      await new Promise<void>((resolve) => (this.#wake = resolve));
      this.#wake = undefined;
    }
  }

  /** Closes it for good; a pending read fails with `reason`. */
  destroy(reason?: unknown): void {
    this.#clearIdle();
    this.#stop(reason ?? new Error("the connection was closed"));
    this.#socket.destroy();
  }

  /** Waits idle for reuse: anything the server sends or closes meanwhile ends it. */
  idle(onGone: () => void): void {
    const gone = () => {
      this.destroy();
      onGone();
    };
    this.#socket.unref();
    this.#idleTimer = setTimeout(gone, IDLE_MS);
    this.#idleTimer.unref?.();
    this.#onIdleEvent = gone;
    this.#socket.resume();
  }

  #received(count: number): boolean {
    this.#pending = this.#buffer.subarray(0, count);
    this.#woken();
    // Paused until the reader asks again: the buffer is theirs until then.
    return false;
  }

  #stop(error?: unknown): void {
    if (error !== undefined) this.#failure ??= error;
    this.#ended = true;
    this.#woken();
  }

  #woken(): void {
    this.#wake?.();
    const onIdleEvent = this.#onIdleEvent;
    this.#onIdleEvent = undefined;
    onIdleEvent?.();
  }

  #clearIdle(): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    this.#onIdleEvent = undefined;
  }
}

/** `protocol//host:port` of a URL, the key connections are pooled by. */
export function originOf(url: URL): string {
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return `${url.protocol}//${url.hostname}:${port}`;
}

/** Idle connections by origin, handed out for reuse most recent first. */
export class SocketPool {
  #idle = new Map<string, SocketConnection[]>();

  /** An idle connection to the origin of `url`, if one is usable. */
  take(url: URL): SocketConnection | undefined {
    const list = this.#idle.get(originOf(url));
    for (let connection = list?.pop(); connection; connection = list?.pop()) {
      if (connection.usable) return connection;
      connection.destroy();
    }
    return undefined;
  }

  /** Keeps `connection` for reuse, or closes it when the origin has enough waiting. */
  keep(connection: SocketConnection): void {
    const list = this.#idle.get(connection.origin) ?? [];
    if (!connection.usable || list.length >= IDLE_PER_ORIGIN) return connection.destroy();
    list.push(connection);
    this.#idle.set(connection.origin, list);
    connection.idle(() => {
      const at = list.indexOf(connection);
      if (at !== -1) list.splice(at, 1);
    });
  }

  /** Closes every idle connection. */
  closeIdle(): void {
    for (const list of this.#idle.values()) for (const connection of list) connection.destroy();
    this.#idle.clear();
  }
}
