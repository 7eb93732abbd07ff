import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { ModelManager } from "../mod.ts";
import { terminalSafe } from "../src/cli/format.ts";
import { fetchRepoInfo } from "../src/hub/repo_info.ts";
import { listRepoFiles } from "../src/hub/list_files.ts";
import type { HubConnection } from "../src/http/hub_connection.ts";
import { deterministicBytes, type HubRepoSpec } from "./support/hub_server.ts";
import { bytesOf, QWEN, QWEN_FILE } from "./support/fixtures.ts";
import {
  assertSameBytes,
  filesUnder,
  managerFor,
  pathIn,
  rejectsWithCode,
} from "./support/download_harness.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { startScriptedServer, startSilentServer, type TestServer } from "./support/test_servers.ts";

const SHA = "0123456789abcdef0123456789abcdef01234567";

/** A connection to `endpoint` that retries once, quickly. */
function quickConnection(endpoint: string, extra: Partial<HubConnection> = {}): HubConnection {
  return {
    endpoint,
    fetch: globalThis.fetch,
    retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    offline: false,
    ...extra,
  };
}

/** A small repository whose model is served by the Hub itself (no LFS). */
const SMALL: HubRepoSpec = {
  id: "plain-org/Small-Model-rk3588",
  files: [
    { path: "config.json", content: JSON.stringify({ model_type: "qwen2" }) },
    { path: "Small-Model-rk3588-w8a8.rkllm", content: deterministicBytes(70_000, 77), lfs: false },
  ],
};

/** A repository whose listing is larger than a small JSON cap. */
const MANY_FILES: HubRepoSpec = {
  id: "many-org/Many-Files-rk3588",
  files: Array.from({ length: 60 }, (_, index) => ({
    path: `part-${String(index).padStart(3, "0")}.json`,
    content: `{"index":${index}}`,
  })),
};

const LONG_NAME = `${"n".repeat(300)}.rkllm`;
const LONG: HubRepoSpec = {
  id: "long-org/Long-Name-rk3588",
  files: [{ path: LONG_NAME, content: "x" }],
};

describe("a Hub that never answers fails in bounded time", () => {
  const bed = useHubTestBed({ repos: [QWEN, SMALL] });
  let silent: TestServer;
  before(async () => silent = await startSilentServer());
  after(() => silent.close());

  it("retries a request that gets no answer, then fails as a network error", async () => {
    const manager = new ModelManager({
      endpoint: silent.url,
      modelsDir: bed.newDir(),
      token: "",
      requestTimeoutMs: 300,
      retry: { attempts: 2, baseDelayMs: 1 },
    });
    const connectionsBefore = silent.seen.length;
    const error = await rejectsWithCode(manager.listRemoteFiles("o/n"), "network");
    assert.match(error.message, /no answer within 0\.3 s/);
    assert.equal(silent.seen.length - connectionsBefore, 2, "asked twice (one retry)");
  });

  for (const [what, fault] of [["repo info", "/api/models/"], ["file listing", "/tree/"]]) {
    it(`gives up on a ${what} whose body stops (idle between body bytes)`, async () => {
      bed.hub.addFault({ origin: "hub", pathIncludes: fault, stallAfterBytes: 10 });
      const { manager } = managerFor(bed.hub, bed.newDir(), { requestTimeoutMs: 300 });
      const error = await rejectsWithCode(manager.listRemoteFiles(QWEN.id), "network");
      assert.match(error.message, /no data for 0\.3 s while reading the answer/);
    });
  }

  it("the CLI's --idle-timeout bounds repo info, resolve and search, exiting 5, never 130", async () => {
    for (
      const [args, path] of [
        [["download", SMALL.id], "/api/models/"],
        [["download", SMALL.id], "/resolve/"],
        [["search", "qwen"], "/api/models"],
      ] as const
    ) {
      bed.hub.clearFaults();
      bed.hub.addFault({ origin: "hub", pathIncludes: path, noAnswer: true });
      const result = await bed.cli([
        ...args,
        "--dir",
        bed.newDir(),
        "--idle-timeout",
        "1",
        "--retries",
        "1",
      ]);
      assert.equal(result.code, 5, `${args.join(" ")} (${path}): ${result.stderr}`);
      assert.match(result.stderr, /no answer within 1 s/);
    }
  });
});

describe("compressed file bodies are refused the same way on every runtime", () => {
  const bed = useHubTestBed({ repos: [QWEN, SMALL] });

  it("fails clearly after retries, storing no compressed bytes", async () => {
    for (const [repo, origin] of [[QWEN, "cdn"], [SMALL, "hub"]] as const) {
      bed.hub.clearFaults();
      bed.hub.addFault({ origin, method: "GET", pathIncludes: ".rkllm", gzip: true });
      const dir = bed.newDir();
      const { manager } = managerFor(bed.hub, dir);
      const error = await rejectsWithCode(manager.downloadModel(repo.id), "network");
      assert.match(error.message, /compressed \(Content-Encoding: gzip\)/);
      assert.match(error.hint, /compresses downloads/);
      const model = repo.files.find((file) => file.path.endsWith(".rkllm"))!.path;
      assert.ok(!existsSync(pathIn(dir, repo, model)), `${origin}: nothing stored as the model`);
    }
  });

  it("succeeds with the right bytes when a retry gets the plain body", async () => {
    bed.hub.addFault({ origin: "cdn", method: "GET", times: 1, gzip: true });
    const dir = bed.newDir();
    const { manager, events } = managerFor(bed.hub, dir);
    await manager.downloadModel(QWEN.id);
    assertSameBytes(pathIn(dir, QWEN, QWEN_FILE), bytesOf(QWEN, QWEN_FILE));
    assert.ok(events.some((event) => event.event === "retry" && /compressed/.test(event.message)));
  });
});

describe("JSON answers are read up to a cap", () => {
  const bed = useHubTestBed({ repos: [MANY_FILES] });

  it("refuses an answer larger than the cap with a clear error", async () => {
    const { manager } = managerFor(bed.hub, bed.newDir(), { maxJsonBytes: 1024 });
    const error = await rejectsWithCode(manager.listRemoteFiles(MANY_FILES.id), "network");
    assert.match(
      error.message,
      /: the answer is larger than 1\.0 KiB, more than any Hub answer holds/,
    );
    const { files } = await managerFor(bed.hub, bed.newDir()).manager.listRemoteFiles(
      MANY_FILES.id,
    );
    assert.equal(files.length, 60, "the default cap reads it");
  });

  it("stops reading an endless answer without a Content-Length at the cap", async () => {
    let sent = 0;
    const endless = await startScriptedServer((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write("[");
      const chunk = `${'{"type":"file","path":"x","size":1},'.repeat(1000)}`;
      const pump = () => {
        while (!res.destroyed && sent < 256 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end("]");
      };
      pump();
    });
    try {
      const error = await rejectsWithCode(
        listRepoFiles(quickConnection(endless.url, { maxJsonBytes: 1024 * 1024 }), {
          owner: "o",
          name: "n",
          id: "o/n",
        }, { revision: "main" }),
        "network",
      );
      assert.match(error.message, /larger than 1\.0 MiB/);
      assert.ok(sent < 64 * 1024 * 1024, `stopped early (${sent} bytes written)`);
    } finally {
      await endless.close();
    }
  });
});

describe("answers that name or list the wrong things are integrity errors", () => {
  const bed = useHubTestBed({
    repos: [LONG, { ...SMALL, id: "new-owner/Renamed-rk3588", renamedFrom: "old-owner/Gone" }],
  });
  let hostile: TestServer;
  let answers: Record<string, unknown> = {};
  before(async () => {
    hostile = await startScriptedServer((req, res) => {
      const path = (req.url ?? "").split("?")[0];
      const body = answers[path];
      res.writeHead(body === undefined ? 404 : 200, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body ?? { error: "Not Found" }));
    });
  });
  after(() => hostile.close());
  const repo = { owner: "o", name: "n", id: "o/n" };

  it("refuses repo info whose id names another repository", async () => {
    answers = { "/api/models/o/n": { id: "evil/other", sha: SHA } };
    const error = await rejectsWithCode(
      fetchRepoInfo(quickConnection(hostile.url), repo),
      "integrity",
    );
    assert.match(error.message, /the answer is about another repository \("evil\/other"\)/);
    answers = { "/api/models/o/n": { id: "O/N", sha: SHA } };
    assert.equal((await fetchRepoInfo(quickConnection(hostile.url), repo)).id, "O/N");
  });

  it("accepts the id of the repository a rename redirected to", async () => {
    const info = await fetchRepoInfo(quickConnection(bed.hub.endpoint), {
      owner: "old-owner",
      name: "Gone",
      id: "old-owner/Gone",
    });
    assert.equal(info.id, "new-owner/Renamed-rk3588");
  });

  it("refuses a listing that names a file twice", async () => {
    const entry = { type: "file", oid: SHA, size: 1, path: "model.rkllm" };
    answers = { "/api/models/o/n/tree/main": [entry, { ...entry }] };
    const error = await rejectsWithCode(
      listRepoFiles(quickConnection(hostile.url), repo, { revision: "main" }),
      "integrity",
    );
    assert.match(error.message, /"model\.rkllm" is listed twice/);
  });

  it("refuses a name longer than a file system allows (exit 6, not a bug)", async () => {
    const result = await bed.cli(["download", LONG.id, LONG_NAME, "--dir", bed.newDir()]);
    assert.equal(result.code, 6, result.stderr);
    assert.match(result.stderr, /is 306 bytes long, more than the 255 a file system allows/);
  });
});

describe("nothing the Hub says reaches the terminal raw", () => {
  const bed = useHubTestBed({ repos: [] });
  let hostile: TestServer;
  before(async () => {
    hostile = await startScriptedServer((req, res) => {
      const path = (req.url ?? "").split("?")[0];
      if (path === "/api/models") {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify([{
          id: "evil/\x1b]8;;https://evil.example\x07rk3588-\x1b[2Jmodel\x9b31m\x07",
          downloads: 3,
          tags: ["rkllm\x1b]0;title\x07"],
        }]));
      } else if (path === "/api/models/o/n") {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ id: "o/n", sha: SHA }));
      } else if (path === "/api/models/o/n/tree/" + SHA) {
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify([{
          type: "file",
          oid: SHA,
          size: 5,
          path: "model\u009b2J-rk3588.rkllm",
        }]));
      } else {
        // No X-Error-Code: the message then quotes the body, which must arrive clean.
        res.writeHead(404, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error: "\x1b]0;pwned\x07Repository \x1b[31mnot\x1b[0m found" }));
      }
    });
  });
  after(() => hostile.close());

  function assertNoControls(text: string, what: string) {
    // deno-lint-ignore no-control-regex
    const control = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;
    assert.ok(!control.test(text), `${what} carries no control character: ${JSON.stringify(text)}`);
  }

  it("strips escape sequences, C0, DEL and C1 characters", () => {
    assert.equal(terminalSafe("a\x1b[31mb\x1b[0m"), "ab");
    assert.equal(terminalSafe("a\x1b]0;title\x07b\x1b]8;;https://x\x1b\\c"), "abc");
    assert.equal(terminalSafe("a\x9b2Jb\x9d0;t\x9cc"), "abc");
    assert.equal(terminalSafe("a\x00\x08\tb\nc\x7fd\x85e"), "abcde");
    assert.equal(terminalSafe("Qwen2.5 — ünïcode ✓"), "Qwen2.5 — ünïcode ✓");
  });

  it("in search results", async () => {
    const result = await bed.cli(["search", "model", "--endpoint", hostile.url]);
    assert.equal(result.code, 0, result.stderr);
    assertNoControls(result.stdout, "stdout");
    assert.match(result.stdout, /evil\/rk3588-model/);
  });

  it("in error messages quoting the Hub", async () => {
    const result = await bed.cli(["files", "x/y", "--endpoint", hostile.url]);
    assert.equal(result.code, 3, result.stderr);
    assertNoControls(result.stderr, "stderr");
    assert.match(result.stderr, /Repository not found/);
  });

  it("in file names", async () => {
    const result = await bed.cli(["files", "o/n", "--endpoint", hostile.url]);
    assert.equal(result.code, 0, result.stderr);
    assertNoControls(result.stdout, "stdout");
    assert.match(result.stdout, /^model-rk3588\.rkllm /m);
    assert.deepEqual(filesUnder(bed.root).filter((path) => path.includes("model")), []);
  });

  it("in download progress", async () => {
    const repo = {
      id: "c1-org/C1-rk3588",
      files: [{ path: "model\u009b2J\u0085-rk3588.rkllm", content: "abc" }],
    };
    bed.hub.setRepo(repo);
    const result = await bed.cli(["download", repo.id, "--dir", bed.newDir(), "--progress=plain"]);
    assert.equal(result.code, 0, result.stderr);
    assertNoControls(result.stderr, "stderr");
    assert.match(result.stderr, /model-rk3588\.rkllm/);
  });
});
