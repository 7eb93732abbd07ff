/**
 * `npm run demo`: the main job end to end on a machine without internet. It
 * starts the loopback Hub with a small RKLLM repository, then runs the real
 * CLI (as a child process that shares this terminal, so the progress bar shows)
 * to look at the repository's files, download the model, list it and verify
 * it, and stops the server. Models go to a temporary directory that is removed
 * afterwards, unless `--dir` names one to keep.
 *
 * ```sh
 * npm run demo
 * npm run demo -- --dir ./demo-models --runtime node
 * deno run -A tests/support/demo.ts --bytes-per-second 0
 * ```
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import process from "node:process";
import { RuntimeDetector } from "../../src/runtime/detect_runtime.ts";
import { CLI, ROOT } from "./cli_process.ts";
import { type HubServer, sampleRepo, startHubServer } from "./hub_server.ts";
import { makeTempDir, removeDir } from "./temp_dir.ts";

const USAGE = `usage: demo.ts [--dir DIR] [--runtime deno|node|bun] [--bytes-per-second N]
  --dir DIR             keep the downloaded model in DIR (default: a temporary directory, removed)
  --runtime NAME        run the CLI on deno, node or bun (default: the runtime running the demo)
  --bytes-per-second N  cap the Hub's rate so the progress bar shows (default 1200000; 0: no cap)`;

/** What the demo was asked to do. */
export interface DemoOptions {
  /** Where the models go; a temporary directory when absent. */
  dir?: string;
  /** The runtime that runs the CLI; the current one when absent. */
  runtime?: "deno" | "node" | "bun";
  /** The Hub's rate cap per connection; 0 for none. */
  bytesPerSecond: number;
}

/**
 * Parses the demo's command line.
 *
 * @example
 * ```ts
 * parseDemoArguments(["--dir", "/tmp/m"]); // { dir: "/tmp/m", bytesPerSecond: 1200000 }
 * ```
 */
export function parseDemoArguments(args: string[]): DemoOptions {
  const options: DemoOptions = { bytesPerSecond: 1_200_000 };
  for (let index = 0; index < args.length; index++) {
    const flag = args[index];
    const value = () => {
      const next = args[++index];
      if (next === undefined) throw new Error(`give a value after ${flag}\n${USAGE}`);
      return next;
    };
    if (flag === "--dir") options.dir = resolve(value());
    else if (flag === "--runtime") {
      const name = value();
      if (name !== "deno" && name !== "node" && name !== "bun") {
        throw new Error(`use deno, node or bun for --runtime, not "${name}"\n${USAGE}`);
      }
      options.runtime = name;
    } else if (flag === "--bytes-per-second") {
      const rate = Number(value());
      if (!Number.isInteger(rate) || rate < 0) {
        throw new Error(`use a whole number for --bytes-per-second\n${USAGE}`);
      }
      options.bytesPerSecond = rate;
    } else if (flag === "--help" || flag === "-h") {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown argument "${flag}"\n${USAGE}`);
  }
  return options;
}

/** The command that runs `cli.ts` on the chosen runtime. */
function commandFor(runtime: DemoOptions["runtime"]): string[] {
  const name = runtime ?? RuntimeDetector.detect();
  const binary = join(ROOT, "node_modules", ".bin", name);
  const program = runtime === undefined ? process.execPath : existsSync(binary) ? binary : name;
  // -q: Deno's module loader would draw (and clear) a progress line of its own.
  return name === "deno" ? [program, "run", "-q", "-A", CLI] : [program, CLI];
}

/** The demo's environment: the loopback Hub, no token, no offline mode, loopback never proxied. */
function demoEnvironment(
  hub: HubServer,
  modelsDir: string,
  hfHome: string,
): Record<string, string> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH", "HF_HUB_OFFLINE"]) {
    delete env[name];
  }
  const noProxy = [env.NO_PROXY ?? env.no_proxy, "127.0.0.1", "localhost"].filter(Boolean).join(
    ",",
  );
  Object.assign(env, {
    HF_ENDPOINT: hub.endpoint,
    RKLLM_MODELS_DIR: modelsDir,
    HF_HOME: hfHome,
    NO_PROXY: noProxy,
    no_proxy: noProxy,
  });
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function heading(text: string): void {
  const bold = process.stdout.isTTY && process.env.TERM !== "dumb" && !process.env.NO_COLOR;
  console.log(bold ? `\n\x1b[1m${text}\x1b[0m` : `\n${text}`);
}

/** Runs one CLI command in this terminal; answers its exit status. */
function runStep(command: string[], args: string[], env: Record<string, string>): Promise<number> {
  heading(`$ rkllm-models ${args.join(" ")}`);
  const [program, ...prefix] = command;
  return new Promise((resolveStatus, reject) => {
    const child = spawn(program, [...prefix, ...args], { cwd: ROOT, env, stdio: "inherit" });
    child.on("error", reject);
    child.on("close", (code, signal) => resolveStatus(code ?? (signal === "SIGINT" ? 130 : 1)));
  });
}

/**
 * Runs the demo; answers the exit status (0 when every step passed).
 *
 * @example
 * ```ts ignore
 * const status = await runDemo({ bytesPerSecond: 0 });
 * ```
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const repo = sampleRepo();
  const model = repo.files.find((file) => file.path.endsWith(".rkllm"))!.path;
  const hub = await startHubServer({
    repos: [repo],
    bytesPerSecond: options.bytesPerSecond > 0 ? options.bytesPerSecond : undefined,
  });
  const scratch = makeTempDir("rkllm-demo-");
  const modelsDir = options.dir ?? join(scratch, "models");
  const env = demoEnvironment(hub, modelsDir, join(scratch, "hf-home"));
  const command = commandFor(options.runtime);
  // Ctrl-C reaches the CLI too (same terminal); the demo only waits for it to stop.
  const ignoreInterrupt = () => {};
  process.on("SIGINT", ignoreInterrupt);
  console.log(`A loopback Hub serves ${repo.id} at ${hub.endpoint} (no internet needed).`);
  console.log(`Models go to ${modelsDir}${options.dir ? "" : " (removed at the end)"}.`);
  const steps = [
    ["files", repo.id],
    ["download", repo.id],
    ["list"],
    ["verify"],
  ];
  let status = 0;
  try {
    for (const args of steps) {
      status = await runStep(command, args, env);
      if (status !== 0) {
        console.error(`\ndemo: "rkllm-models ${args.join(" ")}" failed with exit status ${status}`);
        break;
      }
    }
  } finally {
    process.off("SIGINT", ignoreInterrupt);
    await hub.close();
    removeDir(scratch);
  }
  if (status === 0) {
    heading("Done: the Hub is stopped.");
    console.log(`With internet, the same works against huggingface.co:`);
    console.log(`  rkllm-models download ${repo.id} ${model}`);
  }
  return status;
}

if (import.meta.main ?? process.argv[1] === new URL(import.meta.url).pathname) {
  let options: DemoOptions;
  try {
    options = parseDemoArguments(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  process.exit(await runDemo(options));
}
