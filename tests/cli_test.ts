import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bytesOf, GATED, MULTI, QWEN, QWEN_FILE, standardHub } from "./support/fixtures.ts";
import { parseJson } from "./support/cli_process.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { skipTest } from "./support/skips.ts";
import { mountTmpfs } from "./support/tmpfs.ts";
import { deadEndpoint } from "./support/dead_endpoint.ts";

describe("the rkllm-models CLI", () => {
  const bed = useHubTestBed(standardHub());
  const { newDir, cli } = bed;

  describe("downloads, lists, shows, removes and cleans, with one JSON document per command", () => {
    // One store, used by the steps in order; each step is its own test, so one failure
    // does not hide the others.
    let dir = "";
    let modelDir = "";

    it("download --json writes the file and prints its path and revision", async () => {
      dir = newDir();
      const download = await cli([
        "download",
        QWEN.id,
        "--dir",
        dir,
        "--endpoint",
        bed.hub.endpoint,
        "--json",
      ]);
      assert.equal(download.code, 0, download.stderr);
      const model = parseJson(download.stdout);
      modelDir = model.dir;
      assert.equal(
        model.path,
        join(dir, "limcheekin", "Qwen2.5-0.5B-Instruct-rk3588-1.1.4", QWEN_FILE),
      );
      assert.deepEqual(new Uint8Array(readFileSync(model.path)), bytesOf(QWEN, QWEN_FILE));
      const info = await (await fetch(`${bed.hub.endpoint}/api/models/${QWEN.id}`)).json();
      assert.equal(model.revision, info.sha);
    });

    it("list --json", async () => {
      const list = await cli(["list", "--json", "--dir", dir]);
      assert.equal(list.code, 0, list.stderr);
      const listed = parseJson(list.stdout);
      assert.equal(listed.length, 1);
      assert.equal(listed[0].name, QWEN_FILE.replace(".rkllm", ""));
      assert.equal(listed[0].quantization, "w8a8");
    });

    it("list as a table", async () => {
      const human = await cli(["list", "--dir", dir]);
      assert.match(human.stdout, /^NAME\s+SIZE\s+DOWNLOADED$/m);
      assert.match(human.stdout, /^Qwen2\.5-0\.5B-Instruct-rk3588-w8a8\S*\s+3\.0 MiB\s+\d{4}-/m);
    });

    it("info --json", async () => {
      const shown = await cli(["info", "Qwen2.5-0.5B", "--dir", dir, "--json"]);
      assert.equal(shown.code, 0, shown.stderr);
      const details = parseJson(shown.stdout);
      assert.equal(details.verified, true);
      assert.equal(details.config.model_type, "qwen2");
      assert.equal(details.config.context_length, 32768);
    });

    it("info of a model that is not there", async () => {
      const missing = await cli(["info", "no-such-model", "--dir", dir]);
      assert.equal(missing.code, 3);
      assert.match(missing.stderr, /error: no local model matches "no-such-model"\nhint: /);
    });

    it("rm --json", async () => {
      const removed = await cli(["rm", "Qwen2.5", "--dir", dir, "--json"]);
      assert.equal(removed.code, 0, removed.stderr);
      assert.equal(parseJson(removed.stdout).removedDirectory, true);
      assert.ok(modelDir !== "" && !existsSync(modelDir));
    });

    it("clean --yes --json", async () => {
      await cli(["download", QWEN.id, "--dir", dir, "--quiet"]);
      const cleaned = await cli(["clean", "--yes", "--dir", dir, "--json"]);
      assert.equal(cleaned.code, 0, cleaned.stderr);
      assert.ok(parseJson(cleaned.stdout).freedBytes > 3_000_000);
      assert.deepEqual(parseJson((await cli(["list", "--json", "--dir", dir])).stdout), []);
    });
  });

  it("refuses to clean without a terminal unless --yes is given", async () => {
    const dir = newDir();
    assert.equal((await cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
    const refused = await cli(["clean", "--dir", dir], {}, { input: "y\n" });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--yes/);
    assert.equal(parseJson((await cli(["list", "--json", "--dir", dir])).stdout).length, 1);
  });

  describe("maps failures to documented exit codes, with a JSON error document under --json", () => {
    // Each failure is its own test, so one wrong exit code does not hide the others.
    const cases: [string[], number, string][] = [
      [["download", "a"], 2, "usage"],
      [["download", "a/b/c"], 2, "usage"],
      [["download", "../x"], 2, "usage"],
      [["download", "owner/with space"], 2, "usage"],
      [["download", "nobody/nothing"], 3, "repo_not_found"],
      [["download", QWEN.id, "nope.rkllm"], 3, "file_not_found"],
      [["download", MULTI.id], 2, "usage"],
      [["download", GATED.id], 4, "gated"],
      [["download", QWEN.id, "--endpoint", "<dead endpoint>"], 5, "network"],
    ];
    for (const [command, code, errorCode] of cases) {
      it(`${command.join(" ")} exits ${code} with error code ${errorCode}`, async () => {
        const endpoint = command.includes("<dead endpoint>") ? await deadEndpoint() : "";
        const args = [
          ...command.map((arg) => arg === "<dead endpoint>" ? endpoint : arg),
          "--dir",
          newDir(),
        ];
        const result = await cli([...args, "--json", "--retries", "0"]);
        assert.equal(result.code, code, `${args.join(" ")}: ${result.stdout}${result.stderr}`);
        const document = parseJson(result.stdout);
        assert.equal(document.error.code, errorCode, args.join(" "));
        assert.ok(document.error.message && document.error.hint, "message and hint");
        const human = await cli([...args, "--retries", "0"]);
        assert.equal(human.stdout, "", "errors go to stderr");
        assert.match(human.stderr, /^error: .+\n( {2}.+\n)*hint: .+/m);
      });
    }
  });

  it("lists the variants and the flag that selects each when no file is given without a terminal", async () => {
    const result = await cli(["download", MULTI.id, "--dir", newDir()]);
    assert.equal(result.code, 2);
    assert.match(
      result.stderr,
      /TinyLlama-1\.1B-Chat-v1\.0-rk3588-w8a8-opt-0-hybrid-ratio-0\.5\.rkllm\s+--platform rk3588/,
    );
    assert.match(
      result.stderr,
      /TinyLlama-1\.1B-Chat-v1\.0-rk3576-w4a16-opt-1-hybrid-ratio-0\.0\.rkllm\s+--platform rk3576/,
    );
    const chosen = await cli([
      "download",
      MULTI.id,
      "--platform",
      "rk3576",
      "--dir",
      newDir(),
      "--json",
    ]);
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.equal(parseJson(chosen.stdout).platform, "rk3576");
  });

  it("reports a missing or malformed configs/models.json as a config error", async () => {
    const broken = join(bed.root, "broken.json");
    writeFileSync(broken, "{ nope");
    const wrongShape = join(bed.root, "wrong.json");
    writeFileSync(wrongShape, JSON.stringify({ REPOSITORY_SUGGESTIONS: "x" }));
    for (const path of [join(bed.root, "missing.json"), broken, wrongShape]) {
      const result = await cli(["list", "--dir", newDir()], { RKLLM_MODELS_CONFIG: path });
      assert.equal(result.code, 1, result.stderr);
      assert.match(result.stderr, /^error: .*models config.*\nhint: /m);
      assert.doesNotMatch(result.stderr, /\n\s+at /, "no stack trace");
      const json = await cli(["list", "--json", "--dir", newDir()], {
        RKLLM_MODELS_CONFIG: path,
      });
      assert.equal(parseJson(json.stdout).error.code, "config");
    }
  });

  it("reports a models directory it cannot write as a storage error (exit 7)", async (t) => {
    const parent = join(bed.root, "readonly");
    mkdirSync(parent);
    try {
      const mount = mountTmpfs(parent, { readOnly: true, sizeBytes: 1024 * 1024 });
      bed.defer(() => mount.unmount());
    } catch {
      chmodSync(parent, 0o555);
      if (process.getuid?.() === 0) {
        return skipTest(
          t,
          "needs mount (as root) or a non-root user to make a read-only directory",
        );
      }
    }
    const result = await cli(["download", QWEN.id, "--dir", join(parent, "models"), "--json"]);
    assert.equal(result.code, 7, result.stdout + result.stderr);
    assert.equal(parseJson(result.stdout).error.code, "storage");
  });

  describe("prints help for every command and suggests the closest command or option", () => {
    for (
      const command of ["download", "list", "info", "files", "search", "verify", "remove", "clean"]
    ) {
      it(`${command} --help`, async () => {
        const help = await cli([command, "--help"]);
        assert.equal(help.code, 0);
        assert.match(help.stdout, new RegExp(`^Usage: rkllm-models ${command}`));
        assert.match(help.stdout, /Examples:\n {2}rkllm-models .+\n {2}rkllm-models .+/);
      });
    }

    it("--help lists the exit codes", async () => {
      const main = await cli(["--help"]);
      assert.match(main.stdout, /Exit codes: 0 ok/);
    });

    it("suggests the closest command", async () => {
      const typo = await cli(["lsit"]);
      assert.equal(typo.code, 2);
      assert.match(typo.stderr, /did you mean "rkllm-models list"/);
    });

    it("suggests the closest option", async () => {
      const option = await cli(["download", QWEN.id, "--dry-rn"]);
      assert.equal(option.code, 2);
      assert.match(option.stderr, /did you mean --dry-run/);
    });

    it("--version", async () => {
      const version = await cli(["--version"]);
      assert.match(version.stdout, /^rkllm-models \d+\.\d+\.\d+\n$/);
    });
  });
});
