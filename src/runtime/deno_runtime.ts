/**
 * The runtime adapter for Deno, on `Deno.*` APIs.
 *
 * @module
 */
import { statfs } from "node:fs/promises";
import {
  BOOT_ID_PATH,
  type DirEntry,
  type FileHandle,
  type FileStat,
  type OpenOptions,
  type Runtime,
} from "./runtime.ts";
import { isPidAlive } from "./process_alive.ts";

function toStat(info: Deno.FileInfo): FileStat {
  return {
    size: info.size,
    isFile: info.isFile,
    isDirectory: info.isDirectory,
    isSymlink: info.isSymlink,
    mtime: info.mtime ?? undefined,
  };
}

class DenoFileHandle implements FileHandle {
  #file: Deno.FsFile;
  #closed = false;
  // Positional I/O on Deno is seek + read/write; calls on one handle are serialised.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(file: Deno.FsFile) {
    this.#file = file;
  }

  #serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => {});
    return result;
  }

  write(data: Uint8Array, position: number): Promise<void> {
    return this.#serial(async () => {
      await this.#file.seek(position, Deno.SeekMode.Start);
      let written = 0;
      while (written < data.length) {
        written += await this.#file.write(data.subarray(written));
      }
    });
  }

  read(buffer: Uint8Array, position: number): Promise<number> {
    return this.#serial(async () => {
      await this.#file.seek(position, Deno.SeekMode.Start);
      let total = 0;
      while (total < buffer.length) {
        const count = await this.#file.read(buffer.subarray(total));
        if (count === null) break;
        total += count;
      }
      return total;
    });
  }

  truncate(size: number): Promise<void> {
    return this.#serial(() => this.#file.truncate(size));
  }

  sync(): Promise<void> {
    return this.#serial(() => this.#file.sync());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue;
    this.#file.close();
  }
}

const textEncoder = new TextEncoder();
let stdinLines: AsyncIterator<string> | undefined;
let bootId: string | undefined | null = null;

function readBootId(): string | undefined {
  try {
    // Never prompt for a permission the program was not given: no boot id is a safe answer.
    const { state } = Deno.permissions.querySync({ name: "read", path: BOOT_ID_PATH });
    if (state !== "granted") return undefined;
    return Deno.readTextFileSync(BOOT_ID_PATH).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** The error that closed stdout or stderr (a reader that went away), once one did. */
const closedStreams = new Map<"stdout" | "stderr", Error>();

async function* linesOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let pending = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    pending += text;
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      yield pending.slice(0, newline).replace(/\r$/, "");
      pending = pending.slice(newline + 1);
      newline = pending.indexOf("\n");
    }
  }
  if (pending) yield pending;
}

/**
 * Creates the runtime adapter for Deno.
 *
 * @example
 * ```ts
 * import { createDenoRuntime } from "./deno_runtime.ts";
 * const runtime = createDenoRuntime();
 * console.log(runtime.cwd());
 * ```
 */
export function createDenoRuntime(): Runtime {
  return {
    name: "deno",
    async open(path, options: OpenOptions = {}) {
      const file = await Deno.open(path, {
        read: true,
        write: options.write ?? false,
        create: options.create ?? false,
        createNew: options.createNew ?? false,
        truncate: options.truncate ?? false,
        mode: 0o644,
      });
      return new DenoFileHandle(file);
    },
    readFile: (path) => Deno.readFile(path),
    async stat(path) {
      return toStat(await Deno.stat(path));
    },
    async lstat(path) {
      return toStat(await Deno.lstat(path));
    },
    mkdir: (path) => Deno.mkdir(path, { recursive: true }),
    rename: (from, to) => Deno.rename(from, to),
    async remove(path) {
      try {
        await Deno.remove(path);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    },
    async readDir(path): Promise<DirEntry[]> {
      const entries: DirEntry[] = [];
      for await (const entry of Deno.readDir(path)) {
        entries.push({
          name: entry.name,
          isFile: entry.isFile,
          isDirectory: entry.isDirectory,
          isSymlink: entry.isSymlink,
        });
      }
      return entries;
    },
    async freeSpace(path) {
      // Deno has no native statfs; its node:fs implementation provides one.
      try {
        const stats = await statfs(path);
        return Number(stats.bavail) * Number(stats.bsize);
      } catch {
        return undefined;
      }
    },
    env: (key) => Deno.env.get(key),
    args: () => [...Deno.args],
    cwd: () => Deno.cwd(),
    homeDir: () => Deno.env.get("HOME") ?? undefined,
    pid: () => Deno.pid,
    isProcessAlive: isPidAlive,
    hostname: () => Deno.hostname(),
    bootId() {
      if (bootId === null) bootId = readBootId();
      return bootId;
    },
    exit: (code) => Deno.exit(code),
    isTTY: (stream) => Deno[stream].isTerminal(),
    columns() {
      try {
        return Deno.consoleSize().columns;
      } catch {
        return undefined;
      }
    },
    async print(stream, text) {
      const closed = closedStreams.get(stream);
      if (closed) throw closed;
      const bytes = textEncoder.encode(text);
      let written = 0;
      try {
        while (written < bytes.length) {
          written += await Deno[stream].write(bytes.subarray(written));
        }
      } catch (error) {
        if (error instanceof Error) closedStreams.set(stream, error);
        throw error;
      }
    },
    async readLine() {
      stdinLines ??= linesOf(Deno.stdin.readable);
      const next = await stdinLines.next();
      return next.done ? undefined : next.value;
    },
    onInterrupt(handler) {
      Deno.addSignalListener("SIGINT", handler);
      return () => Deno.removeSignalListener("SIGINT", handler);
    },
    onTerminate(handler) {
      Deno.addSignalListener("SIGTERM", handler);
      return () => Deno.removeSignalListener("SIGTERM", handler);
    },
  };
}
