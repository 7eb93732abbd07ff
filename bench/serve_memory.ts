/**
 * `serve`'s memory with many clients: starts `rkllm-models serve` as its own
 * process on the runtime named, has `--clients` concurrent clients (in this
 * process) each download the same file whole, and prints the server's resident
 * memory before and at its highest during the downloads (`VmRSS` sampled every
 * 50 ms, Linux) as one JSON line.
 *
 * ```sh
 * node bench/serve_memory.ts --runtime deno|node-bundle|bun|node20|binary [--size-mib 256] [--clients 50]
 * ```
 *
 * @module
 */
import { mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { rssMBOf, serveCommand, type ServeRuntime, startServe } from "./serve_process.ts";

const { values } = parseArgs({
  options: {
    runtime: { type: "string", default: "node-bundle" },
    cli: { type: "string" },
    "size-mib": { type: "string", default: "256" },
    clients: { type: "string", default: "50" },
  },
});
const SIZE = Number(values["size-mib"]) * 1024 * 1024;
const CLIENTS = Number(values.clients);
const REPO = "bench/Memory-rk3588";
const FILE = "Memory-rk3588-w8a8.rkllm";
const COMMIT = "e".repeat(40);

function makeStore(root: string): string {
  const store = join(root, "store");
  const dir = join(store, ...REPO.split("/"));
  mkdirSync(dir, { recursive: true });
  const fd = openSync(join(dir, FILE), "w");
  const chunk = new Uint8Array(4 * 1024 * 1024).fill(7);
  for (let written = 0; written < SIZE; written += chunk.length) {
    writeSync(fd, chunk.subarray(0, Math.min(chunk.length, SIZE - written)));
  }
  const file = { size: SIZE, revision: COMMIT, downloadedAt: new Date().toISOString() };
  writeFileSync(
    join(dir, ".rkllm-models.json"),
    JSON.stringify({ version: 2, repo: REPO, revision: COMMIT, files: { [FILE]: file } }),
  );
  return store;
}

async function drain(url: string): Promise<void> {
  const response = await fetch(url);
  let bytes = 0;
  for await (const chunk of response.body!) bytes += chunk.length;
  if (bytes !== SIZE) throw new Error(`${bytes} bytes, expected ${SIZE}`);
}

const root = mkdtempSync(join(tmpdir(), "rkllm-serve-memory-"));
try {
  const runtime = values.runtime as ServeRuntime;
  const store = makeStore(root);
  const server = await startServe(serveCommand({ runtime, store, workDir: root, cli: values.cli }));
  try {
    const { url, pid } = server;
    const idleMB = rssMBOf(pid);
    let peakMB = idleMB;
    const sampler = setInterval(() => peakMB = Math.max(peakMB, rssMBOf(pid)), 50);
    const started = performance.now();
    try {
      await Promise.all(
        Array.from({ length: CLIENTS }, () => drain(`${url}/${REPO}/resolve/${COMMIT}/${FILE}`)),
      );
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(JSON.stringify({
      runtime: values.runtime,
      sizeMiB: SIZE / 1024 / 1024,
      clients: CLIENTS,
      idleRssMB: idleMB,
      peakRssMB: peakMB,
      aggregateMBps: Math.round(SIZE * CLIENTS / 1e6 / seconds),
    }));
  } finally {
    await server.stop();
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
