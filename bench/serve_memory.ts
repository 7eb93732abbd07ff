/**
 * `serve`'s memory with many clients: starts `rkllm-models serve` as its own
 * process on the runtime named, has `--clients` concurrent clients (in this
 * process) each download the same file whole, and prints the server's resident
 * memory before and at its highest during the downloads (`VmRSS` sampled every
 * 50 ms, Linux) as one JSON line.
 *
 * ```sh
 * node bench/serve_memory.ts --runtime deno [--size-mib 256] [--clients 50]
 * ```
 *
 * @module
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";

const { values } = parseArgs({
  options: {
    runtime: { type: "string", default: "node" },
    "size-mib": { type: "string", default: "256" },
    clients: { type: "string", default: "50" },
  },
});
const SIZE = Number(values["size-mib"]) * 1024 * 1024;
const CLIENTS = Number(values.clients);
const REPO = "bench/Memory-rk3588";
const FILE = "Memory-rk3588-w8a8.rkllm";
const COMMIT = "e".repeat(40);
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const BIN = join(ROOT, "node_modules", ".bin");

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

/**
 * The `serve` command on the runtime asked. Node runs the bundle an npm install
 * ships (`lib/cli.mjs`, built here into `root`): stripping the types of the
 * sources costs Node some 40 MB that an installed `rkllm-models` does not pay.
 */
function serveCommand(root: string, store: string): string[] {
  const args = [
    "serve",
    "--port",
    "0",
    "--json",
    "--quiet",
    "--dir",
    store,
    "--max-connections",
    "1000",
  ];
  const cli = join(ROOT, "cli.ts");
  if (values.runtime === "deno") return [join(BIN, "deno"), "run", "-A", cli, ...args];
  if (values.runtime === "bun") return [join(BIN, "bun"), cli, ...args];
  const bundle = join(root, "cli.mjs");
  const entry = join(ROOT, "src", "cli", "binary_entry.ts");
  const built = spawnSync(join(BIN, "bun"), [
    "build",
    "--target=node",
    "--format=esm",
    entry,
    "--outfile",
    bundle,
  ], { stdio: ["ignore", "ignore", "inherit"] });
  if (built.status !== 0) throw new Error("bun build of the CLI bundle failed");
  return [join(BIN, "node"), bundle, ...args];
}

async function drain(url: string): Promise<void> {
  const response = await fetch(url);
  let bytes = 0;
  for await (const chunk of response.body!) bytes += chunk.length;
  if (bytes !== SIZE) throw new Error(`${bytes} bytes, expected ${SIZE}`);
}

/** The process's resident memory now (`VmRSS`), in MB. */
function rssMB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1] ?? 0) / 1024);
}

const root = mkdtempSync(join(tmpdir(), "rkllm-serve-memory-"));
try {
  const [command, ...args] = serveCommand(root, makeStore(root));
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const line = await new Promise<string>((resolve, reject) => {
      let text = "";
      child.stdout!.on("data", (chunk) => {
        text += chunk;
        if (text.includes("\n")) resolve(text.split("\n")[0]);
      });
      child.once("exit", () => reject(new Error(`serve exited: ${text}`)));
    });
    const { url } = JSON.parse(line);
    const idleMB = rssMB(child.pid!);
    let peakMB = idleMB;
    const sampler = setInterval(() => peakMB = Math.max(peakMB, rssMB(child.pid!)), 50);
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
    child.kill("SIGTERM");
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
