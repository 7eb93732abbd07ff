/**
 * The programs being compared: our CLI on each runtime and the anchors
 * (`curl`, `aria2c`, `@huggingface/hub`, `sha256sum`), as command lines both
 * runnable and printable.
 *
 * @module
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import process from "node:process";
import { GNU_TIME } from "./measure.ts";
import { type LargeFile, ROOT } from "./hub_control.ts";

/** The runtimes our CLI runs on. */
export type RuntimeName = "deno" | "node" | "bun";

/** Every runtime, in report order. */
export const RUNTIMES: readonly RuntimeName[] = ["deno", "node", "bun"];

/** Where the programs are: real paths to run, or short names to print. */
export interface Binaries {
  /** The `deno` binary. */
  deno: string;
  /** The `node` binary. */
  node: string;
  /** The `bun` binary. */
  bun: string;
  /** Our CLI entry, `cli.ts`. */
  cli: string;
  /** The `@huggingface/hub` anchor script. */
  hfScript: string;
  /** The runtime-floor downloader script. */
  minimalScript: string;
  /** The standalone x64 binary (`bun build --compile`), once built. */
  binary?: string;
  /** The machine's own Node.js (20 here, like many users'), which runs the npm bundle. */
  node20: string;
  /** The npm bundle of the CLI (`lib/cli.mjs`, `npm run build:cli`), once built. */
  bundle?: string;
}

/**
 * The toolchain of `node_modules/.bin` and the repository's `cli.ts`.
 *
 * @example
 * ```ts ignore
 * const binaries = localBinaries();
 * ```
 */
export function localBinaries(cli = join(ROOT, "cli.ts")): Binaries {
  const bin = join(ROOT, "node_modules", ".bin");
  return {
    deno: join(bin, "deno"),
    node: join(bin, "node"),
    bun: join(bin, "bun"),
    cli,
    hfScript: join(ROOT, "bench", "hf_download.ts"),
    minimalScript: join(ROOT, "bench", "minimal_download.ts"),
    node20: "/usr/bin/node",
  };
}

/** Names as a reader types them, for the commands printed in the report. */
export const PRINTED_BINARIES: Binaries = {
  deno: "deno",
  node: "node",
  bun: "bun",
  cli: "cli.ts",
  hfScript: "bench/hf_download.ts",
  minimalScript: "bench/minimal_download.ts",
  binary: "dist/rkllm-models-linux-x64",
  node20: "node",
  bundle: "lib/cli.mjs",
};

/** What a download command needs to know. */
export interface DownloadTarget {
  /** The hub origin. */
  endpoint: string;
  /** The signed CDN URL of the file (what the hub's 302 points to). */
  cdnUrl: string;
  /** The file. */
  file: LargeFile;
  /** The SHA-256 the Hub states for it. */
  sha256: string;
  /** An empty directory to download into. */
  dir: string;
}

/** A program that downloads a file. */
export interface DownloadTool {
  /** Label in the tables. */
  label: string;
  /** Our CLI's runtime; undefined for anchors. */
  runtime?: RuntimeName;
  /** Whose targets its figures are checked against (a runtime, `binary`, `node20`); undefined for anchors. */
  subject?: string;
  /** The command line. */
  command(binaries: Binaries, target: DownloadTarget): string[];
  /** Our CLI doing nothing but `--version`: the runtime's and the CLI's own memory, before any byte. */
  idleCommand?(binaries: Binaries): string[];
  /** Where the downloaded file ends up. */
  outputPath(target: DownloadTarget): string;
}

/** Placeholders the printed commands use. */
export const PRINTED_TARGET_PARTS = {
  endpoint: "$HUB",
  cdnUrl: "$CDN_URL",
  dir: "$DIR",
  sha256: "$SHA256",
};

/**
 * Our CLI's command prefix on a runtime: `deno run -A cli.ts`, `node cli.ts` or `bun cli.ts`.
 *
 * @example
 * ```ts
 * cliCommand(PRINTED_BINARIES, "deno"); // ["deno", "run", "-A", "cli.ts"]
 * ```
 */
export function cliCommand(binaries: Binaries, runtime: RuntimeName): string[] {
  if (runtime === "deno") return [binaries.deno, "run", "-A", binaries.cli];
  return [binaries[runtime], binaries.cli];
}

/**
 * Our CLI downloading the file on `runtime`, optionally with `--connections`.
 *
 * @example
 * ```ts
 * const tool = ourDownload("bun", 1);
 * ```
 */
export function ourDownload(runtime: RuntimeName, connections?: number): DownloadTool {
  const name = { deno: "Deno", node: "Node", bun: "Bun" }[runtime];
  return {
    label: `rkllm-models on ${name}${connections ? ` --connections ${connections}` : ""}`,
    runtime,
    subject: runtime,
    command: (binaries, target) => [
      ...cliCommand(binaries, runtime),
      ...downloadArguments(target, connections),
    ],
    idleCommand: (binaries) => [...cliCommand(binaries, runtime), "--version"],
    outputPath: ourOutputPath,
  };
}

/** Our CLI's arguments after its command prefix (`bun cli.ts`, the binary, `node lib/cli.mjs`). */
function downloadArguments(target: DownloadTarget, connections?: number): string[] {
  return [
    "download",
    target.file.repo,
    target.file.file,
    "--endpoint",
    target.endpoint,
    "--dir",
    target.dir,
    // Events as NDJSON on stderr, nothing else: the `done` event tells the bytes re-read.
    "--progress=json",
    ...(connections ? ["--connections", String(connections)] : []),
  ];
}

/** Where our CLI puts the file: `<dir>/<owner>/<repo>/<file>`. */
function ourOutputPath(target: DownloadTarget): string {
  return join(target.dir, ...target.file.repo.split("/"), target.file.file);
}

/**
 * Our CLI as the standalone x64 binary (`npm run build`), downloading the file.
 *
 * @example
 * ```ts
 * STANDALONE_X64.label; // "rkllm-models x64 binary"
 * ```
 */
export const STANDALONE_X64: DownloadTool = {
  label: "rkllm-models x64 binary",
  subject: "binary",
  command: (binaries, target) => [binaryOf(binaries), ...downloadArguments(target)],
  idleCommand: (binaries) => [binaryOf(binaries), "--version"],
  outputPath: ourOutputPath,
};

function binaryOf(binaries: Binaries): string {
  if (!binaries.binary) throw new Error("build the x64 binary before measuring it");
  return binaries.binary;
}

/**
 * Our CLI as `npm install -g` installs it: the bundle `lib/cli.mjs` on the
 * machine's Node 20, downloading the file.
 *
 * @example
 * ```ts
 * NPM_BUNDLE_NODE20.label; // "rkllm-models npm bundle on Node 20"
 * ```
 */
export const NPM_BUNDLE_NODE20: DownloadTool = {
  label: "rkllm-models npm bundle on Node 20",
  subject: "node20",
  command: (binaries, target) => [...bundleCommand(binaries), ...downloadArguments(target)],
  idleCommand: (binaries) => [...bundleCommand(binaries), "--version"],
  outputPath: ourOutputPath,
};

function bundleCommand(binaries: Binaries): string[] {
  if (!binaries.bundle) throw new Error("build the npm bundle before measuring it");
  return [binaries.node20, binaries.bundle];
}

/**
 * The runtime floor on `runtime`: `bench/minimal_download.ts` with 8 connections.
 *
 * @example
 * ```ts
 * const floor = minimalDownload("deno");
 * ```
 */
export function minimalDownload(runtime: RuntimeName): DownloadTool {
  const name = { deno: "Deno", node: "Node", bun: "Bun" }[runtime];
  return {
    label: `floor: minimal fetch downloader on ${name}`,
    command: (binaries, target) => [
      ...(runtime === "deno" ? [binaries.deno, "run", "-A"] : [binaries[runtime]]),
      binaries.minimalScript,
      target.cdnUrl,
      String(target.file.size),
      join(target.dir, target.file.file),
      "8",
    ],
    outputPath: (target) => join(target.dir, target.file.file),
  };
}

/** `curl` on the CDN URL: one stream. */
export const CURL: DownloadTool = {
  label: "curl",
  command: (_binaries, target) => [
    "curl",
    "-sS",
    "--fail",
    "-o",
    join(target.dir, target.file.file),
    target.cdnUrl,
  ],
  outputPath: (target) => join(target.dir, target.file.file),
};

/** `aria2c -x8 -s8` on the CDN URL: eight connections. */
export const ARIA2C: DownloadTool = {
  label: "aria2c -x8 -s8",
  command: (_binaries, target) => [
    "aria2c",
    "-q",
    "-x8",
    "-s8",
    "--allow-overwrite=true",
    "--auto-file-renaming=false",
    "-d",
    target.dir,
    "-o",
    target.file.file,
    target.cdnUrl,
  ],
  outputPath: (target) => join(target.dir, target.file.file),
};

/**
 * `aria2c -x8 -s8 --checksum=sha-256=…`: eight connections, then the SHA-256 check our CLI
 * always does (aria2c alone checks nothing).
 */
export const ARIA2C_CHECKED: DownloadTool = {
  label: "aria2c -x8 -s8 --checksum=sha-256",
  command: (binaries, target) => [
    ...ARIA2C.command(binaries, target).slice(0, -1),
    `--checksum=sha-256=${target.sha256}`,
    target.cdnUrl,
  ],
  outputPath: (target) => join(target.dir, target.file.file),
};

/** `@huggingface/hub`'s `downloadFile` on Node, streamed to a file. */
export const HF_DOWNLOAD_FILE: DownloadTool = {
  label: "@huggingface/hub downloadFile (Node)",
  command: (binaries, target) => [
    binaries.node,
    binaries.hfScript,
    target.endpoint,
    target.file.repo,
    target.file.file,
    join(target.dir, target.file.file),
  ],
  outputPath: (target) => join(target.dir, target.file.file),
};

/**
 * A command line as a reader would type it, with `$HUB`, `$CDN_URL` and `$DIR` placeholders.
 *
 * @example
 * ```ts ignore
 * printedCommand(CURL, file); // "curl -sS --fail -o $DIR/model.rkllm $CDN_URL"
 * ```
 */
export function printedCommand(tool: DownloadTool, file: LargeFile): string {
  return tool.command(PRINTED_BINARIES, { ...PRINTED_TARGET_PARTS, file }).join(" ");
}

/**
 * The environment our CLI runs in: no token, no mirror, no colour, no update checks.
 *
 * @example
 * ```ts ignore
 * const env = neutralEnvironment();
 * ```
 */
export function neutralEnvironment(): Record<string, string> {
  const env: Record<string, string | undefined> = {
    ...process.env,
    HF_TOKEN: undefined,
    HUGGING_FACE_HUB_TOKEN: undefined,
    HF_HUB_OFFLINE: undefined,
    HF_ENDPOINT: undefined,
    RKLLM_MODELS_DIR: undefined,
    RKLLM_MODELS_CONFIG: undefined,
    NODE_OPTIONS: undefined,
    HF_HOME: "/nonexistent-hf-home",
    NO_COLOR: "1",
    DENO_NO_UPDATE_CHECK: "1",
  };
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** A program the benchmark needs and how to get it. */
interface Prerequisite {
  program: string;
  install: string;
}

const PREREQUISITES: Prerequisite[] = [
  { program: "curl", install: "apt-get install -y curl" },
  { program: "aria2c", install: "apt-get install -y aria2" },
  { program: "sha256sum", install: "apt-get install -y coreutils" },
  { program: "sync", install: "apt-get install -y coreutils" },
  { program: GNU_TIME, install: "apt-get install -y time" },
  // The npm bundle runs on the machine's own Node (20 here), as after `npm install -g`.
  { program: "/usr/bin/node", install: "apt-get install -y nodejs" },
];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(program: string): boolean {
  if (program.includes("/")) return isExecutable(program);
  return (process.env.PATH ?? "").split(delimiter).some((dir) =>
    dir !== "" && isExecutable(join(dir, program))
  );
}

/**
 * The programs that are missing, each with the command that installs it (Debian).
 *
 * @example
 * ```ts ignore
 * for (const line of missingPrerequisites(localBinaries())) console.error(line);
 * ```
 */
export function missingPrerequisites(binaries: Binaries): string[] {
  const missing = PREREQUISITES.filter((item) => !onPath(item.program))
    .map((item) => `${item.program}: install it with \`${item.install}\``);
  for (const runtime of RUNTIMES) {
    if (!isExecutable(binaries[runtime])) {
      missing.push(`${binaries[runtime]}: run \`npm install\` in ${ROOT}`);
    }
  }
  return missing;
}
