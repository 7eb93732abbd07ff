/**
 * The CLI people enjoy, its output: one JSON document for programs, NDJSON progress,
 * plain lines without a terminal, --quiet, info, files and search.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bytesOf, MULTI, NO_MODELS, QWEN, QWEN_FILE } from "./support/fixtures.ts";
import { parseJson, parseNdjson } from "./support/cli_process.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { ANSI_ESCAPE } from "./support/pty.ts";
import {
  escapeRegExp,
  experienceHub,
  lines,
  MULTI_RK3588,
  QWEN_TECHNICAL,
} from "./support/experience_fixtures.ts";

describe("the CLI people enjoy: output for programs and people (JSON, progress, info, files, search)", () => {
  const bed = useHubTestBed(experienceHub());
  const { newDir, cli, observed } = bed;

  describe("output for programs and people", () => {
    describe("--json prints exactly one JSON document on stdout for every command", () => {
      // One store, used by the steps in order; each step is its own test, so one failure
      // does not hide the others.
      let dir = "";
      let revision = "";

      it("download", async () => {
        dir = newDir();
        const downloaded = await cli(["download", QWEN.id, "--dir", dir, "--json"]);
        assert.equal(downloaded.code, 0, downloaded.stderr);
        const model = parseJson(downloaded.stdout);
        revision = model.revision;
        assert.equal(model.path, join(dir, QWEN.id, QWEN_FILE));
        assert.equal(model.platform, "rk3588");
        assert.deepEqual([...model.technicalFiles].sort(), [...QWEN_TECHNICAL].sort());
      });

      it("list", async () => {
        const listed = parseJson((await cli(["list", "--dir", dir, "--json"])).stdout);
        assert.deepEqual(listed.map((item: { name: string }) => item.name), [
          QWEN_FILE.replace(".rkllm", ""),
        ]);
        assert.equal(listed[0].revision, revision);
      });

      it("info", async () => {
        const info = parseJson((await cli(["info", "Qwen2.5", "--dir", dir, "--json"])).stdout);
        assert.deepEqual([info.config.model_type, info.config.context_length, info.verified], [
          "qwen2",
          32768,
          true,
        ]);
        assert.equal(info.verification.length, 5);
      });

      it("files", async () => {
        const files = parseJson((await cli(["files", MULTI.id, "--json"])).stdout);
        assert.equal(files.repo, MULTI.id);
        assert.match(files.revision, /^[0-9a-f]{40}$/);
        assert.deepEqual(files.technicalFiles, ["config.json", "tokenizer.json"]);
        assert.deepEqual(files.variants[1], {
          file: MULTI_RK3588,
          size: 200_000,
          sha256: createHash("sha256").update(bytesOf(MULTI, MULTI_RK3588)).digest("hex"),
          baseModel: "TinyLlama-1.1B-Chat-v1.0",
          platform: "rk3588",
          quantization: "w8a8",
          optimization: 0,
          hybridRatio: 0.5,
          flags: "--platform rk3588",
          toolkit: { version: "1.1.4", source: "repository name" },
        });
      });

      it("search", async () => {
        const found = parseJson((await cli(["search", "qwen", "--json"])).stdout);
        assert.equal(found[0].id, "bob/Qwen2.5-7B-Instruct-rk3576-w4a16");
        assert.equal(found[0].downloads, 9000);
        const suggested = parseJson((await cli(["search", "--json"])).stdout);
        assert.ok(
          suggested.every((item: { repo: string; description: string }) =>
            item.repo && item.description
          ),
        );
      });

      it("verify and --version", async () => {
        const verified = parseJson((await cli(["verify", "--dir", dir, "--json"])).stdout);
        assert.deepEqual(
          verified.map((item: { file: string; ok: boolean }) => [item.file, item.ok]),
          [[QWEN_FILE, true]],
        );
        const version = parseJson((await cli(["--version", "--json"])).stdout);
        assert.match(version.version, /^\d+\.\d+\.\d+/);
      });

      it("remove and clean", async () => {
        const removed = parseJson(
          (await cli(["remove", "Qwen2.5", "--dir", dir, "--json"])).stdout,
        );
        assert.equal(removed.model.file, QWEN_FILE);
        assert.equal(removed.removedDirectory, true);
        await cli(["download", QWEN.id, "--dir", dir, "-q"]);
        const cleaned = parseJson((await cli(["clean", "--yes", "--dir", dir, "--json"])).stdout);
        assert.ok(cleaned.freedBytes >= bytesOf(QWEN, QWEN_FILE).length);
      });

      it("an error", async () => {
        const failed = await cli(["info", "nothing-like-it", "--dir", dir, "--json"]);
        assert.equal(failed.code, 3);
        assert.deepEqual(Object.keys(parseJson(failed.stdout).error).sort(), [
          "code",
          "hint",
          "message",
        ]);
      });
    });

    it("--progress=json writes NDJSON on stderr: start, progress and done for every file", async () => {
      const result = await cli([
        "download",
        QWEN.id,
        "--dir",
        newDir(),
        "--progress=json",
        "--json",
      ]);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(parseJson(result.stdout).file, QWEN_FILE);
      const events = parseNdjson(result.stderr);
      for (const file of [QWEN_FILE, ...QWEN_TECHNICAL]) {
        const mine = events.filter((event) => event.file === file);
        const size = bytesOf(QWEN, file).length;
        assert.deepEqual(mine[0], {
          event: "start",
          file,
          total: size,
          resumedBytes: 0,
          connections: 1,
        });
        const progress = mine.filter((event) => event.event === "progress");
        assert.ok(progress.length >= 1, file);
        assert.ok(progress.every((event) => event.total === size && event.bytes <= size), file);
        assert.equal(progress.at(-1).bytes, size);
        assert.deepEqual(mine.at(-1), {
          event: "done",
          file,
          total: size,
          transferred: size,
          skipped: false,
          // Bytes arrive in order on one connection, so the hash keeps up: nothing is read back.
          rereadBytes: 0,
        });
      }
    });

    it("without a terminal, prints plain progress lines without escapes", async () => {
      const result = await cli(["download", QWEN.id, "--dir", newDir()]);
      assert.equal(result.code, 0, result.stderr);
      assert.doesNotMatch(result.stderr + result.stdout, ANSI_ESCAPE);
      assert.match(
        result.stderr,
        new RegExp(`^downloading ${escapeRegExp(QWEN_FILE)} \\(3\\.0 MiB\\)$`, "m"),
      );
      assert.match(
        result.stderr,
        new RegExp(`^${escapeRegExp(QWEN_FILE)}: 100% .*done in \\d+s$`, "m"),
      );
      // The small files take no time: one line for them all, with their names.
      const small = result.stderr.split("\n").filter((line) => line.startsWith("small files: "));
      assert.equal(small.length, 1, result.stderr);
      for (const file of QWEN_TECHNICAL) {
        assert.ok(small[0].includes(file), small[0]);
        assert.doesNotMatch(result.stderr, new RegExp(`^${escapeRegExp(file)}: `, "m"));
      }
      assert.match(
        result.stdout,
        new RegExp(`^${escapeRegExp(QWEN.id)}/${escapeRegExp(QWEN_FILE)} \\(3\\.0 MiB\\) -> `),
      );
    });

    it("--quiet prints the result and nothing else", async () => {
      const dir = newDir();
      const result = await cli(["download", QWEN.id, "--dir", dir, "--quiet"]);
      assert.equal(result.code, 0);
      assert.equal(result.stderr, "");
      assert.equal(lines(result.stdout).length, 1);
      const suggestions = await cli(["search", "-q"]);
      assert.equal(suggestions.stderr, "");
      assert.match(suggestions.stdout, /^REPO +DESCRIPTION$/m);
      const failed = await cli(["info", "nothing-like-it", "--dir", dir, "-q"]);
      assert.equal(failed.code, 3);
      assert.match(failed.stderr, /^error: /, "errors still show");
    });

    it("info shows config.json highlights and whether the files still verify", async () => {
      const dir = newDir();
      assert.equal(
        (await cli(["download", MULTI.id, "--platform", "rk3588", "--dir", dir, "-q"])).code,
        0,
      );
      const info = await cli(["info", "TinyLlama", "--dir", dir]);
      assert.equal(info.code, 0, info.stderr);
      assert.match(info.stdout, /^repo: +punchnox\/Tinnyllama-1\.1B-rk3588-rkllm-1\.1\.4$/m);
      assert.match(info.stdout, /^platform: +rk3588$/m);
      assert.match(info.stdout, /^hybrid ratio: +0\.5$/m);
      assert.match(info.stdout, /^technical files: +config\.json, tokenizer\.json$/m);
      assert.match(info.stdout, /^model type: +llama$/m);
      assert.match(info.stdout, /^context length: +2048$/m);
      assert.match(info.stdout, /^verified: +yes$/m);
      const config = join(dir, MULTI.id, "config.json");
      writeFileSync(config, readFileSync(config, "utf8").replace("2048", "4096"));
      const changed = await cli(["info", "TinyLlama", "--dir", dir]);
      assert.equal(changed.code, 0, changed.stderr);
      assert.match(changed.stdout, /^verified: +no \(config\.json: \w+/m);
      assert.match(changed.stdout, /^context length: +4096$/m);
      assert.match(
        (await cli(["info", "TinyLlama", "--dir", dir, "--no-verify"])).stdout,
        /^verified: +skipped$/m,
      );
      assert.equal((await cli(["verify", "TinyLlama", "--dir", dir])).code, 6);
    });

    it("files shows each variant's size, parsed fields and selecting flags, and the technical files", async () => {
      const result = await cli(["files", MULTI.id]);
      assert.equal(result.code, 0, result.stderr);
      const out = lines(result.stdout);
      assert.match(out[0], new RegExp(`^${escapeRegExp(MULTI.id)} at [0-9a-f]{40}$`));
      assert.match(out[1], /^FILE +SIZE +SELECT WITH$/);
      assert.match(
        out[2],
        new RegExp(
          `^${escapeRegExp(MULTI.files[3].path)} +146\\.5 KiB +--platform rk3576$`,
        ),
      );
      assert.match(
        out[3],
        new RegExp(`^${escapeRegExp(MULTI.files[2].path)} +195\\.3 KiB +--platform rk3588$`),
      );
      assert.equal(out[4], "technical files: config.json, tokenizer.json");
      const filtered = lines((await cli(["files", MULTI.id, "--platform", "rk3576"])).stdout);
      assert.equal(
        filtered.filter((line) => line.endsWith(".rkllm") || /rkllm /.test(line)).length,
        1,
      );
      const none = await cli(["files", NO_MODELS.id]);
      assert.match(none.stdout, /^no \.rkllm files$/m);
      assert.match(none.stdout, /^technical files: config\.json$/m);
      assert.equal((await cli(["files", "nobody/nothing"])).code, 3);
    });

    it("search finds RKLLM conversions by text, most downloaded first, and filters by chip", async () => {
      const repos = async (args: string[]) => {
        const result = await cli(["search", ...args]);
        assert.equal(result.code, 0, result.stderr);
        // Rows read REPO, DOWNLOADS, MODIFIED (not a terminal: one row per line).
        return lines(result.stdout).slice(1).map((line) => line.split(/ +/));
      };
      const all = await repos(["qwen"]);
      assert.deepEqual(all.map(([id]) => id), [
        "bob/Qwen2.5-7B-Instruct-rk3576-w4a16",
        QWEN.id,
        "alice/Qwen2.5-1.5B-Instruct-rk3588-1.1.4",
        "carol/qwen-chat-rkllm",
      ]);
      assert.deepEqual(all[0].slice(1), ["9000", "2025-01-01"]);
      assert.deepEqual((await repos(["qwen", "--platform", "rk3588"])).map(([id]) => id), [
        QWEN.id,
        "alice/Qwen2.5-1.5B-Instruct-rk3588-1.1.4",
      ]);
      assert.deepEqual((await repos(["Qwen", "1.5B"])).map(([id]) => id), [
        "alice/Qwen2.5-1.5B-Instruct-rk3588-1.1.4",
      ]);
      assert.deepEqual((await repos(["qwen", "--limit", "2"])).map(([id]) => id), [
        "bob/Qwen2.5-7B-Instruct-rk3576-w4a16",
        QWEN.id,
      ]);
      const nothing = await cli(["search", "mistral"]);
      assert.equal(nothing.code, 0);
      assert.match(nothing.stderr, /^no RKLLM models found for "mistral"$/m);
      const badChip = await cli(["search", "qwen", "--platform", "rk9999"]);
      assert.equal(badChip.code, 2);
      assert.match(badChip.stderr, /hint: use one of rk3588, rk3576, rk3562, rv1126b/);
    });

    it("search asks the Hub for a few times the results it shows, not hundreds", async () => {
      const asked = async (args: string[]) => {
        const result = await observed(["search", ...args]);
        assert.equal(result.code, 0, result.stderr);
        const searches = result.requests.filter((request) => request.path === "/api/models");
        assert.ok(searches.length > 0, "it searched the Hub");
        return searches.map((request) =>
          Number(new URL(request.url, bed.hub.endpoint).searchParams.get("limit"))
        );
      };
      for (const limit of await asked(["qwen"])) assert.equal(limit, 60, "20 shown, 60 asked");
      for (const limit of await asked(["qwen", "--limit", "50"])) assert.equal(limit, 100);
      for (const limit of await asked(["qwen", "--limit", "300"])) assert.equal(limit, 300);
    });

    it("search without text shows the suggestions of configs/models.json, with no network", async () => {
      const config = join(bed.root, "suggestions.json");
      writeFileSync(
        config,
        JSON.stringify({
          REPOSITORY_SUGGESTIONS: [
            { repo: "zed/Gemma-2B-rk3576", description: "a suggestion for the RK3576" },
            { repo: "zed/Phi-2-rk3588", description: "a suggestion for the RK3588" },
          ],
          EXAMPLE_MODEL_FILES: [{ repo: "zed/Phi-2-rk3588", file: "Phi-2-rk3588-w8a8.rkllm" }],
        }),
      );
      const env = { RKLLM_MODELS_CONFIG: config, HF_HUB_OFFLINE: "1" };
      const result = await observed(["search"], env);
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(result.requests, []);
      assert.deepEqual(lines(result.stdout), [
        "REPO                 DESCRIPTION",
        "zed/Gemma-2B-rk3576  a suggestion for the RK3576",
        "zed/Phi-2-rk3588     a suggestion for the RK3588",
      ]);
      const rk3588 = parseJson(
        (await cli(["search", "--platform", "rk3588", "--json"], env)).stdout,
      );
      assert.deepEqual(rk3588.map((item: { repo: string }) => item.repo), ["zed/Phi-2-rk3588"]);
    });
  });
});
