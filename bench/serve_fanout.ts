/**
 * `serve` fan-out: `--clients` concurrent `curl` clients download the same
 * file from `rkllm-models serve` (its own process, on the runtime named) and
 * from nginx serving the store's file statically (`sendfile`, one worker), on
 * loopback, in alternating turns; prints the median aggregate throughput of
 * each and each server's CPU seconds per GiB served (`/proc/<pid>/stat`), as
 * one JSON line. Needs nginx (`apt-get install nginx-light`) and curl.
 *
 * ```sh
 * node bench/serve_fanout.ts --runtime deno [--size-mib 256] [--clients 8] [--runs 3]
 * ```
 *
 * @module
 */
import { spawn } from "node:child_process";
import { type AddressInfo, createServer } from "node:net";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { cpuSecondsOf, serveCommand, type ServeRuntime, startServe } from "./serve_process.ts";

const { values } = parseArgs({
  options: {
    runtime: { type: "string", default: "node" },
    cli: { type: "string" },
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
const GIB = 1024 ** 3;

function makeStore(root: string): string {
  const store = join(root, "store");
  const dir = join(store, ...REPO.split("/"));
  mkdirSync(dir, { recursive: true });
  const hash = createHash("sha256");
  const fd = openSync(join(dir, FILE), "w");
  const chunk = randomBytes(4 * 1024 * 1024);
  for (let written = 0; written < SIZE; written += chunk.length) {
    const part = chunk.subarray(0, Math.min(chunk.length, SIZE - written));
    writeSync(fd, part);
    hash.update(part);
  }
  const file = {
    size: SIZE,
    sha256: hash.digest("hex"),
    revision: COMMIT,
    downloadedAt: new Date().toISOString(),
  };
  writeFileSync(
    join(dir, ".rkllm-models.json"),
    JSON.stringify({ version: 2, repo: REPO, revision: COMMIT, files: { [FILE]: file } }),
  );
  return store;
}

/** One `curl` client reading `url` whole into /dev/null; rejects on a short body. */
function curlDrain(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("curl", ["-s", "-f", "-o", "/dev/null", "-w", "%{size_download}", url], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let text = "";
    child.stdout.on("data", (chunk) => text += chunk);
    child.once("error", reject);
    child.once("close", (code) => {
      if (code === 0 && Number(text) === SIZE) resolve();
      else reject(new Error(`curl ${url}: exit ${code}, ${text} bytes, expected ${SIZE}`));
    });
  });
}

/** One turn: every client at once; the aggregate MB/s and the server's CPU s per GiB sent. */
async function turn(url: string, pid: number): Promise<{ mbps: number; cpuPerGiB: number }> {
  const cpuBefore = cpuSecondsOf(pid);
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, () => curlDrain(url)));
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuSecondsOf(pid) - cpuBefore;
  return { mbps: SIZE * CLIENTS / 1e6 / seconds, cpuPerGiB: cpu / (SIZE * CLIENTS / GIB) };
}

/** A port free a moment ago (nginx cannot listen on port 0 and tell which it got). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** nginx on a free port; tried again on another when the port was taken meanwhile. */
async function startNginx(root: string): Promise<NginxProcess> {
  for (let attempt = 1;; attempt++) {
    try {
      return await startNginxOn(root, await freePort());
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

interface NginxProcess {
  url: string;
  pid: number;
  stop: () => void;
}

async function startNginxOn(root: string, port: number): Promise<NginxProcess> {
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
      return { url, pid: child.pid!, stop: () => child.kill("SIGTERM") };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  child.kill("SIGKILL");
  throw new Error(`nginx did not start on port ${port}`);
}

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const root = mkdtempSync(join(tmpdir(), "rkllm-fanout-"));
try {
  const store = makeStore(root);
  const runtime = values.runtime as ServeRuntime;
  const server = await startServe(serveCommand({ runtime, store, workDir: root, cli: values.cli }));
  let nginx: NginxProcess | undefined;
  try {
    nginx = await startNginx(root);
    const serveUrl = `${server.url}/${REPO}/resolve/${COMMIT}/${FILE}`;
    // One untimed turn each, so neither pays for a cold page cache or a cold JIT.
    await turn(serveUrl, server.pid);
    await turn(nginx.url, nginx.pid);
    const served: { mbps: number; cpuPerGiB: number }[] = [];
    const static_: { mbps: number; cpuPerGiB: number }[] = [];
    for (let run = 0; run < RUNS; run++) {
      served.push(await turn(serveUrl, server.pid));
      static_.push(await turn(nginx.url, nginx.pid));
    }
    const serveMBps = median(served.map((run) => run.mbps));
    const nginxMBps = median(static_.map((run) => run.mbps));
    console.log(JSON.stringify({
      runtime,
      sizeMiB: SIZE / 1024 / 1024,
      clients: CLIENTS,
      serveMBps: Math.round(serveMBps),
      nginxStaticMBps: Math.round(nginxMBps),
      ratio: Number((serveMBps / nginxMBps).toFixed(2)),
      serveCpuSecondsPerGiB: Number(median(served.map((run) => run.cpuPerGiB)).toFixed(2)),
      nginxCpuSecondsPerGiB: Number(median(static_.map((run) => run.cpuPerGiB)).toFixed(2)),
      serveRuns: served.map((run) => Math.round(run.mbps)),
      nginxRuns: static_.map((run) => Math.round(run.mbps)),
    }));
  } finally {
    nginx?.stop();
    await server.stop();
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
