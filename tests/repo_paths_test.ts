/**
 * One rule for a file path inside a repository: the Hub listing, the record
 * check, `serve` and `import` refuse exactly the same paths, and accept nested
 * monorepo paths.
 */
import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { dirname, join } from "node:path";
import { importStore } from "../src/fleet/import_store.ts";
import { listRepoFiles } from "../src/hub/list_files.ts";
import { recordProblem } from "../src/store/record_check.ts";
import { type ServeHandle, serveStore } from "../src/serve/serve_store.ts";
import { startScriptedServer, type TestServer } from "./support/test_servers.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

const REPO = "paths/Paths-rk3588";
const SHA = "0123456789abcdef0123456789abcdef01234567";

const GOOD = [
  "config.json",
  "sub/dir/file.json",
  "a..b.rkllm",
  ".gitattributes",
  "n".repeat(200),
  `${"d/".repeat(500)}x`,
];
const BAD = [
  "../x",
  "a/../../x",
  "x/..",
  "/abs",
  "a//b",
  "a/./b",
  ".",
  "..",
  "a\\b",
  "a/b\0c",
  "a/\u0001",
  "C:/x",
  "n".repeat(256),
  `${"d/".repeat(512)}x`,
];

function record(paths: string[], content = "x") {
  const sha256 = createHash("sha256").update(content).digest("hex");
  const entry = { size: content.length, sha256, revision: SHA, downloadedAt: "2026-01-01" };
  return {
    version: 2,
    repo: REPO,
    revision: SHA,
    files: Object.fromEntries(paths.map((path) => [path, entry])),
  };
}

/** The listing leg: a Hub whose tree lists the path. */
async function listingRefuses(path: string): Promise<boolean> {
  let server: TestServer | undefined;
  try {
    server = await startScriptedServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify([{ type: "file", path, size: 1, oid: "0".repeat(40) }]));
    });
    const connection = {
      endpoint: server.url,
      fetch: globalThis.fetch,
      retry: { attempts: 1 },
      offline: false,
    };
    const repo = { owner: "paths", name: "Paths-rk3588", id: REPO };
    return await listRepoFiles(connection, repo, { revision: SHA }).then(() => false, () => true);
  } finally {
    await server?.close();
  }
}

/** The serve leg: a request for the path, sent as written (no URL normalisation). */
function serveStatus(url: string, path: string): Promise<number> {
  const encoded = path.split("/").map((part) => encodeURIComponent(part).replaceAll(".", "%2E"))
    .join("/");
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    get({ hostname, port, path: `/${REPO}/resolve/${SHA}/${encoded}` }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on("error", reject);
  });
}

describe("one repository-path rule", () => {
  let root: string;
  let server: ServeHandle;

  before(async () => {
    root = makeTempDir();
    const repoDir = join(root, "served", ...REPO.split("/"));
    for (const path of GOOD) {
      mkdirSync(dirname(join(repoDir, path)), { recursive: true });
      writeFileSync(join(repoDir, path), "x");
    }
    writeFileSync(join(repoDir, ".rkllm-models.json"), JSON.stringify(record(GOOD)));
    server = await serveStore(join(root, "served"), { port: 0, onWarning: () => {} });
  });
  after(async () => {
    await server?.close();
    removeDir(root);
  });

  /** Whether an import of a directory whose record names `path` refuses it. */
  async function importRefuses(path: string, index: number): Promise<boolean> {
    const stick = join(root, `stick-${index}`);
    const repoDir = join(stick, ...REPO.split("/"));
    mkdirSync(repoDir, { recursive: true });
    if (GOOD.includes(path)) {
      mkdirSync(dirname(join(repoDir, path)), { recursive: true });
      writeFileSync(join(repoDir, path), "x");
    }
    writeFileSync(join(repoDir, ".rkllm-models.json"), JSON.stringify(record([path])));
    const report = await importStore(stick, join(root, `board-${index}`), {
      onWarning: () => {},
    });
    return report.imported.length === 0;
  }

  it("the listing, the record check, serve and import refuse the same paths", async () => {
    const all = [...GOOD, ...BAD];
    for (const [index, path] of all.entries()) {
      const expected = BAD.includes(path);
      const name = JSON.stringify(path.length > 60 ? `${path.slice(0, 60)}…` : path);
      assert.equal(await listingRefuses(path), expected, `listing: ${name}`);
      assert.equal(recordProblem(record([path])) !== undefined, expected, `record: ${name}`);
      const status = await serveStatus(server.url, path);
      assert.equal(status === 400, expected, `serve: ${name} answered ${status}`);
      if (!expected) assert.equal(status, 200, `serve: ${name}`);
      assert.equal(await importRefuses(path, index), expected, `import: ${name}`);
    }
  });
});
