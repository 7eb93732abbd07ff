/**
 * The standalone binaries of `npm run build`, run the way a user runs them: one file copied
 * anywhere, no runtime, no `configs/` beside it, a clean environment. The aarch64 binary runs
 * under `qemu-aarch64-static`, the x64 one natively, against the loopback Hub.
 *
 * Not a `*_test.ts` file, so the per-runtime suites leave it alone:
 * `npm run test:binary` builds the binaries and then runs `node --test tests/standalone_binary.ts`.
 *
 * @module
 */
import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { delimiter, dirname, join } from "node:path";
import process from "node:process";
import { type HubServer, sampleRepo, sha256Hex, startHubServer } from "./support/hub_server.ts";
import { bytesOf, QWEN_FILE } from "./support/fixtures.ts";
import { type CliResult, finished, ROOT } from "./support/cli_process.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";
import { COMMANDS } from "../src/cli/main.ts";
import { VERSION } from "../src/version.ts";

const QEMU = "qemu-aarch64-static";
const AARCH64_SYSROOT = "/usr/aarch64-linux-gnu";
const REPO = sampleRepo();
const EMBEDDED_CONFIG = JSON.parse(readFileSync(join(ROOT, "configs", "models.json"), "utf8"));
/** What `download` stores besides the `.rkllm` file: the technical files the repository has. */
const TECHNICAL_FILES = [
  "config.json",
  "generation_config.json",
  "tokenizer_config.json",
  "tokenizer.json",
];

/** One way of running a built binary. */
interface Target {
  /** Shown in the test names. */
  name: string;
  /** The binary `npm run build` makes. */
  binary: string;
  /** Why it cannot run here, with what to do about it; undefined when it can. */
  missing(): string | undefined;
  /** The program and leading arguments that run the binary. */
  command(): string[];
  /** Environment the runner itself needs. */
  env: Record<string, string>;
}

function findOnPath(program: string): string | undefined {
  for (const directory of (process.env.PATH ?? "").split(delimiter)) {
    if (!directory) continue;
    try {
      accessSync(join(directory, program), constants.X_OK);
      return join(directory, program);
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

function missingBinary(binary: string): string | undefined {
  return existsSync(binary)
    ? undefined
    : `${binary} does not exist: build it first with npm run build (or run npm run test:binary)`;
}

const TARGETS: Target[] = [
  {
    name: "linux-arm64 under qemu-aarch64-static",
    binary: join(ROOT, "dist", "rkllm-models-linux-arm64"),
    missing() {
      if (!findOnPath(QEMU)) {
        return `${QEMU} is not on PATH: install it with apt-get install qemu-user-static libc6-arm64-cross`;
      }
      if (!existsSync(join(AARCH64_SYSROOT, "lib", "ld-linux-aarch64.so.1"))) {
        return `the aarch64 C library is missing from ${AARCH64_SYSROOT}: install it with apt-get install libc6-arm64-cross`;
      }
      return missingBinary(this.binary);
    },
    command() {
      return [findOnPath(QEMU)!, this.binary];
    },
    env: { QEMU_LD_PREFIX: AARCH64_SYSROOT },
  },
  {
    name: "linux-x64",
    binary: join(ROOT, "dist", "rkllm-models-linux-x64"),
    missing() {
      if (process.platform !== "linux" || process.arch !== "x64") {
        return `the x64 binary needs an x86-64 Linux machine, not ${process.platform}-${process.arch}`;
      }
      return missingBinary(this.binary);
    },
    command() {
      return [this.binary];
    },
    env: {},
  },
];

// deno-lint-ignore no-explicit-any
function parseJson(result: CliResult): any {
  try {
    return JSON.parse(result.stdout);
  } catch {
    assert.fail(
      `stdout is not one JSON document (exit ${result.code}):\n${result.stdout}${result.stderr}`,
    );
  }
}

for (const target of TARGETS) {
  describe(`the standalone binary for ${target.name}`, () => {
    let hub: HubServer;
    let root: string;
    let count = 0;
    const freshDir = (name: string) => {
      const path = join(root, `${name}-${count++}`);
      mkdirSync(path);
      return path;
    };
    /** Runs the binary in `cwd` with nothing from the test's environment but PATH. */
    const run = (args: string[], cwd: string, env: Record<string, string> = {}) => {
      const problem = target.missing();
      if (problem) assert.fail(problem);
      const [program, ...prefix] = target.command();
      return finished(spawn(program, [...prefix, ...args], {
        cwd,
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: root,
          HF_HOME: join(root, "no-hf-home"),
          ...target.env,
          ...env,
        },
        stdio: ["ignore", "pipe", "pipe"],
      }));
    };

    before(async () => {
      hub = await startHubServer({ repos: [REPO] });
      root = makeTempDir("rkllm-binary-");
    });
    after(async () => {
      await hub?.close();
      if (root) removeDir(root);
    });

    it("prints the package version", async () => {
      const plain = await run(["--version"], freshDir("cwd"));
      assert.equal(plain.code, 0, plain.stderr);
      assert.equal(plain.stdout.trim(), `rkllm-models ${VERSION}`);
      const json = await run(["--version", "--json"], freshDir("cwd"));
      assert.deepEqual(parseJson(json), { version: VERSION });
    });

    it("prints help for every command, quoting the embedded example model", async () => {
      const help = await run(["--help"], freshDir("cwd"));
      assert.equal(help.code, 0, help.stderr);
      for (const command of COMMANDS) {
        assert.match(help.stdout, new RegExp(`^  ${command.name}\\s+\\S`, "m"), command.name);
      }
      const [example] = EMBEDDED_CONFIG.EXAMPLE_MODEL_FILES;
      assert.ok(
        help.stdout.includes(`rkllm-models download ${example.repo} ${example.file}`),
        help.stdout,
      );
    });

    it("needs no configs/ beside it or in the working directory", async () => {
      const cwd = freshDir("empty");
      assert.deepEqual(readdirSync(cwd), []);
      assert.ok(!existsSync(join(dirname(target.binary), "configs")), "dist/ holds a configs/");
      const suggestions = await run(["search", "--json"], cwd);
      assert.equal(suggestions.code, 0, suggestions.stderr);
      assert.deepEqual(parseJson(suggestions), EMBEDDED_CONFIG.REPOSITORY_SUGGESTIONS);
    });

    it("reads RKLLM_MODELS_CONFIG instead of the embedded config when it is set", async () => {
      const cwd = freshDir("override");
      const override = {
        REPOSITORY_SUGGESTIONS: [{
          repo: "override/only-here-rk3588",
          description: "from the env",
        }],
        EXAMPLE_MODEL_FILES: [{ repo: "override/only-here-rk3588", file: "only-here.rkllm" }],
      };
      const path = join(cwd, "custom-models.json");
      writeFileSync(path, JSON.stringify(override));
      const suggestions = await run(["search", "--json"], cwd, { RKLLM_MODELS_CONFIG: path });
      assert.equal(suggestions.code, 0, suggestions.stderr);
      assert.deepEqual(parseJson(suggestions), override.REPOSITORY_SUGGESTIONS);

      const missing = join(cwd, "absent.json");
      const broken = await run(["search", "--json"], cwd, { RKLLM_MODELS_CONFIG: missing });
      assert.equal(broken.code, 1, broken.stdout);
      const error = parseJson(broken).error;
      assert.equal(error.code, "config");
      assert.ok(error.message.includes(missing), error.message);
    });

    it("ignores a .env file in the working directory, like cli.ts does", async () => {
      const cwd = freshDir("dotenv");
      writeFileSync(join(cwd, ".env"), `RKLLM_MODELS_CONFIG=${join(cwd, "absent.json")}\n`);
      const suggestions = await run(["search", "--json"], cwd);
      assert.equal(suggestions.code, 0, `the binary loaded .env: ${suggestions.stdout}`);
      assert.deepEqual(parseJson(suggestions), EMBEDDED_CONFIG.REPOSITORY_SUGGESTIONS);
    });

    it("downloads, lists, verifies and removes a model from the loopback Hub, byte for byte", async () => {
      const cwd = freshDir("work");
      const dir = join(cwd, "models");
      const download = await run(
        ["download", REPO.id, "--dir", dir, "--endpoint", hub.endpoint, "--json", "--quiet"],
        cwd,
      );
      assert.equal(download.code, 0, download.stdout + download.stderr);
      const model = parseJson(download);
      const modelDir = join(dir, ...REPO.id.split("/"));
      assert.equal(model.path, join(modelDir, QWEN_FILE));
      const info = await (await fetch(`${hub.endpoint}/api/models/${REPO.id}`)).json();
      assert.equal(model.revision, info.sha);
      assert.equal(model.sha256, sha256Hex(bytesOf(REPO, QWEN_FILE)));
      const stored = readdirSync(modelDir).filter((name) => !name.startsWith(".")).sort();
      assert.deepEqual(stored, [QWEN_FILE, ...TECHNICAL_FILES].sort());
      for (const file of stored) {
        assert.deepEqual(
          new Uint8Array(readFileSync(join(modelDir, file))),
          bytesOf(REPO, file),
          file,
        );
      }

      const list = await run(["list", "--json", "--dir", dir], cwd);
      assert.equal(list.code, 0, list.stderr);
      const listed = parseJson(list);
      assert.equal(listed.length, 1);
      assert.equal(listed[0].path, model.path);
      assert.equal(listed[0].size, bytesOf(REPO, QWEN_FILE).length);
      assert.equal(listed[0].sha256, model.sha256);

      const verify = await run(["verify", "--json", "--dir", dir], cwd);
      assert.equal(verify.code, 0, verify.stdout + verify.stderr);
      const [verdict] = parseJson(verify);
      assert.equal(verdict.ok, true);
      assert.deepEqual(
        // deno-lint-ignore no-explicit-any
        verdict.files.map((file: any) => [file.file, file.status]).sort(),
        [QWEN_FILE, ...TECHNICAL_FILES].map((file) => [file, "ok"]).sort(),
      );

      const bytes = readFileSync(model.path);
      bytes[bytes.length >> 1] ^= 0xff;
      writeFileSync(model.path, bytes);
      const changed = await run(["verify", "--json", "--dir", dir], cwd);
      assert.equal(changed.code, 6, changed.stdout + changed.stderr);
      const [failed] = parseJson(changed);
      assert.equal(failed.ok, false);
      // deno-lint-ignore no-explicit-any
      assert.notEqual(failed.files.find((file: any) => file.file === QWEN_FILE).status, "ok");

      const removed = await run(["remove", model.name, "--json", "--dir", dir], cwd);
      assert.equal(removed.code, 0, removed.stdout + removed.stderr);
      assert.equal(parseJson(removed).removedDirectory, true);
      assert.ok(!existsSync(modelDir), "the model directory is gone");
      assert.deepEqual(parseJson(await run(["list", "--json", "--dir", dir], cwd)), []);
    });

    it("exports, imports and serves a store (serve, export, import are built in)", async () => {
      const cwd = freshDir("fleet");
      const env = { HF_ENDPOINT: hub.endpoint };
      const store = join(cwd, "store");
      const downloaded = await run(["download", REPO.id, "--dir", store, "--quiet"], cwd, env);
      assert.equal(downloaded.code, 0, downloaded.stderr);
      const stick = join(cwd, "stick");
      const exported = await run(["export", QWEN_FILE, stick, "--dir", store, "--json"], cwd);
      assert.equal(exported.code, 0, exported.stderr);
      const board = join(cwd, "board");
      const imported = await run(["import", stick, "--dir", board, "--json"], cwd);
      assert.equal(imported.code, 0, imported.stderr);
      assert.deepEqual(parseJson(imported).refused, []);
      const [program, ...prefix] = target.command();
      const server = spawn(program, [
        ...prefix,
        "serve",
        "--port",
        "0",
        "--json",
        "--dir",
        board,
      ], {
        cwd,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: root, ...target.env },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const exit = finished(server);
      const firstLine = await new Promise<string>((resolve, reject) => {
        let text = "";
        server.stdout!.on("data", (chunk) => {
          text += chunk;
          if (text.includes("\n")) resolve(text.split("\n")[0]);
        });
        server.once("exit", () => reject(new Error(`serve exited before it was ready: ${text}`)));
      });
      const { url } = JSON.parse(firstLine);
      const response = await fetch(`${url}/${REPO.id}/resolve/main/${QWEN_FILE}`);
      assert.equal(response.status, 200);
      assert.equal(
        sha256Hex(new Uint8Array(await response.arrayBuffer())),
        sha256Hex(new Uint8Array(readFileSync(join(store, REPO.id, QWEN_FILE)))),
      );
      process.kill(server.pid!, "SIGTERM");
      const stopped = await exit;
      assert.equal(stopped.code, 0, stopped.stderr);
    });
  });
}
