/**
 * `serve` survives hostile clients: a connection that sends nothing, one that
 * sends half a header a byte at a time, and one that stops reading its answer
 * are closed; connections beyond the cap get a clear `503` and later clients
 * are served again. Deadlines are set small here and every wait is for an
 * event (or a bounded poll that fails by name), never a sleep.
 */
import { after, before, describe } from "node:test";
import { spawn } from "node:child_process";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { type ServeHandle, serveStore } from "../src/serve/serve_store.ts";
import { connectionCapOf } from "../src/serve/connection_guard.ts";
import { boundLifetime, cliCommand, cliEnvironment } from "./support/cli_process.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";
import { it } from "./support/test_timeout.ts";

const COMMIT = "a".repeat(40);
const BIG_BYTES = 48 * 1024 * 1024;

/** A store holding `acme/big` with one large file, recorded without a hash. */
function bigStore(root: string): string {
  const store = join(root, "store");
  const repoDir = join(store, "acme", "big");
  mkdirSync(repoDir, { recursive: true });
  writeFileSync(join(repoDir, "big.bin"), new Uint8Array(BIG_BYTES));
  writeFileSync(join(repoDir, "small.txt"), "small\n");
  const files = {
    "big.bin": { size: BIG_BYTES, revision: COMMIT, downloadedAt: "2026-01-01T00:00:00Z" },
    "small.txt": { size: 6, revision: COMMIT, downloadedAt: "2026-01-01T00:00:00Z" },
  };
  writeFileSync(
    join(repoDir, ".rkllm-models.json"),
    JSON.stringify({ version: 2, repo: "acme/big", revision: COMMIT, files }),
  );
  return store;
}

/** Polls `done` until it holds; fails naming `what` after `bound` tries. */
async function until(what: string, done: () => boolean, bound = 3000): Promise<void> {
  for (let tries = 0; tries < bound; tries++) {
    if (done()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail(`never happened: ${what}`);
}

/** A raw connection to the server, and a promise of its close. */
async function rawClient(url: string): Promise<{ socket: Socket; closed: Promise<string> }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = "";
  socket.on("data", (chunk) => received += chunk.toString("latin1"));
  socket.on("error", () => {});
  const closed = new Promise<string>((resolve) => socket.on("close", () => resolve(received)));
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("error", reject);
  });
  return { socket, closed };
}

describe("serve against hostile clients", () => {
  let root: string;
  let store: string;

  before(() => {
    root = makeTempDir();
    store = bigStore(root);
  });
  after(() => removeDir(root));

  async function serving(options: Parameters<typeof serveStore>[1]): Promise<ServeHandle> {
    return await serveStore(store, { port: 0, onWarning: () => {}, ...options });
  }

  it("closes a connection that sends nothing", async () => {
    const server = await serving({ clientTimeoutMs: 60_000, headerTimeoutMs: 100 });
    try {
      const { closed } = await rawClient(server.url);
      assert.equal(await closed, "");
      assert.equal(server.connections.timedOut, 1);
      const response = await fetch(`${server.url}/api/models/acme/big`);
      assert.equal(response.status, 200, "the server answers the next client");
      await response.body?.cancel();
    } finally {
      await server.close();
    }
  });

  it("closes a connection whose headers trickle in a byte at a time", async () => {
    // The idle timeout never fires while bytes arrive: only the header deadline ends it.
    const server = await serving({ clientTimeoutMs: 600_000, headerTimeoutMs: 200 });
    try {
      const { socket, closed } = await rawClient(server.url);
      const header = `GET /api/models/acme/big HTTP/1.1\r\nHost: x\r\n${
        "X-Pad: y\r\n".repeat(500)
      }`;
      let sent = 0;
      let ended = false;
      closed.then(() => ended = true);
      while (!ended && sent < header.length) {
        socket.write(header[sent++]);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(ended, "the connection outlived a whole header sent a byte at a time");
      assert.doesNotMatch(await closed, /^HTTP\/1\.1 200/);
      assert.equal(server.connections.timedOut, 1);
    } finally {
      await server.close();
    }
  });

  it("closes a connection that stops reading its answer", async () => {
    const server = await serving({ clientTimeoutMs: 300, headerTimeoutMs: 60_000 });
    try {
      const { socket, closed } = await rawClient(server.url);
      const started = new Promise<void>((resolve) => socket.once("data", () => resolve()));
      socket.write(`GET /acme/big/resolve/${COMMIT}/big.bin HTTP/1.1\r\nHost: x\r\n\r\n`);
      await started;
      socket.pause();
      await until("the stalled reader's connection is closed", () => server.connections.open === 0);
      socket.resume();
      const received = await closed;
      assert.match(received, /^HTTP\/1\.1 200/);
      assert.ok(received.length < BIG_BYTES, "the whole file went out to a reader that stopped");
    } finally {
      await server.close();
    }
  });

  it("answers 503 beyond the connection cap, and serves again once connections close", async () => {
    const server = await serving({ maxConnections: 2 });
    try {
      const held = [await rawClient(server.url), await rawClient(server.url)];
      await until("two connections are open", () => server.connections.open === 2);
      const third = await rawClient(server.url);
      third.socket.write("GET /api/models/acme/big HTTP/1.1\r\nHost: x\r\n\r\n");
      assert.match(await third.closed, /^HTTP\/1\.1 503 /);
      assert.equal(server.connections.refused, 1);
      held.forEach(({ socket }) => socket.destroy());
      await until("the held connections are closed", () => server.connections.open === 0);
      const response = await fetch(`${server.url}/api/models/acme/big`);
      assert.equal(response.status, 200);
      await response.body?.cancel();
    } finally {
      await server.close();
    }
  });

  it("serves again after a flood that ran it out of file descriptors (ulimit -n 64)", async () => {
    const command = [...cliCommand(), "serve", "--port", "0", "--json", "--dir", store];
    const child = spawn("bash", ["-c", 'ulimit -n 64 && exec "$@"', "bash", ...command], {
      env: cliEnvironment(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    boundLifetime(child, "serve under ulimit -n 64");
    const exited = new Promise((resolve) => child.once("exit", resolve));
    try {
      let stdout = "";
      child.stdout!.on("data", (chunk) => stdout += chunk);
      child.stderr!.resume();
      await until("serve prints its URL", () => stdout.includes("\n"));
      const url = new URL(JSON.parse(stdout.split("\n")[0]).url);
      const flood: Socket[] = [];
      let busy = 0;
      for (let index = 0; index < 200; index++) {
        const socket = connect(Number(url.port), url.hostname);
        socket.on("error", () => {});
        socket.on("data", (chunk) => {
          if (chunk.toString("latin1").startsWith("HTTP/1.1 503 ")) busy++;
        });
        flood.push(socket);
      }
      await until("a connection beyond the cap is answered 503", () => busy > 0);
      flood.forEach((socket) => socket.destroy());
      let status: number | string = "no answer";
      for (let tries = 0; tries < 40 && status !== 200; tries++) {
        status = await fetch(`${url.origin}/api/models/acme/big`, {
          signal: AbortSignal.timeout(3000),
        }).then(async (response) => {
          await response.body?.cancel();
          return response.status;
        }, (error) => String(error));
      }
      assert.equal(status, 200, "serve never answered again after the flood");
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  });

  it("caps connections to what the open-files limit leaves room for", () => {
    const limits = (soft: number) =>
      `Limit                     Soft Limit           Hard Limit           Units\n` +
      `Max open files            ${soft}                ${soft}                files\n`;
    assert.equal(connectionCapOf(limits(1_048_576), 256), 256);
    assert.equal(connectionCapOf(limits(64), 256), 5);
    assert.equal(connectionCapOf(undefined, 256), 256);
  });
});
