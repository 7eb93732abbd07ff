/**
 * `rkllm-models serve` as its own process for the serve benches: the command
 * on each runtime (the npm bundle on Node 20, the standalone binary), its URL
 * once it listens, and what `/proc` says of its CPU time and memory.
 *
 * @module
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * What `serve` can run on: `cli.ts` on our three runtimes, the bundle an npm install
 * ships on Node 24 (`node-bundle`: stripping the types of the sources costs Node some
 * 40 MB that an installed `rkllm-models` does not pay) and on Node 20, the x64 binary.
 */
export type ServeRuntime = "deno" | "node" | "bun" | "node-bundle" | "node20" | "binary";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const BIN = join(ROOT, "node_modules", ".bin");

/** Where the serve process's programs come from. */
export interface ServeSetup {
  /** The runtime. */
  runtime: ServeRuntime;
  /** The store to serve. */
  store: string;
  /** A scratch directory for a bundle or binary built here. */
  workDir: string;
  /** The `cli.ts` to run (default: this checkout's). */
  cli?: string;
  /** The Node 20 binary for `node20` (default `/usr/bin/node`). */
  node20?: string;
}

/**
 * The `serve` command on a runtime. Node 20 runs the bundle an npm install ships
 * (built here with `bun build`, as `npm run build` does); `binary` a standalone
 * x64 binary built here with `bun build --compile`.
 */
export function serveCommand(setup: ServeSetup): string[] {
  const args = [
    "serve",
    "--port",
    "0",
    "--json",
    "--quiet",
    "--dir",
    setup.store,
    "--max-connections",
    "1000",
  ];
  const cli = setup.cli ?? join(ROOT, "cli.ts");
  const entry = join(cli, "..", "src", "cli", "binary_entry.ts");
  switch (setup.runtime) {
    case "deno":
      return [join(BIN, "deno"), "run", "-A", cli, ...args];
    case "bun":
      return [join(BIN, "bun"), cli, ...args];
    case "node":
      return [join(BIN, "node"), cli, ...args];
    case "node-bundle":
    case "node20": {
      const bundle = join(setup.workDir, "cli.mjs");
      bunBuild(["--target=node", "--format=esm", entry, "--outfile", bundle]);
      const node = setup.runtime === "node20" ? setup.node20 ?? "/usr/bin/node" : join(BIN, "node");
      return [node, bundle, ...args];
    }
    case "binary": {
      const binary = join(setup.workDir, "rkllm-models");
      bunBuild(["--compile", "--target=bun-linux-x64", entry, "--outfile", binary]);
      return [binary, ...args];
    }
  }
}

function bunBuild(args: string[]): void {
  const built = spawnSync(join(BIN, "bun"), ["build", ...args], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (built.status !== 0) throw new Error(`bun build ${args.join(" ")} failed`);
}

/** A `serve` process listening. */
export interface ServeProcess {
  /** Its endpoint. */
  url: string;
  /** Its process id. */
  pid: number;
  /** Ends it: `SIGTERM`, then `SIGKILL` when it has not exited a few seconds later. */
  stop(): Promise<void>;
}

/** How long `serve` has to exit after `SIGTERM` before it is killed. */
const STOP_GRACE_MS = 5_000;

/** Starts `command` and waits for the JSON line with its URL. */
export async function startServe(command: string[]): Promise<ServeProcess> {
  const child: ChildProcess = spawn(command[0], command.slice(1), {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout!.on("data", (chunk) => {
      text += chunk;
      if (text.includes("\n")) resolve(text.split("\n")[0]);
    });
    child.once("exit", () => reject(new Error(`serve exited: ${text}`)));
  });
  const { url } = JSON.parse(line) as { url: string };
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };
  return { url, pid: child.pid!, stop };
}

/** The clock ticks per second of `/proc/<pid>/stat` times (`getconf CLK_TCK`, 100 on Linux). */
const CLOCK_TICKS = 100;

/** User plus system CPU seconds a process (all its threads) has used so far. */
export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** A process's resident memory now (`VmRSS`), in MB. */
export function rssMBOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Math.round(Number(status.match(/^VmRSS:\s+(\d+)/m)?.[1] ?? 0) / 1024);
}
