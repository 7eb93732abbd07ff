/**
 * `socketFetch`, the HTTP/1.1 transport over a bare `net`/`tls` socket that Node uses for file
 * bodies, against raw TCP servers that write the answer bytes themselves: the request it sends
 * and the `Response` it answers, bodies framed by `Content-Length`, by chunks (extensions,
 * trailers, boundaries split across writes) and by the connection's close, bodiless answers,
 * skipped 1xx answers, keep-alive reuse and when a connection must not be reused, the one retry
 * of a reused connection the server had closed, malformed and cut answers, aborts, backpressure
 * on a 64 MiB body, certificate checking on https, and chunks that stay valid until the next read.
 */
import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createServer, type Server, type Socket } from "node:net";
import * as tls from "node:tls";
import { closeIdleSockets, socketFetch } from "../src/runtime/node_socket_fetch.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";
import { skipWhen } from "./support/skips.ts";

const KIB = 1024;
const MIB = 1024 * KIB;
/** For tests whose failure mode is a hang: fail under their own name, soon. */
const SHORT = { timeout: 20_000 };

/** One request a raw server received. */
interface Exchange {
  /** The server side of the connection it came on. */
  socket: Socket;
  /** The request head, up to and without its blank line. */
  head: string;
  /** 0 for the first request the server received, then 1, … */
  request: number;
  /** 0 for the first connection the server accepted, then 1, … */
  connection: number;
  /** 0 for the first request on this connection, then 1, … */
  onConnection: number;
}

/** A raw TCP server on 127.0.0.1 that hands each request head to a function that answers. */
interface RawServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** The request heads received, in order. */
  heads: string[];
  /** How many TCP connections it accepted. */
  readonly connections: number;
  /** Stops listening and destroys every connection it accepted. */
  close(): Promise<void>;
}

/** Every raw server still open, closed after all tests even when a test timed out. */
const openServers = new Set<RawServer>();

async function rawServer(answer: (exchange: Exchange) => void | Promise<void>): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const heads: string[] = [];
  let connections = 0;
  const server: Server = createServer((socket) => {
    const connection = connections++;
    let onConnection = 0;
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    let text = "";
    socket.on("data", (data: Buffer) => {
      text += data.toString("latin1");
      for (let end = text.indexOf("\r\n\r\n"); end !== -1; end = text.indexOf("\r\n\r\n")) {
        const head = text.slice(0, end);
        text = text.slice(end + 4);
        heads.push(head);
        void answer({ socket, head, request: heads.length - 1, connection, onConnection });
        onConnection++;
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  assert.ok(address && typeof address === "object");
  const raw: RawServer = {
    url: `http://127.0.0.1:${address.port}`,
    heads,
    get connections() {
      return connections;
    },
    close() {
      openServers.delete(raw);
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  openServers.add(raw);
  return raw;
}

/** Runs `body` against a raw server, then closes it and the idle client connections. */
async function withServer(
  answer: (exchange: Exchange) => void | Promise<void>,
  body: (server: RawServer) => Promise<void>,
): Promise<void> {
  const server = await rawServer(answer);
  try {
    await body(server);
  } finally {
    closeIdleSockets();
    await server.close();
  }
}

/** A `Content-Length` answer with `body`, in one write. */
function lengthAnswer(body: string | Uint8Array, extra = ""): Buffer {
  const bytes = typeof body === "string" ? Buffer.from(body, "latin1") : Buffer.from(body);
  const head = `HTTP/1.1 200 OK\r\nContent-Length: ${bytes.length}\r\n${extra}\r\n`;
  return Buffer.concat([Buffer.from(head, "latin1"), bytes]);
}

/** Writes `bytes` in pieces cut by `sizes` (cycled), yielding to the event loop between them. */
async function writeInPieces(socket: Socket, bytes: Uint8Array, sizes: number[], ms = 0) {
  let piece = 0;
  for (let at = 0; at < bytes.length && !socket.destroyed; piece++) {
    const size = sizes[piece % sizes.length];
    socket.write(bytes.subarray(at, at + size));
    at += size;
    await new Promise((resolve) => ms ? setTimeout(resolve, ms) : setImmediate(resolve));
  }
}

/** A seeded generator of numbers in [0, 1) (mulberry32), for reproducible cuts. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whether `bytes` equals `expected`, byte for byte. */
function sameBytes(bytes: Uint8Array, expected: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).equals(expected);
}

/** The body of `response` read by a reader, each chunk copied before the next read. */
async function readCopies(response: Response, pause = false): Promise<Uint8Array> {
  assert.ok(response.body);
  const reader = response.body.getReader();
  const copies: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    // Time passes before the copy: the socket may deliver more meanwhile, which must not land in
    // the view handed out until the next read.
    if (pause) await new Promise((resolve) => setTimeout(resolve, 1));
    copies.push(value.slice());
  }
  return Buffer.concat(copies);
}

/**
 * The body of `response` as latin1 text, read by a reader that copies each chunk: `text()` and
 * `arrayBuffer()` keep the chunks a body hands out, which are only valid until the next read.
 */
async function textOf(response: Response): Promise<string> {
  return Buffer.from(await readCopies(response)).toString("latin1");
}

/** Asserts that `promise` rejects with a `TypeError`. */
async function rejectsWithTypeError(promise: Promise<unknown>, what: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof TypeError, `${what}: ${String(error)} is not a TypeError`);
    return true;
  });
}

describe("socketFetch", () => {
  after(async () => {
    closeIdleSockets();
    await Promise.all([...openServers].map((server) => server.close()));
  });

  describe("1. request and answer head", () => {
    it(
      "sends GET and HEAD with the headers given plus Host, and answers status, statusText and headers, repeated ones joined",
      SHORT,
      async () => {
        await withServer(({ socket, head }) => {
          const answer = "HTTP/1.1 207 Fine Thanks\r\nContent-Length: 2\r\nX-A: 1\r\nX-A: 2\r\n" +
            "Set-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Type: text/plain\r\n\r\n";
          socket.write(head.startsWith("HEAD ") ? answer : `${answer}ok`, "latin1");
        }, async (server) => {
          const port = new URL(server.url).port;
          const response = await socketFetch(new URL(`${server.url}/files/a.bin?x=1`), {
            headers: { Range: "bytes=0-1", Authorization: "Bearer secret" },
          });
          assert.equal(response.status, 207);
          assert.equal(response.statusText, "Fine Thanks");
          assert.equal(response.headers.get("x-a"), "1, 2");
          assert.equal(response.headers.get("set-cookie"), "a=1, b=2");
          assert.deepEqual(response.headers.getSetCookie(), ["a=1", "b=2"]);
          assert.equal(response.headers.get("content-type"), "text/plain");
          assert.equal(await textOf(response), "ok");

          const get = server.heads[0];
          assert.match(get, /^GET \/files\/a\.bin\?x=1 HTTP\/1\.1\r\n/);
          assert.match(get, new RegExp(`\r\nhost: 127\\.0\\.0\\.1:${port}(\r\n|$)`, "i"));
          assert.match(get, /\r\nrange: bytes=0-1(\r\n|$)/i);
          assert.match(get, /\r\nauthorization: Bearer secret(\r\n|$)/i);

          const head = await socketFetch(`${server.url}/b`, {
            method: "HEAD",
            headers: new Headers({ "X-Wanted": "yes" }),
          });
          assert.equal(head.status, 207);
          assert.equal(head.body, null);
          assert.match(server.heads[1], /^HEAD \/b HTTP\/1\.1\r\n/);
          assert.match(
            server.heads[1],
            new RegExp(`\r\nhost: 127\\.0\\.0\\.1:${port}(\r\n|$)`, "i"),
          );
          assert.match(server.heads[1], /\r\nx-wanted: yes(\r\n|$)/i);
        });
      },
    );

    it("refuses a method other than GET and HEAD without sending it", SHORT, async () => {
      await withServer(({ socket }) => void socket.write(lengthAnswer("ok")), async (server) => {
        await assert.rejects(socketFetch(`${server.url}/a`, { method: "POST" }));
        await assert.rejects(socketFetch(`${server.url}/a`, { method: "PUT" }));
        assert.deepEqual(server.heads, []);
      });
    });
  });

  it(
    "2. reads exactly Content-Length bytes: 3 MiB of random bytes arrive exact on a connection that stays open",
    SHORT,
    async () => {
      const body = randomBytes(3 * MIB);
      await withServer(({ socket }) => void socket.write(lengthAnswer(body)), async (server) => {
        const response = await socketFetch(`${server.url}/big`);
        assert.equal(response.headers.get("content-length"), String(3 * MIB));
        const bytes = await readCopies(response);
        assert.equal(bytes.length, body.length);
        assert.ok(sameBytes(bytes, body), "the body differs from what was sent");
      });
    },
  );

  describe("3. chunked bodies", () => {
    it(
      "decodes chunk extensions and reads the trailers to their end, so the connection carries the next answer",
      SHORT,
      async () => {
        await withServer(({ socket, onConnection }) => {
          if (onConnection > 0) return void socket.write(lengthAnswer("next"));
          socket.write(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
              '5;ext=1\r\nhello\r\n6;a=b;c="d e"\r\n world\r\n0;last\r\nX-Trailer: 1\r\n' +
              "X-Other: two\r\n\r\n",
            "latin1",
          );
        }, async (server) => {
          const response = await socketFetch(`${server.url}/chunks`);
          assert.equal(await textOf(response), "hello world");
          assert.equal(await textOf(await socketFetch(`${server.url}/next`)), "next");
          assert.equal(server.connections, 1, "the trailers were not read to their end");
        });
      },
    );

    it(
      "decodes many tiny chunks, with upper- and lower-case hexadecimal sizes",
      SHORT,
      async () => {
        const random = seeded(3);
        const pieces: string[] = [];
        let raw = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (let index = 0; index < 3000; index++) {
          const size = 1 + Math.floor(random() * 20);
          const piece = Array.from({ length: size }, () => String.fromCharCode(97 + (index % 26)))
            .join("");
          pieces.push(piece);
          const hex = size.toString(16);
          raw += `${index % 2 ? hex.toUpperCase() : hex}\r\n${piece}\r\n`;
        }
        raw += "0\r\n\r\n";
        await withServer(({ socket }) => void socket.write(raw, "latin1"), async (server) => {
          const response = await socketFetch(`${server.url}/tiny`);
          assert.equal(await textOf(response), pieces.join(""));
        });
      },
    );

    it("decodes an answer written byte by byte, and one cut at random places, chunk boundaries split across writes", async () => {
      const small = Buffer.from(
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
          "3;x=y\r\nabc\r\nA\r\n0123456789\r\n1\r\nZ\r\n0\r\nT: 1\r\n\r\n",
        "latin1",
      );
      const random = seeded(7);
      const body = randomBytes(200 * KIB);
      const parts: Buffer[] = [
        Buffer.from("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"),
      ];
      for (let at = 0; at < body.length;) {
        const size = Math.min(body.length - at, 1 + Math.floor(random() * 5000));
        parts.push(Buffer.from(`${size.toString(16)};n=${at}\r\n`), body.subarray(at, at + size));
        parts.push(Buffer.from("\r\n"));
        at += size;
      }
      parts.push(Buffer.from("0\r\nX-Sum: none\r\n\r\n"));
      const large = Buffer.concat(parts);
      const cuts = Array.from({ length: 97 }, () => 1 + Math.floor(random() * 700));
      await withServer(async ({ socket, head }) => {
        if (head.startsWith("GET /small ")) await writeInPieces(socket, small, [1], 1);
        else await writeInPieces(socket, large, cuts);
      }, async (server) => {
        assert.equal(await textOf(await socketFetch(`${server.url}/small`)), "abc0123456789Z");
        const bytes = await readCopies(await socketFetch(`${server.url}/large`));
        assert.equal(bytes.length, body.length);
        assert.ok(sameBytes(bytes, body), "the chunked body differs from what was sent");
        assert.equal(server.connections, 1, "the trailers were not read to their end");
      });
    });
  });

  it("4. reads a body without length or chunks up to the connection's close", SHORT, async () => {
    await withServer(async ({ socket }) => {
      socket.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nfirst part, ", "latin1");
      await new Promise((resolve) => setTimeout(resolve, 20));
      socket.end("second part", "latin1");
    }, async (server) => {
      const response = await socketFetch(`${server.url}/until-close`);
      assert.equal(response.status, 200);
      assert.equal(await textOf(response), "first part, second part");
    });
  });

  it(
    "5. HEAD, 204 and 304 answers have no body even when they announce a Content-Length",
    SHORT,
    async () => {
      await withServer(({ socket, head }) => {
        if (head.startsWith("HEAD ")) {
          socket.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", "latin1");
        } else if (head.startsWith("GET /204 ")) {
          socket.write("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", "latin1");
        } else if (head.startsWith("GET /304 ")) {
          socket.write('HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\nETag: "e"\r\n\r\n');
        } else socket.write(lengthAnswer("ok"));
      }, async (server) => {
        const head = await socketFetch(`${server.url}/file`, { method: "HEAD" });
        assert.equal(head.status, 200);
        assert.equal(head.body, null);
        assert.equal(head.headers.get("content-length"), "100");
        const empty = await socketFetch(`${server.url}/204`);
        assert.equal(empty.status, 204);
        assert.equal(empty.body, null);
        const unchanged = await socketFetch(`${server.url}/304`);
        assert.equal(unchanged.status, 304);
        assert.equal(unchanged.body, null);
        assert.equal(unchanged.headers.get("etag"), '"e"');
        assert.equal(await textOf(await socketFetch(`${server.url}/after`)), "ok");
      });
    },
  );

  it(
    "6. skips 1xx interim answers (100 Continue, 103 Early Hints with headers) before the real head",
    SHORT,
    async () => {
      await withServer(async ({ socket, onConnection }) => {
        if (onConnection === 0) {
          socket.write(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n" +
              "Link: </b.js>; rel=preload\r\n\r\n" +
              "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
            "latin1",
          );
        } else {
          socket.write("HTTP/1.1 103 Early Hints\r\nLink: </c.css>; rel=preload\r\n\r\n", "latin1");
          await new Promise((resolve) => setTimeout(resolve, 20));
          socket.write(lengthAnswer("second"));
        }
      }, async (server) => {
        const response = await socketFetch(`${server.url}/a`);
        assert.equal(response.status, 200);
        assert.equal(response.headers.get("link"), null);
        assert.equal(await textOf(response), "ok");
        const second = await socketFetch(`${server.url}/b`);
        assert.equal(second.status, 200);
        assert.equal(await textOf(second), "second");
      });
    },
  );

  describe("7. keep-alive", () => {
    it(
      "carries sequential requests whose bodies were read to the end on one connection",
      SHORT,
      async () => {
        await withServer(({ socket, request }) => {
          if (request === 1) {
            socket.write(
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n",
              "latin1",
            );
          } else socket.write(lengthAnswer(`answer ${request}`));
        }, async (server) => {
          assert.equal(await textOf(await socketFetch(`${server.url}/1`)), "answer 0");
          assert.equal(await textOf(await socketFetch(`${server.url}/2`)), "ab");
          assert.equal(await textOf(await socketFetch(`${server.url}/3`)), "answer 2");
          assert.equal(server.heads.length, 3);
          assert.equal(server.connections, 1);
        });
      },
    );

    it(
      "does not reuse a connection answered with Connection: close, though the server keeps it open",
      SHORT,
      async () => {
        await withServer(({ socket }) => {
          socket.write(lengthAnswer("closing", "Connection: close\r\n"));
        }, async (server) => {
          assert.equal(await textOf(await socketFetch(`${server.url}/1`)), "closing");
          assert.equal(await textOf(await socketFetch(`${server.url}/2`)), "closing");
          assert.equal(server.connections, 2);
        });
      },
    );

    it(
      "does not reuse a connection answered in HTTP/1.0, though the server keeps it open",
      SHORT,
      async () => {
        await withServer(({ socket }) => {
          socket.write("HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\nold", "latin1");
        }, async (server) => {
          assert.equal(await textOf(await socketFetch(`${server.url}/1`)), "old");
          assert.equal(await textOf(await socketFetch(`${server.url}/2`)), "old");
          assert.equal(server.connections, 2);
        });
      },
    );

    it(
      "does not reuse a connection whose body was cancelled midway; the next request succeeds",
      SHORT,
      async () => {
        await withServer(({ socket, request }) => {
          if (request > 0) return void socket.write(lengthAnswer("fresh"));
          socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${MIB}\r\n\r\n`, "latin1");
          socket.write(Buffer.alloc(64 * KIB, 1));
        }, async (server) => {
          const response = await socketFetch(`${server.url}/1`);
          assert.ok(response.body);
          const reader = response.body.getReader();
          const first = await reader.read();
          assert.equal(first.done, false);
          await reader.cancel();
          assert.equal(await textOf(await socketFetch(`${server.url}/2`)), "fresh");
          assert.equal(server.connections, 2);
        });
      },
    );
  });

  describe("8. a reused connection the server closed", () => {
    it(
      "retries on a fresh connection when the server closed it right after the first answer",
      SHORT,
      async () => {
        await withServer(({ socket, request }) => {
          if (request === 0) socket.end(lengthAnswer("first"));
          else socket.write(lengthAnswer("second"));
        }, async (server) => {
          assert.equal(await textOf(await socketFetch(`${server.url}/1`)), "first");
          assert.equal(await textOf(await socketFetch(`${server.url}/2`)), "second");
          assert.equal(server.connections, 2);
        });
      },
    );

    it(
      "retries on a fresh connection when the server closes it on the next request without a byte of answer",
      SHORT,
      async () => {
        await withServer(({ socket, connection, onConnection }) => {
          if (connection === 0 && onConnection > 0) return void socket.destroy();
          socket.write(lengthAnswer(`answer on connection ${connection}`));
        }, async (server) => {
          assert.equal(
            await textOf(await socketFetch(`${server.url}/1`)),
            "answer on connection 0",
          );
          assert.equal(
            await textOf(await socketFetch(`${server.url}/2`)),
            "answer on connection 1",
          );
          assert.equal(server.heads.length, 3);
          assert.equal(server.connections, 2);
        });
      },
    );

    it(
      "retries once only: a fresh connection closed without an answer rejects with a TypeError",
      SHORT,
      async () => {
        await withServer(({ socket, request }) => {
          if (request > 0) return void socket.destroy();
          socket.write(lengthAnswer("first"));
        }, async (server) => {
          assert.equal(await textOf(await socketFetch(`${server.url}/1`)), "first");
          await rejectsWithTypeError(socketFetch(`${server.url}/2`), "closed twice");
          assert.equal(server.connections, 2);
        });
      },
    );

    it(
      "does not retry once part of an answer arrived: rejects with a TypeError",
      SHORT,
      async () => {
        await withServer(({ socket, request }) => {
          if (request === 0) return void socket.write(lengthAnswer("first"));
          socket.end("HTTP/1.1 200 OK\r\nContent-Le", "latin1");
        }, async (server) => {
          assert.equal(await textOf(await socketFetch(`${server.url}/1`)), "first");
          await rejectsWithTypeError(
            socketFetch(`${server.url}/2`),
            "a cut head on a reused connection",
          );
          assert.equal(server.connections, 1);
        });
      },
    );
  });

  describe("9. errors", () => {
    it(
      "a connection closed before the Content-Length is reached: reading the body rejects",
      SHORT,
      async () => {
        await withServer(({ socket }) => {
          socket.end("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "latin1");
        }, async (server) => {
          const response = await socketFetch(`${server.url}/short`);
          assert.equal(response.status, 200);
          await assert.rejects(readCopies(response));
        });
      },
    );

    it(
      "a connection closed before or within the head: the fetch rejects with a TypeError",
      SHORT,
      async () => {
        await withServer(({ socket, head }) => {
          if (head.startsWith("GET /nothing ")) socket.destroy();
          else if (head.startsWith("GET /ended ")) socket.end();
          else socket.end("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Half", "latin1");
        }, async (server) => {
          await rejectsWithTypeError(
            socketFetch(`${server.url}/nothing`),
            "closed before the head",
          );
          await rejectsWithTypeError(socketFetch(`${server.url}/ended`), "ended before the head");
          await rejectsWithTypeError(socketFetch(`${server.url}/half`), "closed within the head");
        });
      },
    );

    it("a malformed status line: the fetch rejects with a TypeError", SHORT, async () => {
      await withServer(({ socket, head }) => {
        if (head.startsWith("GET /abc ")) socket.write("HTTP/1.1 abc\r\n\r\n", "latin1");
        else socket.write("HTTP/1.1 20x Nearly\r\nContent-Length: 0\r\n\r\n", "latin1");
      }, async (server) => {
        await rejectsWithTypeError(socketFetch(`${server.url}/abc`), "HTTP/1.1 abc");
        await rejectsWithTypeError(socketFetch(`${server.url}/20x`), "HTTP/1.1 20x");
      });
    });

    it(
      "a head larger than 64 KiB: the fetch rejects with a TypeError, whole or unfinished",
      SHORT,
      async () => {
        const line = `X-Filler: ${"f".repeat(1000)}\r\n`;
        const lines = line.repeat(Math.ceil((80 * KIB) / line.length));
        await withServer(({ socket, head }) => {
          if (head.startsWith("GET /whole ")) {
            socket.write(`HTTP/1.1 200 OK\r\n${lines}Content-Length: 2\r\n\r\nok`, "latin1");
          } else socket.write(`HTTP/1.1 200 OK\r\n${lines}`, "latin1");
        }, async (server) => {
          await rejectsWithTypeError(socketFetch(`${server.url}/whole`), "an 80 KiB head");
          await rejectsWithTypeError(socketFetch(`${server.url}/unfinished`), "an unfinished head");
        });
      },
    );

    it(
      "a final status outside 200-599 (099, 600): the fetch rejects with a TypeError",
      SHORT,
      async () => {
        await withServer(({ socket, head }) => {
          const status = head.startsWith("GET /099 ") ? "099" : "600";
          socket.write(`HTTP/1.1 ${status} X\r\nContent-Length: 0\r\n\r\n`, "latin1");
        }, async (server) => {
          await rejectsWithTypeError(socketFetch(`${server.url}/099`), "status 099");
          await rejectsWithTypeError(socketFetch(`${server.url}/600`), "status 600");
        });
      },
    );

    it("conflicting Content-Length values: the fetch rejects with a TypeError", SHORT, async () => {
      await withServer(({ socket }) => {
        socket.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");
      }, async (server) => {
        await rejectsWithTypeError(socketFetch(`${server.url}/two`), "Content-Length 5 and 6");
      });
    });

    it("a bad chunk size line: reading the body rejects", SHORT, async () => {
      await withServer(({ socket }) => {
        socket.write(
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
          "latin1",
        );
      }, async (server) => {
        await assert.rejects(async () => {
          const response = await socketFetch(`${server.url}/zz`);
          await readCopies(response);
        });
      });
    });
  });

  it(
    "10. bytes past the end of a Content-Length body never appear in it, and the connection is not reused",
    SHORT,
    async () => {
      await withServer(({ socket, request }) => {
        if (request === 0) socket.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloGARBAGE");
        else socket.write(lengthAnswer("clean"));
      }, async (server) => {
        assert.equal(await textOf(await socketFetch(`${server.url}/1`)), "hello");
        assert.equal(await textOf(await socketFetch(`${server.url}/2`)), "clean");
        assert.equal(server.connections, 2);
      });
    },
  );

  describe("11. abort", () => {
    it("a signal aborted before the call rejects with its reason", SHORT, async () => {
      await withServer(({ socket }) => void socket.write(lengthAnswer("ok")), async (server) => {
        const controller = new AbortController();
        const reason = new Error("stopped before");
        controller.abort(reason);
        await assert.rejects(
          socketFetch(`${server.url}/a`, { signal: controller.signal }),
          (error) => error === reason,
        );
      });
    });

    it("a signal aborted while waiting for the head rejects with its reason", SHORT, async () => {
      let arrived: () => void = () => {};
      const arrival = new Promise<void>((resolve) => (arrived = resolve));
      await withServer(() => arrived(), async (server) => {
        const controller = new AbortController();
        const reason = new Error("stopped waiting");
        const fetching = socketFetch(`${server.url}/slow`, { signal: controller.signal });
        await arrival;
        controller.abort(reason);
        await assert.rejects(fetching, (error) => error === reason);
      });
    });

    it("a signal aborted mid-body makes reading reject", SHORT, async () => {
      await withServer(({ socket }) => {
        socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${MIB}\r\n\r\n`, "latin1");
        socket.write(Buffer.alloc(10, 2));
      }, async (server) => {
        const controller = new AbortController();
        const response = await socketFetch(`${server.url}/mid`, { signal: controller.signal });
        assert.ok(response.body);
        const reader = response.body.getReader();
        const first = await reader.read();
        assert.equal(first.done, false);
        const pending = reader.read();
        controller.abort(new Error("stopped mid-body"));
        await assert.rejects(pending);
      });
    });
  });

  it("12. backpressure: a reader that stops leaves a 64 MiB body on the server, then gets it all", async () => {
    const total = 64 * MIB;
    const limit = 16 * MIB;
    const piece = Buffer.alloc(64 * KIB, 7);
    let sent = 0;
    let reachedLimit: () => void = () => {};
    const overLimit = new Promise<void>((resolve) => (reachedLimit = resolve));
    await withServer(async ({ socket }) => {
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${total}\r\n\r\n`, "latin1");
      while (sent < total && !socket.destroyed) {
        const flowing = socket.write(piece);
        sent += piece.length;
        if (sent >= limit) reachedLimit();
        if (!flowing) {
          await new Promise<void>((resolve) => {
            const done = () => {
              socket.off("drain", done);
              socket.off("close", done);
              resolve();
            };
            socket.on("drain", done);
            socket.on("close", done);
          });
        }
      }
    }, async (server) => {
      const response = await socketFetch(`${server.url}/huge`);
      assert.ok(response.body);
      const reader = response.body.getReader();
      const first = await reader.read();
      assert.equal(first.done, false);
      let received = first.value.length;
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        overLimit,
        new Promise((resolve) => (timer = setTimeout(resolve, 300))),
      ]);
      clearTimeout(timer);
      assert.ok(sent < limit, `the server wrote ${sent} bytes while the client read none`);
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        received += value.length;
      }
      assert.equal(received, total);
    });
  });

  describe("13. https", () => {
    const isDeno = "Deno" in globalThis;
    const skip = skipWhen(
      "tests/node_socket_fetch_test.ts (https)",
      isDeno && "Deno's node:tls does not deliver onread data, and Deno never uses this transport",
    );
    let dir = "";
    let key = "";
    let cert = "";
    before(() => {
      if (isDeno) return;
      dir = makeTempDir("rkllm-socket-fetch-");
      execFileSync("openssl", [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
        "-days",
        "2",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost,IP:127.0.0.1",
      ], { stdio: "ignore" });
      key = readFileSync(join(dir, "key.pem"), "utf8");
      cert = readFileSync(join(dir, "cert.pem"), "utf8");
    });
    after(() => {
      if (dir) removeDir(dir);
    });

    it(
      "rejects an untrusted self-signed certificate with a TypeError, before any request byte is sent",
      {
        skip,
      },
      async () => {
        let requestBytes = 0;
        const sockets = new Set<tls.TLSSocket>();
        const server = tls.createServer({ key, cert }, (socket) => {
          sockets.add(socket);
          socket.on("error", () => {});
          socket.on("data", (data: Buffer) => {
            requestBytes += data.length;
            socket.write(lengthAnswer("secret"));
          });
        });
        server.on("tlsClientError", () => {});
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const address = server.address();
        assert.ok(address && typeof address === "object");
        try {
          for (const host of ["127.0.0.1", "localhost"]) {
            await rejectsWithTypeError(
              socketFetch(`https://${host}:${address.port}/file`, {
                headers: { Authorization: "Bearer secret" },
              }),
              `https://${host}`,
            );
          }
          assert.equal(requestBytes, 0);
        } finally {
          closeIdleSockets();
          for (const socket of sockets) socket.destroy();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        }
      },
    );
  });

  describe("14. chunks are valid until the next read", () => {
    it("a Content-Length body read by a reader that copies each chunk late is exact", async () => {
      const body = randomBytes(4 * MIB);
      await withServer(async ({ socket }) => {
        await writeInPieces(socket, lengthAnswer(body), [100 * KIB, 7 * KIB, 300 * KIB]);
      }, async (server) => {
        const bytes = await readCopies(await socketFetch(`${server.url}/copied`), true);
        assert.equal(bytes.length, body.length);
        assert.ok(sameBytes(bytes, body), "a chunk changed before the next read");
      });
    });

    it("a chunked body read by a reader that copies each chunk late is exact", async () => {
      const body = randomBytes(2 * MIB + 333);
      const parts: Buffer[] = [
        Buffer.from("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"),
      ];
      for (let at = 0, index = 0; at < body.length; index++) {
        const size = Math.min(body.length - at, [150 * KIB, 3, 40 * KIB][index % 3]);
        parts.push(Buffer.from(`${size.toString(16)}\r\n`), body.subarray(at, at + size));
        parts.push(Buffer.from("\r\n"));
        at += size;
      }
      parts.push(Buffer.from("0\r\n\r\n"));
      const raw = Buffer.concat(parts);
      await withServer(async ({ socket }) => {
        await writeInPieces(socket, raw, [90 * KIB, 5, 250 * KIB]);
      }, async (server) => {
        const bytes = await readCopies(await socketFetch(`${server.url}/copied`), true);
        assert.equal(bytes.length, body.length);
        assert.ok(sameBytes(bytes, body), "a chunk changed before the next read");
      });
    });

    it("arrayBuffer() and text() of a body that takes many reads are exact", SHORT, async () => {
      const body = randomBytes(600 * KIB);
      const text = "0123456789abcdef".repeat(20 * KIB);
      await withServer(async ({ socket, head }) => {
        const bytes = head.startsWith("GET /text ") ? Buffer.from(text, "latin1") : body;
        await writeInPieces(socket, lengthAnswer(bytes), [70 * KIB, 3, 200 * KIB]);
      }, async (server) => {
        const whole = new Uint8Array(
          await (await socketFetch(`${server.url}/bytes`)).arrayBuffer(),
        );
        assert.ok(sameBytes(whole, body), "arrayBuffer() kept views the next read overwrote");
        assert.equal(await (await socketFetch(`${server.url}/text`)).text(), text);
      });
    });
  });

  it(
    "15. a 200 with Content-Length: 0 has an empty body, not none, and leaves the connection reusable",
    SHORT,
    async () => {
      await withServer(({ socket }) => {
        socket.write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", "latin1");
      }, async (server) => {
        const first = await socketFetch(`${server.url}/empty`);
        assert.notEqual(first.body, null, "fetch answers an empty stream for an empty 200");
        assert.equal(await first.text(), "");
        const second = await socketFetch(`${server.url}/empty`);
        assert.equal(second.status, 200);
        assert.equal(server.connections, 1, "the empty answer's connection was reused");
      });
    },
  );
});
