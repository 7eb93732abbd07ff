/**
 * `rkllm-models serve` as a command: the first stdout line is the endpoint URL
 * (one JSON line with `url` under `--json`), the store is served there, and
 * SIGTERM or Ctrl-C stop it cleanly with exit 0.
 */
import { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { finished, firstLine, runCli, startCli } from "./support/cli_process.ts";
import { fillStore } from "./support/fleet.ts";
import { bytesOf, INTERNVL, MULTI, NO_MODELS } from "./support/fixtures.ts";
import { type HubServer, startHubServer } from "./support/hub_server.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";
import { it } from "./support/test_timeout.ts";

describe("rkllm-models serve", () => {
  let hub: HubServer;
  let root: string;
  let store: string;

  before(async () => {
    hub = await startHubServer({ repos: [MULTI, INTERNVL, NO_MODELS] });
    root = makeTempDir();
    store = join(root, "store");
    await fillStore(hub.endpoint, store, [{ repo: MULTI.id, file: MULTI.files[2].path }]);
  });
  after(async () => {
    await hub?.close();
    removeDir(root);
  });

  for (const [signal, json] of [["SIGTERM", true], ["SIGINT", false]] as const) {
    it(`prints its URL first${json ? " as one JSON line" : ""}, serves, and exits 0 on ${signal}`, async () => {
      const child = startCli(
        ["serve", "--port", "0", "--dir", store, ...(json ? ["--json"] : [])],
        {
          cwd: root,
        },
      );
      const exit = finished(child);
      const line = await firstLine(child);
      const url = json ? JSON.parse(line).url : line;
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const info = await fetch(`${url}/api/models/${MULTI.id}`);
      assert.equal(info.status, 200);
      assert.equal((await info.json()).id, MULTI.id);
      // process.kill, not child.kill: a Deno parent's child.kill ends a Deno child without
      // running its signal listeners.
      process.kill(child.pid!, signal);
      const result = await exit;
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.trim(), line, "stdout holds the URL line only");
    });
  }

  it("refuses an --upstream that is not an http(s) URL", async () => {
    const result = await runCli(["serve", "--upstream", "huggingface.co", "--dir", store], {
      cwd: root,
    });
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /invalid --upstream "huggingface\.co": expected an http\(s\) URL/);
  });

  it("refuses a --pull other than known or any, before listening", async () => {
    const result = await runCli(
      ["serve", "--upstream", "http://127.0.0.1:9", "--pull", "everything", "--dir", store],
      { cwd: root },
    );
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /invalid --pull "everything"/);
  });

  it("--upstream pulls the repositories pullRepos of the user config names, and no other", async () => {
    const configHome = join(root, "config-home");
    mkdirSync(join(configHome, "rkllm-models"), { recursive: true });
    writeFileSync(
      join(configHome, "rkllm-models", "config.json"),
      JSON.stringify({ pullRepos: `${INTERNVL.id}, ${MULTI.id}` }),
    );
    const child = startCli(
      ["serve", "--port", "0", "--dir", join(root, "mirror"), "--upstream", hub.endpoint],
      { cwd: root, env: { XDG_CONFIG_HOME: configHome } },
    );
    const exit = finished(child);
    try {
      const url = await firstLine(child);
      const listed = await fetch(`${url}/${INTERNVL.id}/resolve/main/config.json`);
      assert.equal(listed.status, 200);
      assert.deepEqual(
        new Uint8Array(await listed.arrayBuffer()),
        bytesOf(INTERNVL, "config.json"),
      );
      const asked = hub.requests.length;
      const unlisted = await fetch(`${url}/${NO_MODELS.id}/resolve/main/config.json`);
      assert.equal(unlisted.status, 404);
      assert.equal(unlisted.headers.get("x-error-code"), "RepoNotFound");
      await unlisted.body?.cancel();
      assert.equal(hub.requests.length, asked, "upstream was asked for a repository not listed");
    } finally {
      process.kill(child.pid!, "SIGTERM");
      await exit;
    }
  });

  it("config set pullRepos keeps a checked owner/name list, and refuses anything else", async () => {
    const env = { XDG_CONFIG_HOME: join(root, "config-set") };
    const set = await runCli(["config", "set", "pullRepos", ` ${INTERNVL.id} ,${MULTI.id}`], {
      cwd: root,
      env,
    });
    assert.equal(set.code, 0, set.stderr);
    const got = await runCli(["config", "get", "pullRepos"], { cwd: root, env });
    assert.equal(got.stdout.trim(), `${INTERNVL.id},${MULTI.id}`);
    const bad = await runCli(["config", "set", "pullRepos", "radxa"], { cwd: root, env });
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /invalid pullRepos "radxa": expected repositories as owner\/name/);
  });
});
