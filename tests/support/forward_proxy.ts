/**
 * A forward proxy for tests (relays absolute-form HTTP requests, tunnels CONNECT, leads
 * every host to 127.0.0.1 and records what it was asked), and the proxy variables
 * a test sets or unsets.
 *
 * @module
 */
import { createServer, request as httpRequest, type Server } from "node:http";
import { connect, type Socket } from "node:net";

/** Every proxy variable, in both spellings, unset: the tests set exactly what they mean. */
export const NO_PROXIES: Record<string, undefined> = Object.fromEntries(
  ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"].flatMap((name) => [
    [name, undefined],
    [name.toLowerCase(), undefined],
  ]),
);

/**
 * Both spellings of a proxy variable.
 *
 * @example
 * ```ts ignore
 * proxyVariable("HTTPS_PROXY", proxy.url); // { HTTPS_PROXY: …, https_proxy: … }
 * ```
 */
export function proxyVariable(name: string, value: string): Record<string, string> {
  return { [name]: value, [name.toLowerCase()]: value };
}

/**
 * A forward proxy for tests: plain HTTP requests in absolute form are relayed, and
 * CONNECT opens a tunnel. Every host name leads to 127.0.0.1, so a host that exists
 * nowhere (`*.invalid`) is reachable only through the proxy. It records what it was asked.
 *
 * @example
 * ```ts ignore
 * const proxy = await startProxy();
 * ```
 */
export async function startProxy(): Promise<
  { url: string; seen: string[]; close(): Promise<void> }
> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? "");
    const upstream = httpRequest(
      {
        host: "127.0.0.1",
        port: target.port,
        method: req.method,
        path: target.pathname + target.search,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  });
  server.on("connect", (req, client: Socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const upstream = connect(Number(String(req.url).split(":").pop()), "127.0.0.1", () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const socket of [upstream, client]) {
      sockets.add(socket);
      socket.on("error", () => {
        upstream.destroy();
        client.destroy();
      });
      socket.on("close", () => sockets.delete(socket));
    }
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close() {
      sockets.forEach((socket) => socket.destroy());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
