/**
 * What a mirror says, and what the CLI says of it: `serve --upstream` answers a
 * model search from upstream (with the mirror's token, its pages pointed back at
 * the mirror), a mirror without one says it has none, a gated repository the mirror
 * refuses is explained as a mirror's refusal, and `serve` logs one line per request
 * (text, JSON, or none with `--quiet`).
 */
import { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import process from "node:process";
import { errorForResponse } from "../src/http/hub_errors.ts";
import type { ServedRequest } from "../src/serve/request_log.ts";
import { type ServeHandle, serveStore } from "../src/serve/serve_store.ts";
import { finished, firstLine, parseJson, runCli, startCli } from "./support/cli_process.ts";
import { deadEndpoint } from "./support/dead_endpoint.ts";
import { GATED } from "./support/fixtures.ts";
import { type HubRepoSpec, type HubServer, startHubServer } from "./support/hub_server.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";
import { it } from "./support/test_timeout.ts";

const MIRROR_TOKEN = "hf_mirror_token";
const CLIENT_TOKEN = "hf_client_secret";

function qwenRepo(name: string, downloads: number): HubRepoSpec {
  return {
    id: `fleet/${name}-rk3588`,
    downloads,
    files: [{ path: "config.json", content: '{"model_type":"qwen2"}' }],
  };
}
const FOUND = [qwenRepo("Qwen-A", 30), qwenRepo("Qwen-B", 20), qwenRepo("Qwen-C", 10)];

describe("a mirror's answers, and what the CLI says of them", () => {
  let hub: HubServer;
  let root: string;
  let withUpstream: ServeHandle;
  let storeOnly: ServeHandle;
  const served: ServedRequest[] = [];
  let onServed = () => {};
  /** The first request logged whose path is `path`, once it is. */
  function servedAt(path: string): Promise<ServedRequest> {
    return new Promise((resolve) => {
      const look = () => {
        const found = served.find((entry) => entry.path === path);
        if (found) resolve(found);
        else onServed = look;
      };
      look();
    });
  }

  before(async () => {
    hub = await startHubServer({
      repos: [...FOUND, GATED],
      tokens: { valid: [MIRROR_TOKEN], approvedFor: { [GATED.id]: [MIRROR_TOKEN] } },
      // Pages of two, so that a search of three follows a `Link` through the mirror.
      pageSize: 2,
    });
    root = makeTempDir();
    withUpstream = await serveStore(join(root, "mirror"), {
      port: 0,
      upstream: hub.endpoint,
      token: MIRROR_TOKEN,
      pullAny: true,
      onWarning: () => {},
      onRequest: (entry) => {
        served.push(entry);
        onServed();
      },
    });
    storeOnly = await serveStore(join(root, "store"), { port: 0, onWarning: () => {} });
  });
  after(async () => {
    await withUpstream?.close();
    await storeOnly?.close();
    await hub?.close();
    removeDir(root);
  });

  it("answers search from upstream with the mirror's token, its pages pointed at the mirror", async () => {
    const direct = await runCli(["search", "qwen", "--json"], {
      env: { HF_ENDPOINT: hub.endpoint },
    });
    assert.equal(direct.code, 0, direct.stderr);
    const before = hub.requests.length;
    const through = await runCli(["search", "qwen", "--json"], {
      env: { HF_ENDPOINT: withUpstream.url, HF_TOKEN: CLIENT_TOKEN },
    });
    assert.equal(through.code, 0, through.stderr);
    assert.deepEqual(parseJson(through.stdout), parseJson(direct.stdout));
    assert.equal(parseJson(through.stdout).length, FOUND.length);
    const asked = hub.requests.slice(before).filter((request) => request.path === "/api/models");
    assert.ok(asked.length >= 2, "the second page was asked of upstream");
    for (const request of asked) {
      assert.equal(request.headers.authorization, `Bearer ${MIRROR_TOKEN}`);
    }
    const page = await fetch(`${withUpstream.url}/api/models?search=qwen&limit=2`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("link") ?? "", new RegExp(`^<${withUpstream.url}/api/models\\?`));
    assert.equal((await page.json()).length, 2);
  });

  it("logs the body bytes of a file it sends, and 0 for a redirect", async () => {
    const file = FOUND[0].files[0];
    const answer = await fetch(`${withUpstream.url}/${FOUND[0].id}/resolve/main/${file.path}`);
    assert.equal(await answer.text(), file.content);
    const redirect = await servedAt(`/${FOUND[0].id}/resolve/main/${file.path}`);
    assert.deepEqual([redirect.status, redirect.bytes, redirect.cut], [307, 0, false]);
    const commit = answer.headers.get("x-repo-commit");
    const sent = await servedAt(`/${FOUND[0].id}/resolve/${commit}/${file.path}`);
    assert.deepEqual([sent.method, sent.status, sent.bytes], ["GET", 200, file.content!.length]);
  });

  it("answers 502 to a search when its upstream cannot be reached", async () => {
    const cutOff = await serveStore(join(root, "cut-off"), {
      port: 0,
      upstream: await deadEndpoint(),
      onWarning: () => {},
    });
    try {
      const answer = await fetch(`${cutOff.url}/api/models?search=qwen`);
      assert.equal(answer.status, 502);
      assert.match(answer.headers.get("x-error-message") ?? "", /did not answer the search/);
      await answer.body?.cancel();
    } finally {
      await cutOff.close();
    }
  });

  it("says plainly that a mirror without an upstream cannot search", async () => {
    const answer = await fetch(`${storeOnly.url}/api/models?search=qwen`);
    assert.equal(answer.status, 501);
    assert.match(answer.headers.get("x-error-message") ?? "", /no upstream/);
    await answer.body?.cancel();
    const result = await runCli(["search", "qwen"], { env: { HF_ENDPOINT: storeOnly.url } });
    assert.notEqual(result.code, 0);
    assert.match(
      result.stderr,
      new RegExp(
        `cannot search the Hub through the mirror at ${storeOnly.url}: it has no upstream`,
      ),
    );
    assert.doesNotMatch(result.stderr, /cannot find repository/);
  });

  it("says that the mirror serves a gated repository only with --allow-private", async () => {
    const result = await runCli(["files", GATED.id], {
      env: { HF_ENDPOINT: withUpstream.url, HF_TOKEN: CLIENT_TOKEN },
    });
    assert.equal(result.code, 4, result.stderr);
    assert.match(
      result.stderr,
      new RegExp(`${GATED.id} through the mirror at ${withUpstream.url}: .*--allow-private`),
    );
    assert.doesNotMatch(result.stderr, /accept the licence/);
  });
});

/** Waits until the child's stderr holds a line matching `pattern`; answers that line. */
function stderrLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    child.stderr!.on("data", (chunk) => {
      text += chunk;
      const line = text.split("\n").find((candidate) => pattern.test(candidate));
      if (line !== undefined) resolve(line);
    });
    child.once("exit", () => reject(new Error(`serve exited before logging: ${text}`)));
  });
}

describe("serve's request log", () => {
  let root: string;
  before(() => {
    root = makeTempDir();
  });
  after(() => removeDir(root));

  for (const mode of ["text", "json", "quiet"] as const) {
    const name = mode === "quiet"
      ? "logs nothing with --quiet"
      : `logs one ${mode} line per request`;
    it(name, async () => {
      const flags = mode === "text" ? [] : [`--${mode}`];
      const child = startCli(["serve", "--port", "0", "--dir", join(root, "store"), ...flags]);
      const exit = finished(child);
      const line = await firstLine(child);
      const url = mode === "json" ? JSON.parse(line).url : line;
      const logged = mode === "quiet" ? undefined : stderrLine(child, /acme\/nope/);
      const answer = await fetch(`${url}/api/models/acme/nope`);
      const body = new Uint8Array(await answer.arrayBuffer());
      assert.equal(answer.status, 404);
      if (mode === "text") {
        assert.match(
          (await logged)!,
          new RegExp(`^GET /api/models/acme/nope 404 ${body.length} B \\d+ ms 127\\.0\\.0\\.1$`),
        );
      } else if (mode === "json") {
        const entry = JSON.parse((await logged)!);
        assert.deepEqual(
          { ...entry, ms: 0 },
          {
            method: "GET",
            path: "/api/models/acme/nope",
            status: 404,
            bytes: body.length,
            ms: 0,
            client: "127.0.0.1",
            cut: false,
          },
        );
      }
      process.kill(child.pid!, "SIGTERM");
      const result = await exit;
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.trim(), line, "stdout holds the URL line only");
      if (mode === "quiet") assert.doesNotMatch(result.stderr, /acme\/nope/);
    });
  }
});

describe("the CLI's words for a mirror's refusals", () => {
  const context = {
    repo: "acme/tiny",
    endpoint: "http://127.0.0.1:8090",
    hasToken: true,
    action: "read the repo info",
  };
  function refusal(code: string, headers: Record<string, string>): Response {
    return new Response("{}", {
      status: code === "GatedRepo" ? 403 : 404,
      headers: {
        "X-Error-Code": code,
        ...headers,
      },
    });
  }

  it("names the mirror, not the Hub, for a repository it does not have", async () => {
    const error = await errorForResponse(
      refusal("RepoNotFound", { "X-Rkllm-Serve-Id": "a-mirror" }),
      context,
    );
    assert.equal(error.code, "repo_not_found");
    assert.equal(
      error.message,
      "cannot find repository acme/tiny on the mirror at http://127.0.0.1:8090",
    );
  });

  it("says a gated repository needs a token with access at the mirror's upstream", async () => {
    const error = await errorForResponse(
      refusal("GatedRepo", {
        "X-Rkllm-Serve-Id": "a-mirror",
        "X-Rkllm-Serve-Refusal": "upstream-gated",
      }),
      context,
    );
    assert.equal(error.code, "gated");
    assert.match(error.message, /the mirror's token has no access to it upstream/);
    assert.doesNotMatch(error.hint ?? "", /accept the licence at http:\/\/127/);
  });

  it("keeps the Hub's words when the answer is not from a mirror of ours", async () => {
    const error = await errorForResponse(
      refusal("GatedRepo", { "X-Rkllm-Serve-Refusal": "allow-private" }),
      context,
    );
    assert.equal(error.code, "gated");
    assert.match(error.hint ?? "", /^accept the licence at http:\/\/127\.0\.0\.1:8090\/acme\/tiny/);
  });
});
