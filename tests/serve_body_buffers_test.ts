/**
 * `serve`'s body buffers: a few clients get large buffers, many share a small
 * budget, and a body sent from either size arrives whole and exact; the send
 * timeout counts only the time the client takes to accept bytes.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { BodyBuffers } from "../src/serve/body_buffers.ts";
import { answerFile, type BodySource } from "../src/serve/file_answer.ts";

const KIB = 1024;

function sourceOf(bytes: Uint8Array, reads: number[]): BodySource {
  return {
    read(buffer, position) {
      reads.push(buffer.length);
      const count = Math.min(buffer.length, bytes.length - position);
      buffer.set(bytes.subarray(position, position + count));
      return Promise.resolve(Math.max(0, count));
    },
    close: () => Promise.resolve(),
  };
}

async function serving(
  bytes: Uint8Array,
  setup: { buffers: BodyBuffers; reads: number[]; sendTimeoutMs?: number; readDelayMs?: number },
): Promise<Server> {
  const server = createServer((request, response) => {
    const source = sourceOf(bytes, setup.reads);
    const delayed: BodySource = {
      read: async (buffer, position) => {
        if (setup.readDelayMs) {
          await new Promise((resolve) => setTimeout(resolve, setup.readDelayMs));
        }
        return await source.read(buffer, position);
      },
      close: () => source.close(),
    };
    void answerFile({ request, response }, {
      file: { path: "model.rkllm", size: bytes.length, sha256: "a".repeat(64) },
      commit: "c".repeat(40),
      openBody: () => Promise.resolve(delayed),
      buffers: setup.buffers,
      sendTimeoutMs: setup.sendTimeoutMs,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

describe("serve: body buffers", () => {
  it("gives the first 8 bodies 512 KiB, those beyond 64 KiB, a small body no more than it needs, and frees a place when a body ends", () => {
    const buffers = new BodyBuffers();
    const full = Array.from({ length: 8 }, () => buffers.take(10 * 1024 * KIB).length);
    assert.deepEqual(new Set(full), new Set([512 * KIB]));
    assert.equal(buffers.take(10 * 1024 * KIB).length, 64 * KIB);
    assert.equal(buffers.take(1000).length, 1000);
    assert.equal(buffers.sending, 10);
    buffers.release();
    buffers.release();
    buffers.release();
    assert.equal(buffers.take(10 * 1024 * KIB).length, 512 * KIB);
  });

  it("sends a body from a shared-size buffer whole and exact, and a range of it", async () => {
    const bytes = new Uint8Array(1024 * KIB + 123).map((_, index) => (index * 7 + 3) % 251);
    const buffers = new BodyBuffers();
    for (let index = 0; index < 8; index++) buffers.take(bytes.length);
    const reads: number[] = [];
    const server = await serving(bytes, { buffers, reads });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const whole = new Uint8Array(await (await fetch(url)).arrayBuffer());
      assert.deepEqual(whole, bytes);
      assert.equal(Math.max(...reads), 64 * KIB, "the body was read in 64 KiB chunks");
      const slice = await fetch(url, { headers: { Range: "bytes=70000-200000" } });
      assert.equal(slice.status, 206);
      assert.deepEqual(new Uint8Array(await slice.arrayBuffer()), bytes.subarray(70000, 200001));
      assert.equal(buffers.sending, 8, "each body gave its place back");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("times only the client's taking of bytes: a source slower than the send timeout still sends the whole body", async () => {
    const bytes = new Uint8Array(3 * 64 * KIB + 5).map((_, index) => index % 253);
    const buffers = new BodyBuffers();
    for (let index = 0; index < 8; index++) buffers.take(bytes.length);
    const server = await serving(bytes, {
      buffers,
      reads: [],
      sendTimeoutMs: 50,
      readDelayMs: 200,
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const whole = new Uint8Array(await (await fetch(url)).arrayBuffer());
      assert.deepEqual(whole, bytes, "the transfer was broken off while the source was read");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
