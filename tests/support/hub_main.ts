/**
 * Run the Hub emulator standalone, for people, demos and benchmarks:
 *
 * ```sh
 * node tests/support/hub_main.ts --sample
 * deno run -A tests/support/hub_main.ts --port 8080 --repo me/model=./some/dir
 * bun tests/support/hub_main.ts --large me/big:model.rkllm:2G --bytes-per-second 50000000
 * ```
 *
 * `--real-hub` answers as huggingface.co does in 2026 (RateLimit headers, the resolve-cache 307,
 * Xet headers and bridge URLs, a CDN on 127.0.0.2 that refuses HEAD); `--alias 307` (or `308`)
 * adds a listener that redirects every request to the hub, as hf.co does.
 *
 * Prints one JSON line `{"endpoint": "...", "cdnOrigin": "..."}` (and `"aliasOrigin"` with
 * `--alias`) once listening, then serves until SIGTERM or SIGINT.
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import process from "node:process";
import { sampleRepo, startHubServer } from "./hub_server.ts";
import type { HubFileSpec, HubRepoSpec, HubServerOptions } from "./hub_server.ts";

const USAGE = `usage: hub_main.ts [--port N] [--cdn-port N] [--sample] [--repo owner/name=DIR]...
                   [--large owner/name:file.rkllm:SIZE]... [--bytes-per-second N] [--page-size N]
                   [--real-hub] [--alias 307|308]
  SIZE accepts a K, M or G suffix (powers of 1024).
  --real-hub answers as huggingface.co does in 2026; --alias adds a host that redirects to the hub.`;

/** The options of `--real-hub`: every mode in which huggingface.co answers differently today. */
const REAL_HUB: Partial<HubServerOptions> = {
  cdnHostname: "127.0.0.2",
  rateLimit: {},
  resolveCache: true,
  xet: true,
  cdnHeadStatus: 403,
};

/**
 * Parse the command line into server options.
 *
 * @example
 * ```ts
 * const options = parseArguments(["--sample", "--port", "0"]);
 * ```
 */
export function parseArguments(args: string[]): HubServerOptions {
  const repos = new Map<string, HubRepoSpec>();
  const options: HubServerOptions = { repos: [] };
  const repoFor = (id: string) => {
    const repo = repos.get(id) ?? { id, files: [] };
    repos.set(id, repo);
    return repo;
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = () => {
      const next = args[++i];
      if (next === undefined) throw new Error(`give a value after ${flag}\n${USAGE}`);
      return next;
    };
    if (flag === "--port") options.port = toCount(value(), flag);
    else if (flag === "--cdn-port") options.cdnPort = toCount(value(), flag);
    else if (flag === "--bytes-per-second") options.bytesPerSecond = toCount(value(), flag);
    else if (flag === "--page-size") options.pageSize = toCount(value(), flag);
    else if (flag === "--sample") repos.set(sampleRepo().id, sampleRepo());
    else if (flag === "--real-hub") Object.assign(options, REAL_HUB);
    else if (flag === "--alias") options.aliasHost = { status: toRedirectStatus(value()) };
    else if (flag === "--repo") {
      const [id, dir] = splitOnce(value(), "=", flag);
      repoFor(id).files.push(...filesIn(dir));
    } else if (flag === "--large") {
      const spec = value();
      const [id, rest] = splitOnce(spec, ":", flag);
      const [path, size] = splitOnce(rest, ":", flag);
      repoFor(id).files.push({ path, source: { size: toSize(size), seed: seedOf(spec) } });
    } else if (flag === "--help" || flag === "-h") throw new Error(USAGE);
    else throw new Error(`drop the unknown option ${flag}\n${USAGE}`);
  }
  options.repos = [...repos.values()];
  if (options.repos.length === 0) throw new Error(`add --sample, --repo or --large\n${USAGE}`);
  return options;
}

function splitOnce(text: string, separator: string, flag: string): [string, string] {
  const at = text.indexOf(separator);
  if (at <= 0 || at === text.length - 1) {
    throw new Error(`write ${flag} as owner/name${separator}... (got ${text})\n${USAGE}`);
  }
  return [text.slice(0, at), text.slice(at + 1)];
}

function toCount(text: string, flag: string): number {
  const count = Number(text);
  if (!Number.isInteger(count) || count < 0) {
    throw new Error(`give ${flag} a whole number, not ${text}`);
  }
  return count;
}

function toRedirectStatus(text: string): 307 | 308 {
  if (text === "307" || text === "308") return Number(text) as 307 | 308;
  throw new Error(`give --alias 307 or 308, not ${text}`);
}

function toSize(text: string): number {
  const match = /^(\d+)([KMG]?)i?B?$/i.exec(text);
  if (!match) throw new Error(`write the size as bytes or with K/M/G, not ${text}`);
  const power = ["", "K", "M", "G"].indexOf(match[2].toUpperCase());
  return Number(match[1]) * 1024 ** power;
}

function seedOf(text: string): number {
  let seed = 2166136261;
  for (const char of text) seed = Math.imul(seed ^ (char.codePointAt(0) ?? 0), 16777619) >>> 0;
  return seed;
}

function filesIn(dir: string): HubFileSpec[] {
  const entries = readdirSync(dir, { recursive: true, encoding: "utf8" });
  return entries
    .map((entry) => join(dir, entry))
    .filter((path) => statSync(path).isFile())
    .map((path) => relative(dir, path).split(sep).join("/"))
    .filter((path) => !path.startsWith(".git/"))
    .map((path) => ({ path, content: new Uint8Array(readFileSync(join(dir, path))) }));
}

async function main(): Promise<void> {
  let options: HubServerOptions;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  const server = await startHubServer(options);
  const { endpoint, cdnOrigin, aliasOrigin } = server;
  process.stdout.write(
    JSON.stringify({ endpoint, cdnOrigin, ...(aliasOrigin ? { aliasOrigin } : {}) }) + "\n",
  );
  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (import.meta.main) await main();
