import { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { delimiter, dirname, join } from "node:path";
import process from "node:process";
import { cliEnvironment, parseJson, ROOT, runCommand } from "./support/cli_process.ts";
import { bytesOf, QWEN, QWEN_FILE, standardHub } from "./support/fixtures.ts";
import { NO_PROXIES, startProxy } from "./support/forward_proxy.ts";
import { type HubServer, startHubServer } from "./support/hub_server.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";
import { skipTest, skipWhen } from "./support/skips.ts";
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
      assert.ok(files.includes("package/lib/mod.mjs"), files.join("\n"));
      assert.ok(files.includes("package/lib/types/mod.d.ts"), files.join("\n"));
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

    it("deno install -g -A -n rkllm-models --no-config cli.ts puts the command on PATH, with no warning", async () => {
      const deno = join(ROOT, "node_modules", ".bin", "deno");
      const denoRoot = join(root, "deno");
      const args = ["install", "-g", "-A", "-n", "rkllm-models", "--no-config", "--root", denoRoot];
      // The README's line, run where it says: in the clone, beside its deno.json.
      const { stderr } = await runCommand(deno, [...args, "cli.ts"], {
        cwd: ROOT,
        env: cliEnvironment(),
      });
      assert.doesNotMatch(stderr, /warning/i);
      // The installed wrapper runs `deno` from PATH: here the one `npm ci` put in node_modules/.bin.
      const { stdout } = await runCommand(join(denoRoot, "bin", "rkllm-models"), ["--version"], {
        cwd: "/",
        env: cliEnvironment({ PATH: `${dirname(deno)}${delimiter}${process.env.PATH}` }),
      });
      assert.equal(stdout.trim(), `rkllm-models ${VERSION}`);
    });
  },
);

/** What npm printed on stdout and stderr, run without the settings of an npm that runs the tests. */
async function npmPrinted(args: string[], cwd: string): Promise<string> {
  const inherited = Object.keys(process.env).filter((name) => /^npm_/i.test(name));
  const env = cliEnvironment({
    ...Object.fromEntries(inherited.map((name) => [name, undefined])),
    PATH: `${dirname(NODE!)}${delimiter}${process.env.PATH}`,
  });
  const { stdout, stderr } = await runCommand(NPM!, [...args, "--no-audit", "--no-fund"], {
    cwd,
    env,
    maxBuffer: 1 << 24,
  });
  return stdout + stderr;
}

/** Whether `node` runs TypeScript by itself (Node.js 22.18 and newer). */
async function stripsTypes(node: string): Promise<boolean> {
  const { stdout } = await runCommand(node, ["-p", "Boolean(process.features.typescript)"]);
  return stdout.trim() === "true";
}

/** The lines in which npm warns. */
function npmWarnings(printed: string): string[] {
  return printed.split("\n").filter((line) => /^npm warn/i.test(line));
}

/** Copies what a fresh clone of the repository holds: its files that git does not ignore. */
async function freshClone(target: string): Promise<void> {
  const { stdout } = await runCommand("git", [
    "ls-files",
    "-z",
    "--cached",
    "--others",
    "--exclude-standard",
  ], {
    cwd: ROOT,
    maxBuffer: 1 << 24,
  });
  for (const file of stdout.split("\0").filter(Boolean)) {
    if (!existsSync(join(ROOT, file))) continue;
    mkdirSync(dirname(join(target, file)), { recursive: true });
    cpSync(join(ROOT, file), join(target, file));
  }
}

/** A script that a Node.js user of the library writes after `npm install rkllm-models`. */
const LIBRARY_USER = `import { ModelManager, VERSION } from "rkllm-models";
const [modelsDir, endpoint, repo] = process.argv.slice(2);
const manager = new ModelManager({ modelsDir, endpoint });
const model = await manager.downloadModel(repo);
const [verdict] = await manager.verifyModel();
const listed = await manager.listModels();
console.log(JSON.stringify({ VERSION, path: model.path, ok: verdict.ok, listed: listed.length }));
`;

/** The same in TypeScript, with a line that must not compile if the types are real. */
const TYPESCRIPT_USER = `import { ModelManager, type ModelInfo } from "rkllm-models";
const manager = new ModelManager({ modelsDir: process.argv[2] });
const models: ModelInfo[] = await manager.listModels();
console.log(models.map((model) => model.path));
// @ts-expect-error: modelsDir is a string
new ModelManager({ modelsDir: 1 });
`;

describe(
  "the npm package on the system Node.js",
  {
    skip: skipWhen(
      "the npm package on the system Node.js",
      !NODE || !NPM ? "no system node and npm" : false,
    ),
  },
  () => {
    let root = "";
    let tarball = "";
    let hub: HubServer;
    /** A project that ran `npm install <tarball>`, and what npm printed then. */
    let project = "";
    let projectInstall = "";

    before(async () => {
      root = makeTempDir("rkllm-npm-");
      hub = await startHubServer(standardHub());
      const packed = await npm(["pack", "--pack-destination", root], ROOT);
      tarball = join(root, packed.trim().split("\n").pop()!);
      project = join(root, "project");
      mkdirSync(project);
      writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user", private: true }));
      projectInstall = await npmPrinted(["install", tarball], project);
    });
    after(async () => {
      await hub?.close();
      if (root) removeDir(root);
    });

    it("npm install -g of the tarball prints no npm warning, and the command runs", async () => {
      const printed = await npmPrinted(
        ["install", "-g", "--prefix", join(root, "global"), tarball],
        root,
      );
      assert.deepEqual(npmWarnings(printed), []);
      const installed = installedIn(join(root, "global"), root);
      const { stdout } = await runCommand(installed.bin, ["--version"], {
        cwd: "/",
        env: installed.env(),
      });
      assert.equal(stdout.trim(), `rkllm-models ${VERSION}`);
    });

    it('npm install of the tarball gives the system Node.js the library: import from "rkllm-models"', async () => {
      assert.deepEqual(npmWarnings(projectInstall), []);
      writeFileSync(join(project, "use.mjs"), LIBRARY_USER);
      const { stdout } = await runCommand(NODE!, [
        "use.mjs",
        join(project, "used-models"),
        hub.endpoint,
        QWEN.id,
      ], { cwd: project, env: cliEnvironment(NO_PROXIES) });
      const used = JSON.parse(stdout);
      assert.deepEqual({ ...used, path: undefined }, {
        VERSION,
        path: undefined,
        ok: true,
        listed: 1,
      });
      assert.deepEqual(new Uint8Array(readFileSync(used.path)), bytesOf(QWEN, QWEN_FILE));
    });

    it("the README's library example runs as written on the system Node.js, Deno and Bun", async () => {
      const readme = readFileSync(join(ROOT, "README.md"), "utf8");
      const library = readme.slice(readme.indexOf("\n## Library usage\n"));
      const example = library.match(/\n```ts\n([\s\S]*?)\n```\n/)![1];
      assert.match(example, /from "rkllm-models";/);
      writeFileSync(join(project, "example.mjs"), example);
      const bin = join(ROOT, "node_modules", ".bin");
      const permissions = ["--allow-net", "--allow-read", "--allow-write", "--allow-env"];
      const runtimes: [string, string[]][] = [
        [NODE!, ["example.mjs"]],
        [join(bin, "deno"), ["run", "--no-prompt", ...permissions, "example.mjs"]],
        [join(bin, "bun"), ["example.mjs"]],
      ];
      for (const [runtime, args] of runtimes) {
        const { stdout, stderr } = await runCommand(runtime, args, {
          cwd: project,
          env: cliEnvironment({ HF_ENDPOINT: hub.endpoint, ...NO_PROXIES }),
        });
        // It downloads into ./models, prints the model's path, and removes the model at the end.
        const file = join(project, "models", QWEN.id, QWEN_FILE);
        assert.ok(stdout.startsWith(`${file} `), `${runtime}: ${stdout}\n${stderr}`);
        assert.ok(!existsSync(file), runtime);
      }
    });

    it('its types compile in a TypeScript project: tsc on a file that imports "rkllm-models"', async (t) => {
      const tsc = join(ROOT, "node_modules", ".bin", "tsc");
      if (!existsSync(tsc)) return skipTest(t, "no typescript in node_modules: run npm ci");
      const project = join(root, "typed");
      mkdirSync(join(project, "node_modules"), { recursive: true });
      writeFileSync(
        join(project, "package.json"),
        JSON.stringify({ name: "typed", type: "module" }),
      );
      await npmPrinted(["install", tarball], project);
      symlinkSync(join(ROOT, "node_modules", "@types"), join(project, "node_modules", "@types"));
      writeFileSync(join(project, "use.ts"), TYPESCRIPT_USER);
      const options = ["--noEmit", "--strict", "--target", "es2022", "--types", "node"];
      for (const resolution of [["nodenext", "nodenext"], ["esnext", "bundler"]]) {
        const [module, moduleResolution] = resolution;
        const compiled = await runCommand(tsc, [
          ...options,
          "--module",
          module,
          "--moduleResolution",
          moduleResolution,
          "use.ts",
        ], { cwd: project, env: cliEnvironment() }).catch((error) => error);
        assert.equal(compiled.code ?? 0, 0, `${moduleResolution}: ${compiled.stdout}`);
      }
    });

    it("npm install -g of a fresh clone prints no npm warning, and the command runs on the system Node.js without a build", async () => {
      const clone = join(root, "clone");
      await freshClone(clone);
      const printed = await npmPrinted(
        ["install", "-g", "--prefix", join(root, "linked"), clone],
        root,
      );
      assert.deepEqual(npmWarnings(printed), []);
      const linked = installedIn(join(root, "linked"), root);
      const onSystemNode = await runCommand(linked.bin, ["--version"], {
        cwd: "/",
        env: linked.env(),
      }).catch((error) => error);
      assert.equal(onSystemNode.stdout.trim(), `rkllm-models ${VERSION}`, onSystemNode.stderr);
      // Without the committed bundle, a Node.js that cannot strip types says what to build.
      if (await stripsTypes(NODE!)) return;
      rmSync(join(clone, "lib"), { recursive: true });
      const unbuilt = await runCommand(linked.bin, ["--version"], { cwd: "/", env: linked.env() })
        .catch((error) => error);
      assert.equal(unbuilt.code, 1, unbuilt.stderr);
      assert.ok(unbuilt.stderr.includes(clone), unbuilt.stderr);
      assert.ok(unbuilt.stderr.includes("npm ci && npm run build:npm"), unbuilt.stderr);
    });
  },
);
