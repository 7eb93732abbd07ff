/**
 * `serve` fan-out: 8 concurrent clients download the same file from
 * `rkllm-models serve` and from nginx serving the store's file statically
 * (`sendfile`), on loopback; prints the aggregate throughput of each, best of
 * the runs. Needs nginx (`apt-get install nginx-light`).
 *
 * ```sh
 * node bench/serve_fanout.ts [--size-mib 256] [--clients 8] [--runs 3]
 * ```
 *
 * @module
 */
import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { parseArgs } from "node:util";
import { serveStore } from "../src/serve/serve_store.ts";

const { values } = parseArgs({
  options: {
    "size-mib": { type: "string", default: "256" },
    clients: { type: "string", default: "8" },
    runs: { type: "string", default: "3" },
  },
});
const SIZE = Number(values["size-mib"]) * 1024 * 1024;
const CLIENTS = Number(values.clients);
const RUNS = Number(values.runs);
const REPO = "bench/Fanout-rk3588";
const FILE = "Fanout-rk3588-w8a8.rkllm";
const COMMIT = "f".repeat(40);

function makeStore(root: string): void {
  const dir = join(root, "store", ...REPO.split("/"));
  mkdirSync(dir, { recursive: true });
  const hash = createHash("sha256");
  const fd = openSync(join(dir, FILE), "w");
  const chunk = randomBytes(4 * 1024 * 1024);
  for (let written = 0; written < SIZE; written += chunk.length) {
    const part = chunk.subarray(0, Math.min(chunk.length, SIZE - written));
    writeSync(fd, part);
    hash.update(part);
  }
  writeFileSync(
    join(dir, ".rkllm-models.json"),
    JSON.stringify({
      version: 2,
      repo: REPO,
      revision: COMMIT,
      files: {
        [FILE]: {
          size: SIZE,
          sha256: hash.digest("hex"),
          revision: COMMIT,
          downloadedAt: new Date().toISOString(),
        },
      },
    }),
  );
}

async function drain(url: string): Promise<number> {
  const response = await fetch(url);
  let bytes = 0;
  for await (const chunk of response.body!) bytes += chunk.length;
  if (bytes !== SIZE) throw new Error(`${url}: ${bytes} bytes, expected ${SIZE}`);
  return bytes;
}

/** Best aggregate MB/s of `RUNS` runs of `CLIENTS` concurrent downloads. */
async function fanout(url: string): Promise<number> {
  let best = 0;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    const bytes = (await Promise.all(Array.from({ length: CLIENTS }, () => drain(url))))
      .reduce((sum, count) => sum + count, 0);
    best = Math.max(best, bytes / 1e6 / ((performance.now() - started) / 1000));
  }
  return best;
}

async function startNginx(root: string): Promise<{ url: string; stop: () => void }> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const prefix = join(root, "nginx");
  mkdirSync(prefix, { recursive: true });
  const config = [
    "daemon off;",
    "master_process off;",
    "worker_processes 1;",
    `pid ${prefix}/nginx.pid;`,
    `error_log ${prefix}/error.log warn;`,
    "events { worker_connections 256; }",
    "http {",
    "  access_log off;",
    "  sendfile on;",
    ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) =>
      `  ${kind}_temp_path ${prefix}/${kind}_temp;`
    ),
    `  server { listen 127.0.0.1:${port}; root ${join(root, "store")}; }`,
    "}",
  ].join("\n");
  writeFileSync(join(prefix, "nginx.conf"), config);
  const child = spawn("nginx", ["-p", prefix, "-c", join(prefix, "nginx.conf")], {
    stdio: "ignore",
  });
  const url = `http://127.0.0.1:${port}/${REPO}/${FILE}`;
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await (await fetch(url, { method: "HEAD" })).body?.cancel();
      return { url, stop: () => child.kill("SIGTERM") };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill("SIGTERM");
  throw new Error("nginx did not start");
}

const root = mkdtempSync(join(tmpdir(), "rkllm-fanout-"));
try {
  makeStore(root);
  const server = await serveStore(join(root, "store"), { port: 0 });
  const nginx = await startNginx(root);
  try {
    const serveRate = await fanout(`${server.url}/${REPO}/resolve/${COMMIT}/${FILE}`);
    const nginxRate = await fanout(nginx.url);
    console.log(JSON.stringify({
      runtime: process.versions.bun ? "bun" : "Deno" in globalThis ? "deno" : "node",
      sizeMiB: SIZE / 1024 / 1024,
      clients: CLIENTS,
      serveMBps: Math.round(serveRate),
      nginxStaticMBps: Math.round(nginxRate),
      ratio: Number((serveRate / nginxRate).toFixed(2)),
    }));
  } finally {
    nginx.stop();
    await server.close();
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
