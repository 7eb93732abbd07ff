/**
 * The runtime adapter for Node.js and Bun, both of which implement `node:fs`
 * and `node:process` faithfully. On Node.js, file bodies travel over
 * `node:http` rather than `fetch`.
 *
 * @module
 */
import { constants, promises as fs, readFileSync } from "node:fs";
import { homedir, hostname } from "node:os";
import { dirname, resolve } from "node:path";
import process from "node:process";
import { createInterface } from "node:readline";
import {
  BOOT_ID_PATH,
  type DirEntry,
  errorCodeOf,
  type FileHandle,
  type FileStat,
  type OpenOptions,
  type Runtime,
} from "./runtime.ts";
import { isPidAlive } from "./process_alive.ts";
import { nodeHttpFetch } from "./node_http_fetch.ts";
import { socketFetch } from "./node_socket_fetch.ts";
import { type EnvReader, namesAProxy, proxyFor } from "./proxy_variables.ts";
import { requestUrl } from "./request_url.ts";

function toStat(stat: import("node:fs").Stats): FileStat {
  return {
    size: stat.size,
    isFile: stat.isFile(),
    isDirectory: stat.isDirectory(),
    isSymlink: stat.isSymbolicLink(),
    mtime: stat.mtime,
    mode: stat.mode & 0o7777,
    // Bun reports blocks as undefined on some file systems; then the size stands in.
    ...(typeof stat.blocks === "number" ? { diskUsage: stat.blocks * 512 } : {}),
  };
}

function openFlags(options: OpenOptions): number {
  let flags = options.write ? constants.O_RDWR : constants.O_RDONLY;
  if (options.create) flags |= constants.O_CREAT;
  if (options.createNew) flags |= constants.O_CREAT | constants.O_EXCL;
  if (options.truncate) flags |= constants.O_TRUNC;
  // Never write through a link someone planted where a file of ours belongs.
  if (options.write || options.create || options.createNew || options.noFollow) {
    flags |= constants.O_NOFOLLOW;
  }
  return flags;
}

class NodeFileHandle implements FileHandle {
  #handle: import("node:fs/promises").FileHandle;
  #closed = false;

  constructor(handle: import("node:fs/promises").FileHandle) {
    this.#handle = handle;
  }

  async write(data: Uint8Array, position: number): Promise<void> {
    let written = 0;
    while (written < data.length) {
      const { bytesWritten } = await this.#handle.write(
        data,
        written,
        data.length - written,
        position + written,
      );
      written += bytesWritten;
    }
  }

  async read(buffer: Uint8Array, position: number): Promise<number> {
    const { bytesRead } = await this.#handle.read(buffer, 0, buffer.length, position);
    return bytesRead;
  }

  truncate(size: number): Promise<void> {
    return this.#handle.truncate(size);
  }

  sync(): Promise<void> {
    return this.#handle.sync();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#handle.close();
  }
}

/**
 * The transport for a Hub request to `url`: `node:http`, whose agents apply
 * proxies, where the proxy variables read through `env` send it through a
 * proxy; else bare sockets (a host `NO_PROXY` exempts, such as a mirror on the LAN).
 */
export function nodeHubTransport(url: URL, env: EnvReader): typeof fetch {
  return (proxyFor(url, env) ? nodeHttpFetch : socketFetch) as typeof fetch;
}

/** The Hub transport of this process: chosen per URL once a proxy variable is set. */
function nodeHubFetch(): typeof fetch {
  const env: EnvReader = (name) => process.env[name];
  if (!namesAProxy(env)) return socketFetch as typeof fetch;
  return function hubFetch(input: RequestInfo | URL, init?: RequestInit) {
    const url = requestUrl(input);
    return nodeHubTransport(url, env)(input, init);
  } as typeof fetch;
}

let stdinLines: AsyncIterator<string> | undefined;
let bootId: string | undefined | null = null;

function readBootId(): string | undefined {
  try {
    return readFileSync(BOOT_ID_PATH, "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The error that closed stdout or stderr (a reader that went away), once one did. */
const closedStreams = new Map<"stdout" | "stderr", Error>();
const watchedStreams = new Set<"stdout" | "stderr">();

/**
 * Writes to stdout or stderr, resolving once the text is handed to the OS. A
 * closed stream's `EPIPE` arrives as an 'error' event that would otherwise end
 * the process with a stack trace (Node) or leave it spinning (Bun); it is kept
 * and returned to every later write, which then writes nothing.
 */
function printTo(name: "stdout" | "stderr", text: string): Promise<void> {
  const closed = closedStreams.get(name);
  if (closed) return Promise.reject(closed);
  const stream = process[name];
  if (!watchedStreams.has(name)) {
    watchedStreams.add(name);
    stream.on("error", (error: Error) => {
      if (!closedStreams.has(name)) closedStreams.set(name, error);
    });
  }
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => {
      if (!error) return resolve();
      if (!closedStreams.has(name)) closedStreams.set(name, error);
      reject(error);
    });
  });
}

/**
 * Creates the `node:fs` based runtime used on Node.js and Bun.
 */
export function createNodeRuntime(name: "node" | "bun"): Runtime {
  return {
    name,
    async open(path, options = {}) {
      return new NodeFileHandle(await fs.open(path, openFlags(options), 0o644));
    },
    readFileSync(path) {
      return new Uint8Array(readFileSync(path));
    },
    async readFile(path) {
      return new Uint8Array(await fs.readFile(path));
    },
    async stat(path) {
      return toStat(await fs.stat(path));
    },
    async lstat(path) {
      return toStat(await fs.lstat(path));
    },
    realPath: (path) => fs.realpath(path),
    async mkdir(path) {
      // One level at a time: Node's recursive mkdir spins forever under /proc and reports
      // ENOENT instead of EROFS on a read-only file system.
      const missing: string[] = [];
      for (let current = resolve(path);; current = dirname(current)) {
        if (await fs.stat(current).then(() => true, () => false)) break;
        missing.unshift(current);
        if (dirname(current) === current) break;
      }
      for (const directory of missing) {
        await fs.mkdir(directory).catch((error) => {
          if (errorCodeOf(error) !== "EEXIST") throw error;
        });
      }
    },
    rename(from, to) {
      return fs.rename(from, to);
    },
    async remove(path) {
      try {
        // fs.rm refuses empty directories without `recursive`; rmdir takes them, unlink the rest.
        if ((await fs.lstat(path)).isDirectory()) await fs.rmdir(path);
        else await fs.unlink(path);
      } catch (error) {
        if (errorCodeOf(error) !== "ENOENT") throw error;
      }
    },
    async readDir(path): Promise<DirEntry[]> {
      const entries = await fs.readdir(path, { withFileTypes: true });
      return entries.map((entry) => ({
        name: entry.name,
        isFile: entry.isFile(),
        isDirectory: entry.isDirectory(),
        isSymlink: entry.isSymbolicLink(),
      }));
    },
    async freeSpace(path) {
      try {
        const stats = await fs.statfs(path);
        return Number(stats.bavail) * Number(stats.bsize);
      } catch {
        return undefined;
      }
    },
    env: (key) => process.env[key],
    args: () => process.argv.slice(2),
    cwd: () => process.cwd(),
    homeDir: () => homedir() || undefined,
    pid: () => process.pid,
    isProcessAlive: isPidAlive,
    hostname: () => hostname(),
    bootId() {
      if (bootId === null) bootId = readBootId();
      return bootId;
    },
    exit: (code) => process.exit(code),
    isTTY: (stream) => Boolean(process[stream].isTTY),
    columns: () => process.stderr.columns || process.stdout.columns || undefined,
    print: printTo,
    async readLine() {
      stdinLines ??= createInterface({ input: process.stdin, terminal: false })[
        Symbol.asyncIterator
      ]();
      const next = await stdinLines.next();
      return next.done ? undefined : next.value;
    },
    onInterrupt(handler) {
      process.on("SIGINT", handler);
      return () => process.off("SIGINT", handler);
    },
    onTerminate(handler) {
      process.on("SIGTERM", handler);
      return () => process.off("SIGTERM", handler);
    },
    // Node's fetch (undici) and node:http cost far more CPU and memory per GiB than
    // a socket read into one buffer, and undici 20-40 MB once loaded; Bun's fetch does not.
    hubFetch: name === "node" ? nodeHubFetch() : undefined,
    collectGarbage: name === "bun" ? bunCollector() : undefined,
  };
}

/** Bun's synchronous full collection, when `Bun.gc` is there. */
function bunCollector(): (() => void) | undefined {
  const bun = (globalThis as { Bun?: { gc?: (synchronous: boolean) => void } }).Bun;
  const gc = bun?.gc;
  return typeof gc === "function" ? () => gc.call(bun, true) : undefined;
}
