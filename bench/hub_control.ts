/**
 * Starting `bench/hub_process.ts` in its own Node process and talking to it:
 * where it listens, how many bytes it served, stopping it.
 *
 * @module
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createInterface, type Interface } from "node:readline";
import process from "node:process";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const ROOT: string = fileURLToPath(new URL("../", import.meta.url));

/** A large lazy file served by the emulator. */
export interface LargeFile {
  /** `owner/name`. */
  repo: string;
  /** File name inside the repository, e.g. `model.rkllm`. */
  file: string;
  /** Size in bytes (a multiple of 1 MiB). */
  size: number;
}

/** How to start the emulator. */
export interface HubProcessOptions {
  /** The lazy files to serve. */
  files: LargeFile[];
  /** Per-connection rate cap of file bodies, bytes per second. */
  bytesPerSecond?: number;
  /** Repositories served from directories (every file in `dir`, as `--repo id=dir`). */
  repos?: { id: string; dir: string }[];
}

/** A running emulator process. */
export interface HubProcess {
  /** Hub origin, e.g. `http://127.0.0.1:41234`. */
  endpoint: string;
  /** CDN origin the hub redirects LFS files to. */
  cdnOrigin: string;
  /** The command line that starts the same server (for the report). */
  commandLine: string;
  /** CPU seconds (user + system) the emulator process has used so far. */
  cpuSeconds(): number;
  /** Body bytes of 2xx answers whose path holds `pathPart`, served so far. */
  served(pathPart: string): Promise<number>;
  /** Sends the next GET of a path holding `pathPart` at `bytesPerSecond` (a straggler). */
  straggle(bytesPerSecond: number, pathPart: string): Promise<void>;
  /** Stops the process. */
  stop(): Promise<void>;
}

/**
 * The `--large` argument of a file.
 *
 * @example
 * ```ts
 * largeArgument({ repo: "bench/big", file: "model.rkllm", size: 1024 ** 3 }); // "bench/big:model.rkllm:1024M"
 * ```
 */
export function largeArgument(file: LargeFile): string {
  return `${file.repo}:${file.file}:${Math.round(file.size / 1024 ** 2)}M`;
}

/**
 * Starts the emulator with `node` (the one running the benchmark) and waits until it listens.
 *
 * @example
 * ```ts ignore
 * const hub = await startHubProcess({ files: [{ repo: "bench/big", file: "model.rkllm", size: 2 ** 30 }] });
 * await hub.stop();
 * ```
 */
export async function startHubProcess(options: HubProcessOptions): Promise<HubProcess> {
  const args = ["bench/hub_process.ts"];
  for (const file of options.files) args.push("--large", largeArgument(file));
  if (options.bytesPerSecond) args.push("--bytes-per-second", String(options.bytesPerSecond));
  for (const repo of options.repos ?? []) args.push("--repo", `${repo.id}=${repo.dir}`);
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, args, {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (text: string) => (stderr += text));
  const lines: Interface = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  const queued: string[] = [];
  lines.on("line", (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else queued.push(line);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const nextLine = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const line = queued.shift();
      if (line !== undefined) return resolve(line);
      waiting.push(resolve);
      exited.then((code) => reject(new Error(`the hub emulator exited (${code}): ${stderr}`)));
    });
  const ready = JSON.parse(await nextLine()) as { endpoint: string; cdnOrigin: string };
  let asking = Promise.resolve(0);
  return {
    endpoint: ready.endpoint,
    cdnOrigin: ready.cdnOrigin,
    commandLine: `node ${args.join(" ")}`,
    cpuSeconds: () => processCpuSeconds(child.pid ?? 0),
    served(pathPart: string) {
      // One question at a time, so answers match questions.
      asking = asking.catch(() => 0).then(async () => {
        child.stdin.write(`served ${pathPart}\n`);
        const answer = JSON.parse(await nextLine()) as { served?: number; error?: string };
        if (answer.served === undefined) throw new Error(answer.error ?? "no answer");
        return answer.served;
      });
      return asking;
    },
    async straggle(bytesPerSecond: number, pathPart: string) {
      asking = asking.catch(() => 0).then(async () => {
        child.stdin.write(`straggle ${bytesPerSecond} ${pathPart}\n`);
        const answer = JSON.parse(await nextLine()) as { straggling?: boolean; error?: string };
        if (!answer.straggling) throw new Error(answer.error ?? "no answer");
        return 0;
      });
      await asking;
    },
    async stop() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

let clockTicks: number | undefined;

/** CPU seconds (user + system) a live process has used, from `/proc/<pid>/stat`. */
function processCpuSeconds(pid: number): number {
  clockTicks ??= Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

/**
 * The SHA-256 the Hub states for a file (its LFS oid), for anchors that can check it.
 *
 * @example
 * ```ts ignore
 * const sha256 = await statedSha256(hub.endpoint, file);
 * ```
 */
export async function statedSha256(endpoint: string, file: LargeFile): Promise<string> {
  const response = await fetch(`${endpoint}/api/models/${file.repo}/tree/main`);
  const entries = await response.json() as { path: string; lfs?: { oid: string } }[];
  const oid = entries.find((entry) => entry.path === file.file)?.lfs?.oid;
  if (!oid) throw new Error(`the emulator lists no SHA-256 for ${file.repo}/${file.file}`);
  return oid;
}

/**
 * The resolve URL of a file (which answers 302 to the signed CDN URL).
 *
 * @example
 * ```ts
 * resolveUrl("http://127.0.0.1:1", { repo: "o/n", file: "m.rkllm", size: 0 }); // "http://127.0.0.1:1/o/n/resolve/main/m.rkllm"
 * ```
 */
export function resolveUrl(endpoint: string, file: LargeFile): string {
  return `${endpoint}/${file.repo}/resolve/main/${file.file}`;
}

/**
 * Follows the hub's 302 once and answers the signed CDN URL, so anchors download the
 * bytes directly (their best case).
 *
 * @example
 * ```ts ignore
 * const url = await cdnUrl(hub.endpoint, file);
 * ```
 */
export async function cdnUrl(endpoint: string, file: LargeFile): Promise<string> {
  const response = await fetch(resolveUrl(endpoint, file), { redirect: "manual" });
  await response.body?.cancel();
  const location = response.headers.get("location");
  if (response.status !== 302 || !location) {
    throw new Error(`expected a 302 from ${resolveUrl(endpoint, file)}, got ${response.status}`);
  }
  return new URL(location, endpoint).href;
}
