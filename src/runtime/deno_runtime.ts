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
  symlinkRefusal,
} from "./runtime.ts";
import { isPidAlive } from "./process_alive.ts";

function toStat(info: Deno.FileInfo): FileStat {
  return {
    size: info.size,
    isFile: info.isFile,
    isDirectory: info.isDirectory,
    isSymlink: info.isSymlink,
    mtime: info.mtime ?? undefined,
    ...(typeof info.mode === "number" ? { mode: info.mode & 0o7777 } : {}),
    ...(typeof info.blocks === "number" ? { diskUsage: info.blocks * 512 } : {}),
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

/**
 * Opens a file for writing without ever going through a symbolic link, which
 * `Deno.open` has no flag for. A new file is created exclusively (`O_EXCL`
 * never follows a link); an existing one is opened without creating or
 * truncating anything and kept only when it is the very file `lstat` sees,
 * so a link swapped in meanwhile is caught before a byte is written.
 */
async function openNoFollow(path: string, options: OpenOptions): Promise<Deno.FsFile> {
  const exclusive = { read: true, write: true, createNew: true, mode: 0o644 };
  if (options.createNew) return await Deno.open(path, exclusive);
  if (options.create) {
    try {
      return await Deno.open(path, exclusive);
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
  }
  if ((await Deno.lstat(path)).isSymlink) throw symlinkRefusal(path);
  const file = await Deno.open(path, { read: true, write: true });
  try {
    const [opened, named] = [await file.stat(), await Deno.lstat(path)];
    if (named.isSymlink || opened.ino !== named.ino || opened.dev !== named.dev) {
      throw symlinkRefusal(path);
    }
    if (options.truncate) await file.truncate(0);
    return file;
  } catch (error) {
    file.close();
    throw error;
  }
}

/**
 * Opens a file for reading only when `path` is not a symbolic link: the file
 * opened must be the very file `lstat` sees, so a link swapped in is caught.
 */
async function openReadNoFollow(path: string): Promise<Deno.FsFile> {
  if ((await Deno.lstat(path)).isSymlink) throw symlinkRefusal(path);
  const file = await Deno.open(path, { read: true });
  try {
    const [opened, named] = [await file.stat(), await Deno.lstat(path)];
    if (named.isSymlink || opened.ino !== named.ino || opened.dev !== named.dev) {
      throw symlinkRefusal(path);
    }
    return file;
  } catch (error) {
    file.close();
    throw error;
  }
}

const textEncoder = new TextEncoder();
let stdinLines: AsyncIterator<string> | undefined;
let bootId: string | undefined | null = null;

/**
 * The host name; without `--allow-sys` (which a library should not demand for a lock
 * label), the same name from Linux's /proc, else "localhost".
 */
function hostName(): string {
  try {
    return Deno.hostname();
  } catch {
    try {
      return Deno.readTextFileSync("/proc/sys/kernel/hostname").trim() || "localhost";
    } catch {
      return "localhost";
    }
  }
}

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
 */
export function createDenoRuntime(): Runtime {
  return {
    name: "deno",
    async open(path, options: OpenOptions = {}) {
      const writing = options.write || options.create || options.createNew;
      return new DenoFileHandle(
        writing
          ? await openNoFollow(path, options)
          : options.noFollow
          ? await openReadNoFollow(path)
          : await Deno.open(path, { read: true }),
      );
    },
    readFile: (path) => Deno.readFile(path),
    readFileSync: (path) => Deno.readFileSync(path),
    async stat(path) {
      return toStat(await Deno.stat(path));
    },
    async lstat(path) {
      return toStat(await Deno.lstat(path));
    },
    realPath: (path) => Deno.realPath(path),
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
    hostname: () => hostName(),
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
