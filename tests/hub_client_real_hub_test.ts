import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { resolveFile } from "../src/hub/resolve_file.ts";
import { deterministicBytes, gitBlobSha1, type HubRepoSpec } from "./support/hub_server.ts";
import { bytesOf, GATED, QWEN, QWEN_FILE, standardHub, TOKENS } from "./support/fixtures.ts";
import { parseNdjson } from "./support/cli_process.ts";
import { assertSameBytes, managerFor, pathIn } from "./support/download_harness.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { startAliasServer, startScriptedServer, type TestServer } from "./support/test_servers.ts";

/** What huggingface.co sends on every answer. */
const RATE_LIMIT_POLICY = { "RateLimit-Policy": '"fixed window";"api";q=500;w=300' };

/** The files a download of {@linkcode QWEN} brings. */
const QWEN_DOWNLOADED = [
  QWEN_FILE,
  "config.json",
  "generation_config.json",
  "tokenizer_config.json",
  "tokenizer.json",
];

const UNDERSCORE: HubRepoSpec = {
  id: "_private-lab/_Tiny-rk3588",
  files: [{ path: "_Tiny-rk3588-w8a8.rkllm", content: deterministicBytes(4096, 5) }],
};

describe("RateLimit on every answer: only a used-up 429 waits for the window", () => {
  const bed = useHubTestBed(standardHub());

  function retryEvents(stderr: string) {
    return parseNdjson(stderr).filter((event) => event.event === "retry");
  }

  it("retries a 503 carrying RateLimit t=300 after its own backoff", async () => {
    bed.hub.addFault({
      origin: "hub",
      pathIncludes: "/tree/",
      status: 503,
      times: 1,
      headers: { RateLimit: '"api";r=499;t=300', ...RATE_LIMIT_POLICY },
    });
    const result = await bed.cli(["download", QWEN.id, "--dir", bed.newDir(), "--progress=json"]);
    assert.equal(result.code, 0, result.stderr);
    const [retry] = retryEvents(result.stderr);
    assert.ok(retry.delayMs < 1000, `waited ${retry.delayMs} ms, not the 300 s window`);
    assert.match(retry.reason, /503/);
  });

  it("waits t= seconds after a 429 with r=0, and says so", async () => {
    bed.hub.addFault({
      origin: "hub",
      pathIncludes: "/tree/",
      status: 429,
      times: 1,
      headers: { RateLimit: '"api";r=0;t=1', ...RATE_LIMIT_POLICY },
    });
    const json = await bed.cli(["download", QWEN.id, "--dir", bed.newDir(), "--progress=json"]);
    assert.equal(json.code, 0, json.stderr);
    const [retry] = retryEvents(json.stderr);
    assert.equal(retry.delayMs, 1000);
    assert.equal(retry.reason, "rate limited by the Hub");
    assert.equal(retry.nextAttempt, 2);
    assert.equal(retry.attempts, 5);

    bed.hub.addFault({
      origin: "hub",
      pathIncludes: "/tree/",
      status: 429,
      times: 1,
      headers: { RateLimit: '"api";r=0;t=1' },
    });
    const plain = await bed.cli(["download", QWEN.id, "--dir", bed.newDir(), "--progress=plain"]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.match(
      plain.stderr,
      new RegExp(`retrying ${QWEN.id} in 1 s \\(2/5\\): rate limited by the Hub`),
    );
  });
});

describe("an endpoint that is a Hub alias (absolute 307/308 to another host)", () => {
  const bed = useHubTestBed(standardHub());
  let alias: TestServer;
  let permanent: TestServer;
  before(async () => {
    alias = await startAliasServer(bed.hub.endpoint);
    permanent = await startAliasServer(bed.hub.endpoint, 308);
  });
  after(async () => {
    await alias.close();
    await permanent.close();
  });

  it("downloads byte-identical files with the CLI", async () => {
    const dir = bed.newDir();
    const result = await bed.cli(["download", QWEN.id, "--dir", dir, "--endpoint", alias.url]);
    assert.equal(result.code, 0, result.stderr);
    for (const file of QWEN_DOWNLOADED) {
      assertSameBytes(pathIn(dir, QWEN, file), bytesOf(QWEN, file), file);
    }
    assert.ok(alias.seen.some((target) => target.includes("/resolve/")), "resolve went through it");
    assert.ok(alias.seen.some((target) => target.startsWith("/api/models/")), "the API too");
  });

  it("follows a 308 from a mirror the same way", async () => {
    const dir = bed.newDir();
    const { manager } = managerFor(bed.hub, dir, { endpoint: permanent.url });
    await manager.downloadModel(QWEN.id);
    assertSameBytes(pathIn(dir, QWEN, QWEN_FILE), bytesOf(QWEN, QWEN_FILE));
  });

  it("never sends the token past the alias, and names the host to use when access fails", async () => {
    const { code, stderr, requests } = await bed.observed([
      "download",
      GATED.id,
      "--dir",
      bed.newDir(),
      "--endpoint",
      alias.url,
      "--token",
      TOKENS.approved,
    ]);
    assert.equal(code, 4, stderr);
    assert.ok(requests.length > 0);
    assert.ok(requests.every((request) => request.headers.authorization === undefined));
    assert.match(stderr, new RegExp(`hint: .*use --endpoint ${bed.hub.endpoint}`));
  });
});

describe("small files through the Hub's resolve cache (relative 307)", () => {
  const bed = useHubTestBed({ repos: [QWEN], resolveCache: true });

  it("reads the file's identity from the 200 behind the 307", async () => {
    const content = bytesOf(QWEN, "config.json");
    const resolved = await resolveFile(
      {
        endpoint: bed.hub.endpoint,
        fetch: globalThis.fetch,
        retry: { attempts: 1 },
        offline: false,
      },
      {
        repo: { owner: QWEN.id.split("/")[0], name: QWEN.id.split("/")[1], id: QWEN.id },
        revision: "main",
        path: "config.json",
      },
    );
    assert.equal(resolved.size, content.length);
    assert.equal(resolved.etag, gitBlobSha1(content));
    assert.match(resolved.commit ?? "", /^[0-9a-f]{40}$/);
    assert.match(resolved.contentUrl.pathname, /^\/api\/resolve-cache\/models\//);
  });

  it("downloads and verifies the small files", async () => {
    const dir = bed.newDir();
    const { code, stderr, requests } = await bed.observed(["download", QWEN.id, "--dir", dir]);
    assert.equal(code, 0, stderr);
    assert.ok(requests.some((request) => request.path.startsWith("/api/resolve-cache/")));
    for (const file of QWEN_DOWNLOADED) {
      assertSameBytes(pathIn(dir, QWEN, file), bytesOf(QWEN, file), file);
    }
  });
});

describe("search asks as the Hub expects", () => {
  const bed = useHubTestBed({ repos: [QWEN, UNDERSCORE] });

  it("asks with expand= for what the table shows, without direction", async () => {
    const { code, stdout, stderr, requests } = await bed.observed(["search", "qwen"]);
    assert.equal(code, 0, stderr);
    const searches = requests.filter((request) => request.path === "/api/models");
    assert.ok(searches.length > 0);
    for (const request of searches) {
      const params = new URL(request.url, bed.hub.endpoint).searchParams;
      assert.equal(params.get("direction"), null);
      assert.deepEqual(params.getAll("expand"), ["downloads", "likes", "lastModified", "tags"]);
    }
    assert.match(stdout, /^REPO +DOWNLOADS +MODIFIED$/m);
    assert.match(stdout, new RegExp(`^${QWEN.id} +1234 +2025-01-01$`, "m"));
  });

  it("shows a result without lastModified", async () => {
    const hub = await startScriptedServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify([{ id: "someone/qwen-rk3588", downloads: 7, tags: [] }]));
    });
    try {
      const result = await bed.cli(["search", "qwen", "--endpoint", hub.url]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^someone\/qwen-rk3588 +7 +-$/m);
    } finally {
      await hub.close();
    }
  });

  it("downloads a repository whose owner and name start with _", async () => {
    const dir = bed.newDir();
    const result = await bed.cli(["download", UNDERSCORE.id, "--dir", dir]);
    assert.equal(result.code, 0, result.stderr);
    const file = UNDERSCORE.files[0].path;
    assertSameBytes(join(dir, "_private-lab", "_Tiny-rk3588", file), bytesOf(UNDERSCORE, file));
  });
});
