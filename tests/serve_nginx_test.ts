/**
 * `deploy/nginx/rkllm-models.conf` in front of `serve`: several clients at
 * once through nginx cause one transfer of the file from `serve`; HEAD and
 * `/api` pass through. Starts Debian's nginx (installed by `.ci/run`) as the
 * test's own process, with a temporary prefix, on loopback ports.
 */
import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, watch, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ModelManager } from "../src/model_manager.ts";
import { type ServeHandle, serveStore } from "../src/serve/serve_store.ts";
import { ROOT } from "./support/cli_process.ts";
import { deadEndpoint } from "./support/dead_endpoint.ts";
import { fileSha256, fillStore } from "./support/fleet.ts";
import { type HubRepoSpec, type HubServer, startHubServer } from "./support/hub_server.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((path) => existsSync(path));
const SIZE = 40 * 1024 * 1024 + 123;
const FILE = "Cached-rk3588-w8a8.rkllm";
const REPO: HubRepoSpec = {
  id: "fleet/Cached-rk3588",
  files: [
    { path: "config.json", content: '{"model_type":"qwen2"}' },
    { path: FILE, source: { size: SIZE, seed: 8080 } },
  ],
};

/** The repository's nginx configuration, pointed at this test's serve, port and directories. */
function nginxConfig(prefix: string, ports: { nginx: number; serve: number }): string {
  const site = readFileSync(join(ROOT, "deploy/nginx/rkllm-models.conf"), "utf8")
    .replace("/var/cache/nginx/rkllm-models", join(prefix, "cache"))
    .replace("server 127.0.0.1:8090;", `server 127.0.0.1:${ports.serve};`)
    .replace("listen 8080;", `listen 127.0.0.1:${ports.nginx};`);
  assert.ok(site.includes(`127.0.0.1:${ports.nginx}`) && site.includes(join(prefix, "cache")));
  return [
    "daemon off;",
    "master_process off;",
    "worker_processes 1;",
    `pid ${join(prefix, "nginx.pid")};`,
    `error_log ${join(prefix, "error.log")} warn;`,
    "events { worker_connections 256; }",
    "http {",
    "  access_log off;",
    ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((kind) =>
      `  ${kind === "proxy" ? "proxy" : kind}_temp_path ${join(prefix, `${kind}_temp`)};`
    ),
    site,
    "}",
  ].join("\n");
}

/**
 * Resolves once nginx has written its pid file: it opens its listening sockets before it
 * writes it, so from then on a connection waits in the backlog instead of being refused.
 * Fails naming what never came: the pid file, or nginx itself when it exits first.
 */
function nginxReady(child: ChildProcess, pidFile: string): Promise<void> {
  let stderr = "";
  child.stderr?.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const watcher = watch(dirname(pidFile));
    const bound = setTimeout(
      () => finish(new Error(`nginx wrote no pid file ${pidFile} within 30 s: ${stderr}`)),
      30_000,
    );
    const onExit = (code: number | null) =>
      finish(new Error(`nginx exited (${code}) before it was ready: ${stderr}`));
    function finish(error?: Error): void {
      clearTimeout(bound);
      watcher.close();
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve();
    }
    const check = () => {
      if (existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() === String(child.pid)) {
        finish();
      }
    };
    watcher.on("change", check);
    child.once("exit", onExit);
    check();
  });
}

describe("nginx in front of serve (deploy/nginx)", () => {
  let hub: HubServer;
  let root: string;
  let serve: ServeHandle;
  let nginx: ChildProcess | undefined;
  let front: string;

  before(async () => {
    assert.ok(NGINX, "nginx is not installed: apt-get install nginx-light (.ci/run does)");
    hub = await startHubServer({ repos: [REPO] });
    root = makeTempDir();
    const store = join(root, "store");
    await fillStore(hub.endpoint, store, [{ repo: REPO.id }]);
    serve = await serveStore(store, { port: 0, onWarning: () => {} });
    const prefix = join(root, "nginx");
    mkdirSync(join(prefix, "cache"), { recursive: true });
    const port = Number(new URL(await deadEndpoint()).port);
    writeFileSync(
      join(prefix, "nginx.conf"),
      nginxConfig(prefix, { nginx: port, serve: serve.port }),
    );
    nginx = spawn(NGINX!, [
      "-p",
      prefix,
      "-c",
      join(prefix, "nginx.conf"),
      "-e",
      join(prefix, "error.log"),
    ], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    front = `http://127.0.0.1:${port}`;
    await nginxReady(nginx, join(prefix, "nginx.pid"));
  });
  after(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx!.once("exit", resolve));
      nginx.kill("SIGTERM");
      await exited;
    }
    await serve?.close();
    await hub?.close();
    removeDir(root);
  });

  it("several clients at once through nginx cause one transfer from serve", async () => {
    const before = serve.stats.bodyBytes;
    const commit = (await (await fetch(`${front}/api/models/${REPO.id}`)).json()).sha;
    const url = `${front}/${REPO.id}/resolve/${commit}/${FILE}`;
    const plain = [1, 2, 3].map(async () =>
      new Uint8Array(await (await fetch(url)).arrayBuffer()).length
    );
    const ours = [1, 2].map(async (index) => {
      const manager = new ModelManager({
        endpoint: front,
        modelsDir: join(root, `client-${index}`),
        onWarning: () => {},
      });
      return (await manager.downloadModel(REPO.id)).path;
    });
    const lengths = await Promise.all(plain);
    lengths.forEach((length) => assert.equal(length, SIZE));
    const expected = fileSha256(join(root, "store", REPO.id, FILE));
    for (const path of await Promise.all(ours)) assert.equal(fileSha256(path), expected);
    const sent = serve.stats.bodyBytes - before;
    assert.ok(sent >= SIZE && sent <= SIZE * 1.3, `serve sent ${sent} bytes for ${SIZE}`);
    const again = serve.stats.bodyBytes;
    const cached = await fetch(url);
    assert.equal(cached.headers.get("x-cache-status"), "HIT");
    await cached.arrayBuffer();
    assert.equal(serve.stats.bodyBytes, again);
  });

  it("passes HEAD, /api and branch URLs through to serve", async () => {
    const requests = serve.stats.requests;
    const commit = (await (await fetch(`${front}/api/models/${REPO.id}`)).json()).sha;
    const head = await fetch(`${front}/${REPO.id}/resolve/${commit}/${FILE}`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("x-linked-size"), String(SIZE));
    assert.equal(head.headers.get("x-repo-commit"), commit);
    const branch = await fetch(`${front}/${REPO.id}/resolve/main/${FILE}`, { redirect: "manual" });
    assert.equal(branch.status, 307);
    assert.equal(branch.headers.get("location"), `/${REPO.id}/resolve/${commit}/${FILE}`);
    await branch.body?.cancel();
    assert.equal(serve.stats.requests, requests + 3);
  });
});
