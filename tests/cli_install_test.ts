import { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import process from "node:process";
import { cliEnvironment, parseJson, ROOT, runCommand } from "./support/cli_process.ts";
import { bytesOf, QWEN, QWEN_FILE, standardHub } from "./support/fixtures.ts";
import { NO_PROXIES, startProxy } from "./support/forward_proxy.ts";
import { type HubServer, startHubServer } from "./support/hub_server.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";
import { skipWhen } from "./support/skips.ts";
import { VERSION } from "../src/version.ts";
import { it } from "./support/test_timeout.ts";

/** The machine's own `node` (not node_modules' Node 24), the one users install with. */
function systemNode(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    const candidate = join(dir, "node");
    if (!dir.includes("node_modules") && existsSync(candidate)) return candidate;
  }
  return undefined;
}

const NODE = systemNode();
const NPM = NODE && existsSync(join(dirname(NODE), "npm")) ? join(dirname(NODE), "npm") : undefined;

interface Installed {
  /** The `rkllm-models` on PATH. */
  bin: string;
  /** The environment that puts it (and only the system Node) on PATH. */
  env(extra?: Record<string, string | undefined>): Record<string, string>;
}

function installedIn(prefix: string, root: string): Installed {
  const bin = join(prefix, "bin", "rkllm-models");
  const path = [join(prefix, "bin"), dirname(NODE!), "/usr/bin", "/bin"].join(delimiter);
  return {
    bin,
    env: (extra = {}) =>
      cliEnvironment({
        PATH: path,
        XDG_DATA_HOME: join(root, "data"),
        XDG_CONFIG_HOME: join(root, "config"),
        ...NO_PROXIES,
        ...extra,
      }),
  };
}

async function npm(args: string[], cwd: string): Promise<string> {
  const env = cliEnvironment({ PATH: `${dirname(NODE!)}${delimiter}${process.env.PATH}` });
  const { stdout } = await runCommand(NPM!, [...args, "--no-audit", "--no-fund"], {
    cwd,
    env,
    maxBuffer: 1 << 24,
  });
  return stdout;
}

describe(
  "the installed command",
  {
    skip: skipWhen(
      "tests/cli_install_test.ts (the installed command)",
      (!NODE || !NPM) && "needs a system node and npm outside node_modules",
    ),
  },
  () => {
    let root = "";
    let hub: HubServer;
    let tarball = "";
    let installed: Installed;

    before(async () => {
      root = makeTempDir("rkllm-install-");
      hub = await startHubServer(standardHub());
      const packed = await npm(["pack", "--pack-destination", root], ROOT);
      tarball = join(root, packed.trim().split("\n").pop()!);
      await npm(["install", "-g", "--prefix", join(root, "prefix"), tarball], root);
      installed = installedIn(join(root, "prefix"), root);
    });
    after(async () => {
      await hub?.close();
      if (root) removeDir(root);
    });

    it("npm pack holds the bundled command, and no dist/ binaries", async () => {
      const { stdout } = await runCommand("tar", ["-tzf", tarball]);
      const files = stdout.trim().split("\n").sort();
      assert.ok(files.includes("package/lib/cli.mjs"), files.join("\n"));
      assert.ok(files.includes("package/bin/rkllm-models.mjs"), files.join("\n"));
      assert.ok(!files.some((file) => file.startsWith("package/dist/")), files.join("\n"));
      const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
      assert.equal(manifest.bin["rkllm-models"], "bin/rkllm-models.mjs");
      assert.equal(manifest.engines.node, ">=20");
    });

    it("runs on the system Node from another directory: --version and a download", async () => {
      const { stdout: version } = await runCommand(installed.bin, ["--version"], {
        cwd: root,
        env: installed.env(),
      });
      assert.equal(version.trim(), `rkllm-models ${VERSION}`);
      const { stdout } = await runCommand(installed.bin, [
        "download",
        QWEN.id,
        "--endpoint",
        hub.endpoint,
        "--dir",
        join(root, "models"),
        "--json",
      ], { cwd: "/", env: installed.env() });
      const model = parseJson(stdout);
      assert.deepEqual(new Uint8Array(readFileSync(model.path)), bytesOf(QWEN, QWEN_FILE));
    });

    it("done when: listed from another directory, offline download exits 0, a changed byte is repaired", async () => {
      const env = installed.env({ HF_ENDPOINT: hub.endpoint });
      const elsewhere = join(root, "elsewhere");
      mkdirSync(elsewhere, { recursive: true });
      const { stdout } = await runCommand(installed.bin, ["download", QWEN.id, "--json"], {
        cwd: "/",
        env,
      });
      const path = parseJson(stdout).path;
      assert.ok(path.startsWith(join(root, "data", "rkllm-models", "models")), path);
      const listed = await runCommand(installed.bin, ["list", "--json"], { cwd: elsewhere, env });
      assert.equal(parseJson(listed.stdout)[0].path, path);
      const offline = await runCommand(installed.bin, ["download", QWEN.id, "--json"], {
        cwd: elsewhere,
        env: { ...env, HF_HUB_OFFLINE: "1" },
      });
      assert.equal(parseJson(offline.stdout).path, path);
      const bytes = readFileSync(path);
      bytes[0] ^= 0xff;
      writeFileSync(path, bytes);
      await runCommand(installed.bin, ["download", QWEN.id, "-q"], { cwd: elsewhere, env });
      assert.deepEqual(new Uint8Array(readFileSync(path)), bytesOf(QWEN, QWEN_FILE));
    });

    it("sends requests through HTTP_PROXY and tunnels HTTPS_PROXY on the system Node", async () => {
      const proxy = await startProxy();
      try {
        // Only the proxy can reach a host under .invalid.
        const port = new URL(hub.endpoint).port;
        const { stdout } = await runCommand(installed.bin, [
          "download",
          QWEN.id,
          "--endpoint",
          `http://rkllm-hub.invalid:${port}`,
          "--dir",
          join(root, "proxied"),
          "--json",
        ], { cwd: root, env: installed.env({ HTTP_PROXY: proxy.url }) });
        assert.ok(existsSync(parseJson(stdout).path));
        assert.ok(proxy.seen.some((line) => line.includes("rkllm-hub.invalid")), proxy.seen.join());
        const tunnelled = await runCommand(installed.bin, [
          "files",
          QWEN.id,
          "--endpoint",
          `https://rkllm-hub.invalid:${port}`,
          "--retries",
          "0",
        ], { cwd: root, env: installed.env({ HTTPS_PROXY: proxy.url }) }).catch((error) => error);
        // The tunnel leads to the plain-HTTP emulator, so TLS fails after the CONNECT.
        assert.equal(tunnelled.code, 5, tunnelled.stderr);
        assert.ok(proxy.seen.includes(`CONNECT rkllm-hub.invalid:${port}`), proxy.seen.join());
      } finally {
        await proxy.close();
      }
    });

    it("npm install -g of a checkout links it, and the command runs", async () => {
      const checkout = join(root, "checkout");
      const { stdout } = await runCommand("git", ["ls-files", "-z"], { cwd: ROOT });
      for (const file of stdout.split("\0").filter(Boolean)) {
        if (!existsSync(join(ROOT, file))) continue;
        mkdirSync(dirname(join(checkout, file)), { recursive: true });
        cpSync(join(ROOT, file), join(checkout, file));
      }
      symlinkSync(join(ROOT, "node_modules"), join(checkout, "node_modules"));
      await npm(["install", "-g", "--prefix", join(root, "linked"), checkout], root);
      const linked = installedIn(join(root, "linked"), root);
      const { stdout: version } = await runCommand(linked.bin, ["--version"], {
        cwd: "/",
        env: linked.env(),
      });
      assert.equal(version.trim(), `rkllm-models ${VERSION}`);
    });

    it("deno install -g -A -n rkllm-models cli.ts puts the command on PATH", async () => {
      const deno = join(ROOT, "node_modules", ".bin", "deno");
      const denoRoot = join(root, "deno");
      const args = ["install", "-g", "-A", "-n", "rkllm-models", "--root", denoRoot];
      await runCommand(deno, [...args, join(ROOT, "cli.ts")], { cwd: root, env: cliEnvironment() });
      const { stdout } = await runCommand(join(denoRoot, "bin", "rkllm-models"), ["--version"], {
        cwd: "/",
        env: cliEnvironment({ PATH: `${dirname(deno)}${delimiter}${process.env.PATH}` }),
      });
      assert.equal(stdout.trim(), `rkllm-models ${VERSION}`);
    });
  },
);
