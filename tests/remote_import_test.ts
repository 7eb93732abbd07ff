import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join, normalize } from "node:path";
import process from "node:process";
import { finished, ROOT } from "./support/cli_process.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";
import { VERSION } from "../src/version.ts";

const DENO = join(ROOT, "node_modules", ".bin", "deno");
const PUBLISHED: string[] = JSON.parse(readFileSync(join(ROOT, "deno.json"), "utf8")).publish
  .include;

function isPublished(path: string): boolean {
  return PUBLISHED.some((entry) => entry.endsWith("/") ? path.startsWith(entry) : path === entry);
}

/** Serves the published files over http, as JSR serves them over https: nothing else is there. */
function servePackage(): Promise<Server> {
  const server = createServer(async (request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url!, "http://x").pathname))
      .replace(/^\/+/, "");
    if (path.startsWith("..") || !isPublished(path)) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(join(ROOT, path));
      const type = path.endsWith(".json")
        ? "application/json"
        : path.endsWith(".ts")
        ? "application/typescript"
        : "text/plain";
      response.writeHead(200, { "content-type": type }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("the CLI run from a URL, as `deno run jsr:@rkllm/models/cli` runs it", () => {
  let server: Server;
  let root: string;
  let base: string;
  before(async () => {
    server = await servePackage();
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    root = makeTempDir("rkllm-remote-");
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    removeDir(root);
  });

  const runRemote = (args: string[]) =>
    finished(spawn(DENO, ["run", "-A", "--no-config", `${base}/cli.ts`, ...args], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: root,
        DENO_DIR: join(root, "deno-dir"),
        HF_HOME: join(root, "no-hf-home"),
        NO_COLOR: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    }));

  it("loads the shipped models config with the code, not from a local path", async () => {
    const version = await runRemote(["--version"]);
    assert.equal(version.code, 0, version.stderr);
    assert.equal(version.stdout.trim(), `rkllm-models ${VERSION}`);

    const search = await runRemote(["search", "--json"]);
    assert.equal(search.code, 0, search.stdout + search.stderr);
    const shipped = JSON.parse(readFileSync(join(ROOT, "configs", "models.json"), "utf8"));
    assert.deepEqual(JSON.parse(search.stdout), shipped.REPOSITORY_SUGGESTIONS);
  });
});
