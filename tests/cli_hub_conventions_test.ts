import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startHubServer } from "./support/hub_server.ts";
import { bytesOf, GATED, QWEN, QWEN_FILE, standardHub, TOKENS } from "./support/fixtures.ts";
import { parseJson } from "./support/cli_process.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { deadEndpoint } from "./support/dead_endpoint.ts";
import { NO_PROXIES, proxyVariable, startProxy } from "./support/forward_proxy.ts";

function portOf(url: string): string {
  return new URL(url).port;
}

describe("Hugging Face conventions in the CLI", () => {
  const bed = useHubTestBed(standardHub(), { env: NO_PROXIES });
  const { newDir, cli, observed } = bed;

  it("HF_HUB_OFFLINE=1: local commands work; network commands fail at once with exit 5 and send nothing", async () => {
    const dir = newDir();
    assert.equal((await cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
    const offline = { HF_HUB_OFFLINE: "1" };
    const local: [string[], RegExp][] = [
      [["list"], /^Qwen2\.5-0\.5B-Instruct-rk3588-w8a8\S* +3\.0 MiB /m],
      [["info", "Qwen2.5"], /^verified: +yes$/m],
      [["verify"], /^ok +Qwen2\.5-0\.5B-Instruct-rk3588-w8a8/m],
      [["search"], /^limcheekin\/Qwen2\.5-0\.5B-Instruct-rk3588-1\.1\.4 /m],
    ];
    for (const [args, expected] of local) {
      const result = await observed([...args, "--dir", dir], offline);
      assert.equal(result.code, 0, `${args[0]}: ${result.stderr}`);
      assert.match(result.stdout, expected, args[0]);
      assert.deepEqual(result.requests, [], args[0]);
    }
    const networkCommands: [string[], string][] = [
      // A complete model answers offline (see cli_repair_test.ts); --force needs the Hub.
      [["download", QWEN.id, "--force"], "download a model"],
      [["files", QWEN.id], "list a repository's files"],
      [["search", "qwen"], "search the Hub"],
    ];
    for (const [args, action] of networkCommands) {
      const result = await observed([...args, "--dir", dir], offline);
      assert.equal(result.code, 5, `${args[0]}: ${result.stderr}`);
      assert.deepEqual(result.requests, [], `${args[0]} sent a request`);
      assert.equal(
        result.stderr,
        `error: ${action}: the Hub is needed, but HF_HUB_OFFLINE is set, so no request was sent\n` +
          "hint: unset HF_HUB_OFFLINE to reach the Hub; local commands (list, info, verify, remove) work offline\n",
      );
      const json = parseJson((await cli([...args, "--dir", dir, "--json"], offline)).stdout);
      assert.equal(json.error.code, "offline");
    }
    const removed = await observed(["remove", "Qwen2.5", "--dir", dir], offline);
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual(removed.requests, []);
    assert.equal(parseJson((await cli(["list", "--dir", dir, "--json"])).stdout).length, 0);
  });

  it("HF_ENDPOINT chooses the Hub, and --endpoint wins over it", async () => {
    const dead = await deadEndpoint();
    const viaEnv = await observed(["files", QWEN.id, "--json"]);
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.ok(viaEnv.requests.length > 0);
    const viaFlag = await observed(["files", QWEN.id, "--endpoint", bed.hub.endpoint, "--json"], {
      HF_ENDPOINT: dead,
    });
    assert.equal(viaFlag.code, 0, viaFlag.stderr);
    assert.ok(viaFlag.requests.length > 0);
    const unreachable = await cli(["files", QWEN.id, "--retries", "0"], { HF_ENDPOINT: dead });
    assert.equal(unreachable.code, 5, unreachable.stderr);
    const malformed = await cli(["files", QWEN.id], { HF_ENDPOINT: "not a url" });
    assert.equal(malformed.code, 1);
    assert.match(
      malformed.stderr,
      /^error: invalid Hub endpoint "not a url": expected a URL such as https:\/\/huggingface\.co\nhint: /,
    );
  });

  it("takes the token from --token, then HF_TOKEN, HUGGING_FACE_HUB_TOKEN, HF_TOKEN_PATH, $HF_HOME/token", async () => {
    const open = await startHubServer({ repos: [GATED] }); // every token is valid here
    try {
      const tokenPath = join(bed.root, "token-file");
      writeFileSync(tokenPath, "hf_from_token_path\n");
      const hfHome = join(bed.root, "hf-home");
      mkdirSync(hfHome, { recursive: true });
      writeFileSync(join(hfHome, "token"), "hf_from_hf_home\n");
      const everything = {
        HF_TOKEN: "hf_from_env",
        HUGGING_FACE_HUB_TOKEN: "hf_from_old_env",
        HF_TOKEN_PATH: tokenPath,
        HF_HOME: hfHome,
      };
      const cases: [string[], Record<string, string | undefined>, string | undefined][] = [
        [["--token", "hf_from_flag"], everything, "hf_from_flag"],
        [[], everything, "hf_from_env"],
        [[], { ...everything, HF_TOKEN: undefined }, "hf_from_old_env"],
        [[], { HF_TOKEN_PATH: tokenPath, HF_HOME: hfHome }, "hf_from_token_path"],
        [[], { HF_HOME: hfHome }, "hf_from_hf_home"],
        [[], {}, undefined],
      ];
      for (const [flags, env, expected] of cases) {
        const result = await observed(
          ["files", GATED.id, "--endpoint", open.endpoint, "--json", ...flags],
          env,
          open,
        );
        assert.equal(result.code, 0, result.stderr);
        assert.ok(result.requests.length > 0);
        for (const request of result.requests) {
          assert.equal(
            request.headers.authorization,
            expected && `Bearer ${expected}`,
            `${expected}: ${request.path}`,
          );
        }
        for (
          const token of ["hf_from_flag", "hf_from_env", "hf_from_old_env", "hf_from_token_path"]
        ) {
          assert.ok(!(result.stdout + result.stderr).includes(token), "the token never shows");
        }
      }
    } finally {
      await open.close();
    }
    const hfHome = join(bed.root, "hf-home-approved");
    mkdirSync(hfHome, { recursive: true });
    writeFileSync(join(hfHome, "token"), `${TOKENS.approved}\n`);
    const approved = await cli(["download", GATED.id, "--dir", newDir(), "-q"], {
      HF_HOME: hfHome,
    });
    assert.equal(approved.code, 0, approved.stderr);
    const overridden = await cli(["download", GATED.id, "--dir", newDir()], {
      HF_HOME: hfHome,
      HF_TOKEN: TOKENS.unapproved,
    });
    assert.equal(overridden.code, 4, overridden.stderr);
    assert.ok(!overridden.stderr.includes(TOKENS.unapproved));
  });

  it("sends requests through HTTP_PROXY, and straight to the hosts in NO_PROXY", async () => {
    const proxy = await startProxy();
    try {
      // A host name that resolves nowhere: only the proxy can reach it.
      const endpoint = `http://rkllm-hub.invalid:${portOf(bed.hub.endpoint)}`;
      const cdnPort = portOf(bed.hub.cdnOrigin);
      const env = {
        ...proxyVariable("HTTP_PROXY", proxy.url),
        ...proxyVariable("NO_PROXY", "127.0.0.1"),
      };
      const dir = newDir();
      const result = await cli([
        "download",
        QWEN.id,
        "--endpoint",
        endpoint,
        "--dir",
        dir,
        "--json",
      ], env);
      assert.equal(result.code, 0, result.stderr);
      const model = parseJson(result.stdout);
      assert.deepEqual(new Uint8Array(readFileSync(model.path)), bytesOf(QWEN, QWEN_FILE));
      assert.ok(
        proxy.seen.some((line) => line.includes("rkllm-hub.invalid")),
        proxy.seen.join("\n"),
      );
      assert.ok(
        !proxy.seen.some((line) => line.includes(`:${cdnPort}`)),
        "the CDN (127.0.0.1) is reached directly",
      );

      proxy.seen.length = 0;
      const proxied = await cli(
        ["download", QWEN.id, "--endpoint", endpoint, "--dir", newDir(), "-q"],
        proxyVariable("HTTP_PROXY", proxy.url),
      );
      assert.equal(proxied.code, 0, proxied.stderr);
      assert.ok(
        proxy.seen.some((line) => line.includes(`:${cdnPort}`)),
        "without NO_PROXY the CDN goes through it too",
      );
    } finally {
      await proxy.close();
    }
  });

  it("tunnels https:// requests through HTTPS_PROXY", async () => {
    const proxy = await startProxy();
    try {
      // The tunnel leads to the plain-HTTP emulator, so TLS fails after the CONNECT: a network error.
      const endpoint = `https://rkllm-hub.invalid:${portOf(bed.hub.endpoint)}`;
      const result = await cli(
        ["files", QWEN.id, "--endpoint", endpoint, "--retries", "0"],
        proxyVariable("HTTPS_PROXY", proxy.url),
      );
      assert.equal(result.code, 5, result.stderr);
      assert.ok(
        proxy.seen.includes(`CONNECT rkllm-hub.invalid:${portOf(bed.hub.endpoint)}`),
        proxy.seen.join("\n"),
      );
    } finally {
      await proxy.close();
    }
  });
});
