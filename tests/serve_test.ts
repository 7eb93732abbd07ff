/**
 * `serve` over a store: the Hugging Face surface official clients rely on
 * (`/work/shared/hf-hub-protocol.md` §9), answered from the store alone, with
 * our CLI, `@huggingface/hub` and the Python client as referees.
 */
import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  downloadFile,
  fileDownloadInfo,
  HubApiError,
  listFiles,
  snapshotDownload,
} from "@huggingface/hub";
import { type ServeHandle, serveStore } from "../src/serve/serve_store.ts";
import { runCli } from "./support/cli_process.ts";
import { fileSha256, fillStore, runVenv } from "./support/fleet.ts";
import { GATED, MULTI, QWEN, QWEN_FILE } from "./support/fixtures.ts";
import { type HubServer, startHubServer } from "./support/hub_server.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";
import { skipPythonReferee } from "./support/official_python.ts";
import { skipWhen } from "./support/skips.ts";

const MULTI_FILE = "TinyLlama-1.1B-Chat-v1.0-rk3588-w8a8-opt-0-hybrid-ratio-0.5.rkllm";

describe("serve: a store as a Hugging Face endpoint", () => {
  let hub: HubServer;
  let root: string;
  let store: string;
  let server: ServeHandle;
  let record: { revision: string; files: Record<string, { sha256?: string; gitSha1?: string }> };

  before(async () => {
    hub = await startHubServer({ repos: [QWEN, MULTI, GATED] });
    root = makeTempDir();
    store = join(root, "store");
    await fillStore(hub.endpoint, store, [
      { repo: QWEN.id },
      { repo: MULTI.id, file: MULTI_FILE },
      { repo: GATED.id, token: "hf_mirror" },
    ]);
    record = JSON.parse(readFileSync(join(store, QWEN.id, ".rkllm-models.json"), "utf8"));
    server = await serveStore(store, { port: 0, onWarning: () => {} });
  });
  after(async () => {
    await server?.close();
    await hub?.close();
    removeDir(root);
  });

  function storeFile(repo: string, path: string): string {
    return join(store, repo, path);
  }

  it("answers resolve by commit with 200 and the metadata clients read, Range with 206, past the end with 416", async () => {
    const url = `${server.url}/${QWEN.id}/resolve/${record.revision}/${QWEN_FILE}`;
    const sha256 = record.files[QWEN_FILE].sha256!;
    const head = await fetch(url, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("x-repo-commit"), record.revision);
    assert.equal(head.headers.get("etag"), `"${sha256}"`);
    assert.equal(head.headers.get("x-linked-etag"), `"${sha256}"`);
    const size = readFileSync(storeFile(QWEN.id, QWEN_FILE)).length;
    assert.equal(head.headers.get("x-linked-size"), String(size));
    assert.equal(head.headers.get("content-length"), String(size));
    assert.equal(head.headers.get("accept-ranges"), "bytes");
    assert.equal(head.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal(head.headers.get("content-encoding"), null);
    assert.ok(![...head.headers.keys()].some((name) => name.startsWith("x-xet")));
    const slice = await fetch(url, { headers: { Range: "bytes=10-19" } });
    assert.equal(slice.status, 206);
    assert.equal(slice.headers.get("content-range"), `bytes 10-19/${size}`);
    assert.deepEqual(
      new Uint8Array(await slice.arrayBuffer()),
      new Uint8Array(readFileSync(storeFile(QWEN.id, QWEN_FILE)).subarray(10, 20)),
    );
    const beyond = await fetch(url, { headers: { Range: `bytes=${size}-` } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get("content-range"), `bytes */${size}`);
    await beyond.body?.cancel();
    const config = await fetch(
      `${server.url}/${QWEN.id}/resolve/${record.revision}/config.json`,
      { method: "HEAD" },
    );
    assert.equal(config.headers.get("etag"), `"${record.files["config.json"].gitSha1}"`);
  });

  it("answers resolve by branch with a relative 307 to the commit, carrying the metadata", async () => {
    const response = await fetch(`${server.url}/${QWEN.id}/resolve/main/config.json`, {
      redirect: "manual",
    });
    assert.equal(response.status, 307);
    assert.equal(
      response.headers.get("location"),
      `/${QWEN.id}/resolve/${record.revision}/config.json`,
    );
    assert.equal(response.headers.get("x-repo-commit"), record.revision);
    assert.equal(response.headers.get("x-linked-etag"), `"${record.files["config.json"].gitSha1}"`);
    assert.ok(response.headers.get("x-linked-size"));
    assert.equal(response.headers.get("cache-control"), "no-cache");
  });

  it("answers repo info, tree (lfs keys, no xetHash) and paths-info (JSON and form bodies)", async () => {
    for (const path of [`/api/models/${QWEN.id}`, `/api/models/${QWEN.id}/revision/HEAD`]) {
      const response = await fetch(`${server.url}${path}`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("cache-control"), "no-cache");
      assert.ok(response.headers.get("etag"));
      const info = await response.json();
      assert.equal(info.id, QWEN.id);
      assert.equal(info.sha, record.revision);
      assert.equal(info.private, false);
      assert.equal(info.gated, false);
      assert.ok(info.lastModified);
      assert.deepEqual(
        info.siblings.map((item: { rfilename: string }) => item.rfilename).sort(),
        Object.keys(record.files).sort(),
      );
    }
    const byCommit = await fetch(`${server.url}/api/models/${QWEN.id}/revision/${record.revision}`);
    assert.equal(byCommit.headers.get("cache-control"), "public, max-age=31536000, immutable");
    await byCommit.body?.cancel();
    const tree = await (await fetch(
      `${server.url}/api/models/${QWEN.id}/tree/main?recursive=true&expand=false`,
    )).json();
    const model = tree.find((entry: { path: string }) => entry.path === QWEN_FILE);
    assert.deepEqual(Object.keys(model.lfs).sort(), ["oid", "pointerSize", "size"]);
    assert.equal(model.lfs.oid, record.files[QWEN_FILE].sha256);
    assert.ok(!JSON.stringify(tree).includes("xetHash"));
    const json = await (await fetch(`${server.url}/api/models/${QWEN.id}/paths-info/main`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ paths: ["config.json", "nope.json"], expand: true }),
    })).json();
    assert.deepEqual(json.map((entry: { path: string }) => entry.path), ["config.json"]);
    const form = await (await fetch(`${server.url}/api/models/${QWEN.id}/paths-info/main`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `paths=config.json&paths=${encodeURIComponent(QWEN_FILE)}&expand=false`,
    })).json();
    assert.deepEqual(form.map((entry: { path: string }) => entry.path), ["config.json", QWEN_FILE]);
  });

  it("answers 404 with the Hub's error codes", async () => {
    const unknownCommit = await fetch(
      `${server.url}/api/models/${QWEN.id}/revision/${"c".repeat(40)}`,
    );
    assert.equal(unknownCommit.status, 404);
    assert.equal(unknownCommit.headers.get("x-error-code"), "RevisionNotFound");
    await unknownCommit.body?.cancel();
    const missing = await fetch(`${server.url}/${QWEN.id}/resolve/${record.revision}/nope.json`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get("x-error-code"), "EntryNotFound");
    assert.equal(missing.headers.get("x-repo-commit"), record.revision);
    await missing.body?.cancel();
    const repo = await fetch(`${server.url}/nobody/nothing/resolve/main/config.json`);
    assert.equal(repo.headers.get("x-error-code"), "RepoNotFound");
    await repo.body?.cancel();
  });

  it("never serves a file whose bytes on disk are not the recorded ones (a partial, a truncation)", async () => {
    const path = storeFile(MULTI.id, "config.json");
    const original = readFileSync(path);
    writeFileSync(path, original.subarray(0, 3));
    try {
      const response = await fetch(`${server.url}/${MULTI.id}/resolve/main/config.json`, {
        redirect: "manual",
      });
      assert.equal(response.status, 404);
      assert.equal(response.headers.get("x-error-code"), "EntryNotFound");
      await response.body?.cancel();
    } finally {
      writeFileSync(path, original);
    }
  });

  it("refuses a gated repository unless --allow-private", async () => {
    const refused = await fetch(`${server.url}/api/models/${GATED.id}`);
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get("x-error-code"), "GatedRepo");
    await refused.body?.cancel();
    const open = await serveStore(store, { port: 0, allowPrivate: true });
    try {
      const response = await fetch(`${open.url}/api/models/${GATED.id}`);
      assert.equal(response.status, 200);
      assert.equal((await response.json()).gated, "manual");
    } finally {
      await open.close();
    }
  });

  it("our CLI downloads byte-identical models from it, and the upstream Hub sees nothing", async () => {
    const before = hub.requests.length;
    const target = join(root, "cli-copy");
    for (const [repo, file] of [[QWEN.id, QWEN_FILE], [MULTI.id, MULTI_FILE]]) {
      const result = await runCli(["download", repo, file, "--dir", target, "--json"], {
        env: { HF_ENDPOINT: server.url },
        cwd: root,
      });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(fileSha256(join(target, repo, file)), fileSha256(storeFile(repo, file)));
      assert.equal(
        fileSha256(join(target, repo, "config.json")),
        fileSha256(storeFile(repo, "config.json")),
      );
    }
    assert.equal(hub.requests.length, before);
  });

  it("@huggingface/hub lists, inspects and downloads byte-identical files from it", async () => {
    const before = hub.requests.length;
    const hubUrl = server.url;
    const listed = [];
    for await (const entry of listFiles({ repo: QWEN.id, hubUrl, recursive: true })) {
      listed.push(entry.path);
    }
    assert.deepEqual(listed.sort(), Object.keys(record.files).sort());
    const info = await fileDownloadInfo({ repo: QWEN.id, path: QWEN_FILE, hubUrl });
    assert.equal(info?.etag, `"${record.files[QWEN_FILE].sha256}"`);
    const blob = await downloadFile({ repo: QWEN.id, path: QWEN_FILE, hubUrl });
    assert.ok(blob);
    assert.deepEqual(
      new Uint8Array(await blob.arrayBuffer()),
      new Uint8Array(readFileSync(storeFile(QWEN.id, QWEN_FILE))),
    );
    const cacheDir = join(root, "js-cache");
    mkdirSync(cacheDir, { recursive: true });
    const snapshot = await snapshotDownload({ repo: MULTI.id, hubUrl, cacheDir });
    for (const path of ["config.json", MULTI_FILE]) {
      assert.equal(fileSha256(join(snapshot, path)), fileSha256(storeFile(MULTI.id, path)));
    }
    assert.equal(hub.requests.length, before);
  });

  it(
    "the Python client (hf_hub_download, snapshot_download, hf download) gets byte-identical files",
    {
      skip: skipWhen("tests/serve_test.ts (the Python client)", skipPythonReferee),
    },
    async () => {
      const before = hub.requests.length;
      const env = { HF_ENDPOINT: server.url, HF_HOME: join(root, "py-home") };
      const script = [
        "import sys",
        "from huggingface_hub import hf_hub_download, snapshot_download",
        `print(hf_hub_download(${JSON.stringify(QWEN.id)}, ${JSON.stringify(QWEN_FILE)}))`,
        `print(snapshot_download(${JSON.stringify(MULTI.id)}))`,
      ].join("\n");
      const result = await runVenv(["-c", script], env);
      assert.equal(result.code, 0, result.stderr);
      const [file, snapshot] = result.stdout.trim().split("\n");
      assert.equal(fileSha256(file), fileSha256(storeFile(QWEN.id, QWEN_FILE)));
      assert.equal(
        fileSha256(join(snapshot, MULTI_FILE)),
        fileSha256(storeFile(MULTI.id, MULTI_FILE)),
      );
      const local = join(root, "hf-cli");
      const cli = await runVenv(
        ["download", QWEN.id, "config.json", QWEN_FILE, "--local-dir", local],
        env,
        { program: "hf" },
      );
      assert.equal(cli.code, 0, cli.stderr);
      assert.equal(fileSha256(join(local, QWEN_FILE)), fileSha256(storeFile(QWEN.id, QWEN_FILE)));
      assert.equal(hub.requests.length, before);
    },
  );
});

describe("serve --upstream: an unknown revision is answered as the Hub answers it", () => {
  let hub: HubServer;
  let root: string;
  let mirror: ServeHandle;

  before(async () => {
    hub = await startHubServer({ repos: [QWEN] });
    root = makeTempDir();
    // An empty store: every answer comes from upstream, none from a stored record.
    mirror = await serveStore(join(root, "mirror"), {
      port: 0,
      upstream: hub.endpoint,
      pullAny: true,
      onWarning: () => {},
    });
  });
  after(async () => {
    await mirror?.close();
    await hub?.close();
    removeDir(root);
  });

  it("404 with X-Error-Code RevisionNotFound and the Hub's message, not RepoNotFound", async () => {
    const response = await fetch(`${mirror.url}/api/models/${QWEN.id}/revision/no-such-branch`);
    assert.equal(response.status, 404);
    assert.equal(response.headers.get("x-error-code"), "RevisionNotFound");
    assert.equal(response.headers.get("x-error-message"), "Invalid rev id: no-such-branch");
    assert.deepEqual(await response.json(), { error: "Invalid rev id: no-such-branch" });
  });

  it("@huggingface/hub relays the Hub's revision error, not a missing repository", async () => {
    await assert.rejects(
      fileDownloadInfo({
        repo: QWEN.id,
        path: "config.json",
        revision: "no-such-branch",
        hubUrl: mirror.url,
      }),
      (error: unknown) =>
        error instanceof HubApiError && error.statusCode === 404 &&
        (error.data as { error?: string }).error === "Invalid rev id: no-such-branch",
    );
  });

  it("the Python client raises RevisionNotFoundError", {
    skip: skipWhen(
      "tests/serve_test.ts (the Python client, an unknown revision)",
      skipPythonReferee,
    ),
  }, async () => {
    const script = [
      "from huggingface_hub import hf_hub_download",
      "from huggingface_hub.errors import RevisionNotFoundError, RepositoryNotFoundError",
      "try:",
      `    hf_hub_download(${JSON.stringify(QWEN.id)}, "config.json", revision="no-such-branch")`,
      "except RevisionNotFoundError:",
      "    print('RevisionNotFoundError')",
      "except RepositoryNotFoundError:",
      "    print('RepositoryNotFoundError')",
    ].join("\n");
    const env = { HF_ENDPOINT: mirror.url, HF_HOME: join(root, "py-home") };
    const result = await runVenv(["-c", script], env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), "RevisionNotFoundError");
  });
});
