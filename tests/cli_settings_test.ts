import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseJson, runCli } from "./support/cli_process.ts";
import { MULTI, QWEN, standardHub } from "./support/fixtures.ts";
import { type HubServer, startHubServer } from "./support/hub_server.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

const RK3588_FILE = "TinyLlama-1.1B-Chat-v1.0-rk3588-w8a8-opt-0-hybrid-ratio-0.5.rkllm";
const RK3576_FILE = "TinyLlama-1.1B-Chat-v1.0-rk3576-w4a16-opt-1-hybrid-ratio-0.0.rkllm";

describe("the per-user store and settings", () => {
  let root = "";
  let hub: HubServer;
  let count = 0;
  before(async () => {
    root = makeTempDir("rkllm-settings-");
    hub = await startHubServer(standardHub());
  });
  after(async () => {
    await hub?.close();
    if (root) removeDir(root);
  });

  /** A fresh user: own data and config homes, and a working directory of its own. */
  function newUser() {
    const home = join(root, `user-${count++}`);
    const env = {
      HF_ENDPOINT: hub.endpoint,
      XDG_DATA_HOME: join(home, "data"),
      XDG_CONFIG_HOME: join(home, "config"),
    };
    const dirs = { a: join(home, "a"), b: join(home, "b") };
    mkdirSync(dirs.a, { recursive: true });
    mkdirSync(dirs.b, { recursive: true });
    return {
      home,
      ...dirs,
      run: (args: string[], cwd: string, extra: Record<string, string> = {}) =>
        runCli(args, { cwd, env: { ...env, ...extra } }),
    };
  }

  it("stores models in $XDG_DATA_HOME/rkllm-models/models, whatever the working directory", async () => {
    const user = newUser();
    const downloaded = await user.run(["download", QWEN.id, "--json"], user.a);
    assert.equal(downloaded.code, 0, downloaded.stderr);
    const store = join(user.home, "data", "rkllm-models", "models");
    assert.ok(parseJson(downloaded.stdout).path.startsWith(`${store}/limcheekin/`));
    const listed = await user.run(["list", "--json"], user.b);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(parseJson(listed.stdout).map((model: { repo: string }) => model.repo), [
      QWEN.id,
    ]);
    assert.ok(!existsSync(join(user.a, "models")));
  });

  it("takes each setting from the flag, then the environment, then the config file", async () => {
    const user = newUser();
    const set = await user.run(["config", "set", "modelsDir", "from-config"], user.a);
    assert.equal(set.code, 0, set.stderr);
    const file = join(user.home, "config", "rkllm-models", "config.json");
    assert.deepEqual(JSON.parse(readFileSync(file, "utf8")), {
      modelsDir: join(user.a, "from-config"),
    });
    const got = await user.run(["config", "get", "modelsDir"], user.b);
    assert.equal(got.stdout.trim(), join(user.a, "from-config"));
    assert.equal((await user.run(["download", QWEN.id, "-q"], user.b)).code, 0);
    assert.ok(existsSync(join(user.a, "from-config", QWEN.id)));
    const fromEnv = await user.run(["list", "--json"], user.b, {
      RKLLM_MODELS_DIR: join(user.b, "empty"),
    });
    assert.deepEqual(parseJson(fromEnv.stdout), [], "RKLLM_MODELS_DIR beats the config file");
    const fromFlag = await user.run(
      ["list", "--json", "--dir", join(user.a, "from-config")],
      user.b,
      { RKLLM_MODELS_DIR: join(user.b, "empty") },
    );
    assert.equal(parseJson(fromFlag.stdout).length, 1, "--dir beats RKLLM_MODELS_DIR");

    assert.equal((await user.run(["config", "set", "connections", "4"], user.b)).code, 0);
    assert.equal(
      (await user.run(["config", "set", "endpoint", "http://127.0.0.1:9/"], user.b)).code,
      0,
    );
    const listedFile = await user.run(["config", "list", "--json"], user.b);
    assert.deepEqual(parseJson(listedFile.stdout), {
      path: file,
      modelsDir: join(user.a, "from-config"),
      connections: 4,
      endpoint: "http://127.0.0.1:9",
    });
    assert.equal((await user.run(["config", "unset", "endpoint"], user.b)).code, 0);
    const unset = await user.run(["config", "get", "endpoint"], user.b);
    assert.equal(unset.code, 1);
    assert.equal(unset.stdout, "");

    const badKey = await user.run(["config", "set", "modelDir", "x"], user.b);
    assert.equal(badKey.code, 2);
    assert.match(badKey.stderr, /^error: unknown config key "modelDir"$/m);
    const badValue = await user.run(["config", "set", "connections", "0"], user.b);
    assert.equal(badValue.code, 2, badValue.stderr);
  });

  it("reads the endpoint from the config file below HF_ENDPOINT", async () => {
    const user = newUser();
    mkdirSync(join(user.home, "config", "rkllm-models"), { recursive: true });
    writeFileSync(
      join(user.home, "config", "rkllm-models", "config.json"),
      JSON.stringify({ endpoint: hub.endpoint }),
    );
    const result = await runCli(["files", QWEN.id, "--json"], {
      cwd: user.a,
      env: {
        XDG_DATA_HOME: join(user.home, "data"),
        XDG_CONFIG_HOME: join(user.home, "config"),
      },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(parseJson(result.stdout).repo, QWEN.id);
  });

  it("says once where the models went when ./models holds a store and the default is empty", async () => {
    const user = newUser();
    assert.equal((await user.run(["download", QWEN.id, "--dir", "models", "-q"], user.a)).code, 0);
    const listed = await user.run(["list"], user.a);
    assert.equal(listed.code, 0, listed.stderr);
    const notes = listed.stderr.split("\n").filter((line) => line.includes("./models holds"));
    assert.equal(notes.length, 1, listed.stderr);
    assert.match(notes[0], /use --dir \.\/models/);
    const elsewhere = await user.run(["list"], user.b);
    assert.doesNotMatch(elsewhere.stderr, /\.\/models holds/);
  });
});

describe("board detection", () => {
  let root = "";
  let hub: HubServer;
  let board = "";
  before(async () => {
    root = makeTempDir("rkllm-board-");
    hub = await startHubServer(standardHub());
    board = join(root, "compatible");
    writeFileSync(board, "xunlong,orangepi-5\0rockchip,rk3588s\0");
  });
  after(async () => {
    await hub?.close();
    if (root) removeDir(root);
  });

  function run(args: string[], env: Record<string, string> = {}) {
    return runCli(args, {
      cwd: root,
      env: { HF_ENDPOINT: hub.endpoint, RKLLM_DEVICE_TREE: board, ...env },
    });
  }

  it("files names the board's chip (an rk3588s is an rk3588)", async () => {
    const result = await run(["files", MULTI.id]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^this board: rk3588$/m);
    assert.equal(parseJson((await run(["files", MULTI.id, "--json"])).stdout).board, "rk3588");
    const off = await run(["files", MULTI.id, "--platform", "any"]);
    assert.doesNotMatch(off.stdout, /this board/);
    assert.match(off.stdout, /rk3576/, "any lists every chip's variants");
  });

  it("downloads the board's variant when several remain; --platform wins; any turns it off", async () => {
    const chosen = await run(["download", MULTI.id, "--dir", join(root, "a"), "--json"]);
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.ok(parseJson(chosen.stdout).path.endsWith(RK3588_FILE));
    const asked = await run([
      "download",
      MULTI.id,
      "--platform",
      "rk3576",
      "--dir",
      join(root, "b"),
      "--json",
    ]);
    assert.equal(asked.code, 0, asked.stderr);
    assert.ok(parseJson(asked.stdout).path.endsWith(RK3576_FILE), "no conflict with the board");
    const off = await run(["download", MULTI.id, "--platform", "any", "--dir", join(root, "c")]);
    assert.equal(off.code, 2, "without the board's preference the choice is the user's");
    const quant = await run([
      "download",
      MULTI.id,
      "--quant",
      "w4a16",
      "--dir",
      join(root, "d"),
      "--json",
    ]);
    assert.equal(quant.code, 0, quant.stderr);
    assert.ok(parseJson(quant.stdout).path.endsWith(RK3576_FILE), "a preference, not a filter");
  });
});
