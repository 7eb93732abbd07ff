/**
 * What keeps `serve` answering when clients misbehave: a cap on open
 * connections (beyond it a short `503` and the connection closes), a deadline
 * for a request's headers, and an idle timeout for a client that sends nothing
 * between requests (one that stops reading an answer is the answer's send
 * timeout to end, in `file_answer.ts`). It works on the `node:http` server every
 * runtime serves with, through the `node:net` sockets it hands out.
 *
 * @module
 */
import type { Server } from "node:http";
import type { Socket } from "node:net";
import type { ListenerWatch } from "./listener_watch.ts";

/** The limits of {@linkcode guardConnections}. */
export interface ConnectionLimits {
  /** Connections open at once; the next one is answered `503` and closed. */
  maxConnections: number;
  /** Milliseconds a client has to send a request's headers, from connecting or from the last answer. */
  headerTimeoutMs: number;
  /**
   * Milliseconds without a byte from the client, outside a request being answered
   * (the answer's own send timeout covers that time), before the connection is closed.
   */
  idleTimeoutMs: number;
  /** Told of each connection turned away, and shown each new one first (its own probes). */
  listener?: ListenerWatch;
}

/** What {@linkcode guardConnections} counts. */
export interface GuardCounts {
  /** Connections open now. */
  open: number;
  /** Connections turned away with a `503`. */
  refused: number;
  /** Connections closed for a deadline (headers or idle). */
  timedOut: number;
}

const BUSY_BODY = JSON.stringify({ error: "too many connections; retry later" });

/** A guard at work. */
export interface ConnectionGuard {
  /** What it counted so far (live). */
  counts: GuardCounts;
  /** The connections open. */
  sockets: Set<Socket>;
  /** Whether a request's connection was let in (one turned away is not answered). */
  admits(socket: Socket): boolean;
}

/** What the guard answers a connection beyond the cap: no request is read from it. */
const BUSY_ANSWER = "HTTP/1.1 503 Service Unavailable\r\n" +
  "Content-Type: application/json; charset=utf-8\r\n" +
  `Content-Length: ${BUSY_BODY.length}\r\n` +
  "Retry-After: 5\r\n" +
  "X-Error-Message: too many connections\r\n" +
  `Connection: close\r\n\r\n${BUSY_BODY}`;

/** File descriptors kept free for the runtime itself, store files and upstream. */
const RESERVED_DESCRIPTORS = 48;

/**
 * The connection cap a limit on open files allows (each connection may hold a
 * socket, a store file and an upstream download), read from Linux's
 * `/proc/self/limits`; `wanted` when the text says nothing.
 */
export function connectionCapOf(limitsText: string | undefined, wanted: number): number {
  const soft = limitsText?.match(/^Max open files\s+(\d+)/m)?.[1];
  if (soft === undefined) return wanted;
  return Math.max(1, Math.min(wanted, Math.floor((Number(soft) - RESERVED_DESCRIPTORS) / 3)));
}

/**
 * Guards a `node:http` server's connections; answers the live counts and the sockets open.
 */
export function guardConnections(server: Server, limits: ConnectionLimits): ConnectionGuard {
  const counts: GuardCounts = { open: 0, refused: 0, timedOut: 0 };
  const sockets = new Set<Socket>();
  const headerTimers = new Map<Socket, ReturnType<typeof setTimeout>>();
  const awaitHeaders = (socket: Socket) => {
    clearTimeout(headerTimers.get(socket));
    headerTimers.set(
      socket,
      setTimeout(() => {
        counts.timedOut++;
        socket.destroy();
      }, limits.headerTimeoutMs),
    );
  };
  // Node enforces these itself too; other runtimes ignore them and rely on the timers below.
  server.headersTimeout = limits.headerTimeoutMs;
  server.requestTimeout = 0;
  server.keepAliveTimeout = Math.min(5_000, limits.idleTimeoutMs);
  server.on("connection", (socket: Socket) => {
    if (limits.listener?.claims(socket)) return;
    if (sockets.size >= limits.maxConnections) {
      counts.refused++;
      turnAway(socket);
      limits.listener?.nudge();
      return;
    }
    sockets.add(socket);
    counts.open = sockets.size;
    awaitHeaders(socket);
    socket.setTimeout(limits.idleTimeoutMs, () => {
      counts.timedOut++;
      socket.destroy();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(headerTimers.get(socket));
      headerTimers.delete(socket);
      sockets.delete(socket);
      counts.open = sockets.size;
    });
  });
  server.on("request", (request, response) => {
    const socket = request.socket as Socket;
    clearTimeout(headerTimers.get(socket));
    headerTimers.delete(socket);
    // While the server prepares an answer (a hash, an upstream pull) the client waits
    // through no fault of its own; a stalled reader is then the send timeout's to end.
    socket.setTimeout(0);
    response.on("finish", () => {
      if (socket.destroyed || !sockets.has(socket)) return;
      socket.setTimeout(limits.idleTimeoutMs);
      awaitHeaders(socket);
    });
  });
  return { counts, sockets, admits: (socket) => sockets.has(socket) };
}

/** Answers `503` without reading a request, and closes. */
function turnAway(socket: Socket): void {
  socket.on("error", () => {});
  // A client that does not read the answer does not hold the connection.
  const timer = setTimeout(() => socket.destroy(), 1_000);
  socket.once("close", () => clearTimeout(timer));
  socket.end(BUSY_ANSWER);
}
