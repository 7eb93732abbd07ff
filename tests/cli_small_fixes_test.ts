import { describe } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { cliCommand, cliEnvironment, parseJson, runCommand } from "./support/cli_process.ts";
import { MULTI, QWEN, QWEN_FILE, standardHub } from "./support/fixtures.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { hasScript, runInPty } from "./support/pty.ts";
import { skipWhen } from "./support/skips.ts";
import { countOf } from "../src/cli/format.ts";
import { it } from "./support/test_timeout.ts";

const RK3576_FILE = "TinyLlama-1.1B-Chat-v1.0-rk3576-w4a16-opt-1-hybrid-ratio-0.0.rkllm";

describe("the small ones", () => {
  const bed = useHubTestBed(standardHub());
  const { newDir, cli } = bed;

  it("download takes owner/name/file.rkllm as one argument, as info and remove do", async () => {
    const dir = newDir();
    const result = await cli(["download", `${QWEN.id}/${QWEN_FILE}`, "--dir", dir, "--json"]);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(parseJson(result.stdout).path.endsWith(`${QWEN.id}/${QWEN_FILE}`));
  });

  it("refuses a file whose name contradicts --platform instead of ignoring the flag", async () => {
    const result = await cli([
      "download",
      MULTI.id,
      RK3576_FILE,
      "--platform",
      "rk3588",
      "--dir",
      newDir(),
    ]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(
      result.stderr,
      /^error: conflicting --platform rk3588 \(the file is for rk3576\): TinyLlama/m,
    );
  });

  it("rm takes several models, and removes none when one is unknown; counts say 1 file", async () => {
    const dir = newDir();
    assert.equal((await cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
    assert.equal((await cli(["download", MULTI.id, RK3576_FILE, "--dir", dir, "-q"])).code, 0);
    const unknown = await cli(["rm", "Qwen2.5", "nothing-like-this", "--dir", dir]);
    assert.equal(unknown.code, 3, unknown.stderr);
    assert.equal(parseJson((await cli(["list", "--dir", dir, "--json"])).stdout).length, 2);
    const removed = await cli(["rm", "Qwen2.5", "TinyLlama", "--dir", dir]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.equal(removed.stdout.trim().split("\n").length, 2, removed.stdout);
    assert.deepEqual(parseJson((await cli(["list", "--dir", dir, "--json"])).stdout), []);
    assert.doesNotMatch(removed.stdout, /\b1 files\b/);
    assert.equal(countOf(1, "file"), "1 file");
    assert.equal(countOf(2, "partial download"), "2 partial downloads");
  });

  it("says a --dir that is a regular file is not a directory", async () => {
    const file = join(bed.root, "not-a-dir");
    writeFileSync(file, "x");
    const result = await cli(["list", "--dir", file]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /^error: the models directory .* is a file, not a directory$/m);
  });

  it("help shows the aliases, and a command's help only the global options it uses", async () => {
    const main = await cli(["--help"]);
    assert.match(main.stdout, /^ {2}download \(pull\) +download a model/m);
    assert.match(main.stdout, /^ {2}remove \(rm\) +/m);
    const list = await cli(["list", "--help"]);
    assert.doesNotMatch(list.stdout, /--endpoint|--token|--retries|--progress/);
    assert.match(list.stdout, /--dir DIR/);
    assert.match(list.stdout, /all global options: rkllm-models --help/);
    const download = await cli(["download", "--help"]);
    assert.match(download.stdout, /--endpoint URL/);
  });

  it("completion bash completes commands, options and local model names", async () => {
    const dir = newDir();
    assert.equal((await cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
    const bin = join(bed.root, "completion-bin");
    mkdirSync(bin, { recursive: true });
    const wrapper = join(bin, "rkllm-models");
    writeFileSync(wrapper, `#!/bin/sh\nexec ${cliCommand({ quiet: true }).join(" ")} "$@"\n`);
    chmodSync(wrapper, 0o755);
    const script = (await cli(["completion", "bash"])).stdout;
    const complete = async (words: string[]) => {
      const { stdout } = await runCommand("bash", [
        "-c",
        `${script}\nCOMP_WORDS=(${words.map((word) => `'${word}'`).join(" ")}); ` +
        `COMP_CWORD=${words.length - 1}; _rkllm_models; printf '%s\\n' "\${COMPREPLY[@]}"`,
      ], {
        env: cliEnvironment({ PATH: `${bin}:${process.env.PATH}`, RKLLM_MODELS_DIR: dir }),
      });
      return stdout.trim().split("\n");
    };
    assert.deepEqual(await complete(["rkllm-models", "dow"]), ["download"]);
    assert.deepEqual(await complete(["rkllm-models", "list", "--par"]), ["--partial"]);
    assert.deepEqual(await complete(["rkllm-models", "info", "Qwen"]), [
      QWEN_FILE.replace(/\.rkllm$/, ""),
    ]);
    for (const shell of ["zsh", "fish"]) {
      const other = await cli(["completion", shell]);
      assert.equal(other.code, 0, other.stderr);
      assert.match(other.stdout, /rkllm-models/);
      assert.match(other.stdout, /outdated/);
    }
    assert.equal((await cli(["completion", "tcsh"])).code, 2);
  });

  const noPty = skipWhen(
    "tests/cli_small_fixes_test.ts (the clean prompt says how much it deletes)",
    !hasScript() && "needs script from util-linux for a pseudo-terminal",
  );
  it("the clean prompt says how much it deletes", { skip: noPty }, async () => {
    const dir = newDir();
    assert.equal((await cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
    const result = await runInPty(["clean", "--dir", dir], {
      cwd: bed.root,
      env: { HF_ENDPOINT: bed.hub.endpoint },
      answers: [[/\[y\/N\]/, "n\n"]],
    });
    assert.match(result.text, /Remove 1 model \(3\.0 MiB\) and 0 partial downloads \(0 B\) in /);
  });
});

const RK3588_FILE = "TinyLlama-1.1B-Chat-v1.0-rk3588-w8a8-opt-0-hybrid-ratio-0.5.rkllm";

describe("the smaller surfaces", () => {
  const bed = useHubTestBed(standardHub());
  const { newDir, cli } = bed;

  it("rm owner/name removes every model of that repository, as the README says it takes", async () => {
    const dir = newDir();
    for (const file of [RK3576_FILE, RK3588_FILE]) {
      assert.equal((await cli(["download", MULTI.id, file, "--dir", dir, "-q"])).code, 0);
    }
    assert.equal((await cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
    const removed = await cli(["rm", MULTI.id, "--dir", dir, "--json"]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual(
      parseJson(removed.stdout).map((result: { model: { file: string } }) => result.model.file)
        .sort(),
      [RK3576_FILE, RK3588_FILE].sort(),
    );
    const left = parseJson((await cli(["list", "--dir", dir, "--json"])).stdout);
    assert.deepEqual(left.map((model: { repo: string }) => model.repo), [QWEN.id]);
  });

  it("config says where the store is with nothing set, and get says what is in effect", async () => {
    const home = newDir("home");
    const store = join(home, "store");
    const env = { XDG_CONFIG_HOME: join(home, "config"), RKLLM_MODELS_DIR: store };
    const shown = await cli(["config"], env);
    assert.equal(shown.code, 0, shown.stderr);
    assert.ok(
      shown.stderr.split("\n").includes(`models directory: ${store} (from RKLLM_MODELS_DIR)`),
      shown.stderr,
    );
    const got = await cli(["config", "get", "modelsDir"], env);
    assert.equal(got.code, 1, "not set in the file");
    assert.equal(got.stdout, "");
    assert.match(got.stderr, /^modelsDir is not set in \S+config\.json; in effect: /m);
    assert.ok(got.stderr.includes(`in effect: ${store} (from RKLLM_MODELS_DIR)`), got.stderr);
  });

  it("says which chip a download took and why, when the repository has several", async () => {
    const dir = newDir();
    // No board here (the tests' device tree names none), and --quant leaves one variant.
    const result = await cli(["download", MULTI.id, "--quant", "w4a16", "--dir", dir]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stderr,
      /^chose the rk3576 variant, the only one --quant w4a16 leaves; no board chip was detected here \(choose another with --platform rk3588\)$/m,
    );
    const asked = await cli(["download", MULTI.id, "--platform", "rk3576", "--dir", dir]);
    assert.doesNotMatch(asked.stderr, /^chose /m, "a chip asked for needs no word");
  });

  it("list marks a model that failed verify, until a download repairs it", async () => {
    const dir = newDir();
    assert.equal((await cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
    assert.equal((await cli(["download", MULTI.id, RK3576_FILE, "--dir", dir, "-q"])).code, 0);
    const path = join(dir, QWEN.id, QWEN_FILE);
    const bytes = readFileSync(path);
    bytes[10] ^= 0xff;
    writeFileSync(path, bytes);
    assert.equal((await cli(["verify", "--dir", dir])).code, 6);
    const listed = await cli(["list", "--dir", dir]);
    assert.match(listed.stdout, /^NAME +SIZE +DOWNLOADED +VERIFY$/m);
    assert.match(
      listed.stdout,
      new RegExp(`^${QWEN_FILE.replace(/\.rkllm$/, "").replaceAll(".", "\\.")} .* FAILED$`, "m"),
    );
    assert.match(listed.stdout, /^TinyLlama\S* .* -$/m);
    assert.match(listed.stderr, /FAILED did not verify: rkllm-models verify/);
    const json = parseJson((await cli(["list", "--dir", dir, "--json"])).stdout);
    assert.ok(json.find((model: { repo: string }) => model.repo === QWEN.id).failedVerifyAt);

    assert.equal((await cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
    assert.doesNotMatch((await cli(["list", "--dir", dir])).stdout, /VERIFY|FAILED/);
  });
});
