/**
 * Tiny loopback servers for Hub-client tests where the emulator is the wrong
 * tool: a server answering from a function (hostile answers the emulator would
 * never give), a Hub alias that redirects every request to another host (as
 * `hf.co` does), and a server that accepts connections and never answers.
 *
 * @module
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createNetServer, type Server, type Socket } from "node:net";

/** A running test server. */
export interface TestServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  /** Requests seen, in order: their targets (path and query), or for the silent server their request lines. */
  seen: string[];
  /** Closes the listener and every open connection. */
  close(): Promise<void>;
}

function listen(server: Server, seen: string[]): Promise<TestServer> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        seen,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/**
 * Serves every request with `handle`.
 *
 * @example
 * ```ts ignore
 * const server = await startScriptedServer((req, res) => res.end("{}"));
 * ```
 */
export function startScriptedServer(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<TestServer> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.url ?? "/");
    req.on("error", () => {});
    res.on("error", () => {});
    handle(req, res);
  });
  return listen(server as unknown as Server, seen);
}

/**
 * A Hub alias: answers every request (API included) with an absolute redirect
 * (`status`, default 307) to the same path and query on `target`, carrying no
 * Hub metadata, with a short text body whose `Content-Length` is not the file's.
 *
 * @example
 * ```ts ignore
 * const alias = await startAliasServer(hub.endpoint);
 * ```
 */
export function startAliasServer(target: string, status = 307): Promise<TestServer> {
  return startScriptedServer((req, res) => {
    const location = `${target}${req.url ?? "/"}`;
    const body = `Temporary Redirect. Redirecting to ${location}`;
    res.writeHead(status, {
      Location: location,
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Length": String(Buffer.byteLength(body)),
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
}

/**
 * Accepts TCP connections and never sends a byte (until closed).
 *
 * @example
 * ```ts ignore
 * const silent = await startSilentServer();
 * ```
 */
export function startSilentServer(): Promise<TestServer> {
  const seen: string[] = [];
  const server = createNetServer((socket) => {
    // One request per connection (nothing is answered, so nothing is reused): its first line.
    socket.once("data", (data) => seen.push(String(data).split("\r\n")[0]));
    socket.on("data", () => {});
  });
  return listen(server, seen);
}
