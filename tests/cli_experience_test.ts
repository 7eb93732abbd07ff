import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deterministicBytes, type HubRepoSpec } from "./support/hub_server.ts";
import {
  bytesOf,
  GATED,
  MULTI,
  NO_MODELS,
  QWEN,
  QWEN_FILE,
  standardHub,
} from "./support/fixtures.ts";
import { parseJson, parseNdjson } from "./support/cli_process.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { ANSI_ESCAPE } from "./support/pty.ts";
import { deadEndpoint } from "./support/dead_endpoint.ts";

const MIB = 1024 * 1024;
const MULTI_RK3588 = "TinyLlama-1.1B-Chat-v1.0-rk3588-w8a8-opt-0-hybrid-ratio-0.5.rkllm";
const MULTI_RK3576 = "TinyLlama-1.1B-Chat-v1.0-rk3576-w4a16-opt-1-hybrid-ratio-0.0.rkllm";
const QWEN_TECHNICAL = [
  "config.json",
  "generation_config.json",
  "tokenizer_config.json",
  "tokenizer.json",
];

/** A repository whose branch `v2` holds another variant than `main`. */
const REVISED: HubRepoSpec = {
  id: "tester/Phi-3-mini-rk3588",
  files: [
    {
      path: "config.json",
      content: JSON.stringify({ model_type: "phi3", max_position_embeddings: 4096 }),
    },
    { path: "Phi-3-mini-rk3588-w8a8.rkllm", content: deterministicBytes(40_000, 31) },
  ],
  revisions: {
    v2: {
      sha: "2b".repeat(20),
      files: [
        {
          path: "config.json",
          content: JSON.stringify({ model_type: "phi3", max_position_embeddings: 131072 }),
        },
        { path: "Phi-3-mini-rk3588-w4a16.rkllm", content: deterministicBytes(30_000, 32) },
      ],
    },
  },
};

/** A file above the parallel threshold (64 MiB), so it downloads in ranged segments. */
const LARGE: HubRepoSpec = {
  id: "tester/Large-rk3588",
  files: [
    { path: "config.json", content: JSON.stringify({ model_type: "llama" }) },
    { path: "Large-7B-rk3588-w8a8.rkllm", source: { size: 66 * MIB, seed: 66 } },
  ],
};

function stub(id: string, downloads: number): HubRepoSpec {
  return { id, downloads, files: [{ path: "config.json", content: "{}" }] };
}

/** Search results: RKLLM conversions with different downloads, and repos that are none. */
const SEARCHABLE: HubRepoSpec[] = [
  stub("bob/Qwen2.5-7B-Instruct-rk3576-w4a16", 9000),
  stub("alice/Qwen2.5-1.5B-Instruct-rk3588-1.1.4", 500),
  stub("carol/qwen-chat-rkllm", 50),
  stub("Qwen/Qwen2.5-0.5B-Instruct", 1_000_000),
  stub("dave/Llama-3.2-1B-rk3588", 7000),
];

function lines(text: string): string[] {
  return text.split("\n").filter(Boolean);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("the CLI people enjoy", () => {
  const bed = useHubTestBed({
    ...standardHub(),
    repos: [...standardHub().repos, REVISED, LARGE, ...SEARCHABLE],
  });
  const { newDir, cli, observed } = bed;

  describe("choosing a variant without a terminal", () => {
    it("exits with 2, listing each variant with its size and the flags that select it", async () => {
      const dir = newDir();
      const result = await cli(["download", MULTI.id, "--dir", dir]);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, "");
      assert.deepEqual(lines(result.stderr), [
        `error: ${MULTI.id} has 2 .rkllm files, and the file to download is not given`,
        `  ${MULTI_RK3576}  --platform rk3576  146.5 KiB`,
        `  ${MULTI_RK3588}   --platform rk3588  195.3 KiB`,
        `hint: run again with the flags shown, or give the file: rkllm-models download ${MULTI.id} ${MULTI_RK3576}`,
      ]);
      assert.ok(!existsSync(dir), "nothing is written");
    });

    it("lists the variants in the JSON error, and each listed flag selects its variant", async () => {
      const refused = await cli(["download", MULTI.id, "--dir", newDir(), "--json"]);
      assert.equal(refused.code, 2);
      const { error } = parseJson(refused.stdout);
      assert.equal(error.code, "usage");
      assert.doesNotMatch(error.message, /\n/);
      assert.deepEqual(
        error.variants.map((variant: Record<string, unknown>) => [
          variant.file,
          variant.size,
          variant.platform,
          variant.quantization,
          variant.flags,
        ]),
        [
          [MULTI_RK3576, 150_000, "rk3576", "w4a16", "--platform rk3576"],
          [MULTI_RK3588, 200_000, "rk3588", "w8a8", "--platform rk3588"],
        ],
      );
      for (const variant of error.variants) {
        const chosen = await cli([
          "download",
          MULTI.id,
          ...variant.flags.split(" "),
          "--dir",
          newDir(),
          "--json",
        ]);
        assert.equal(chosen.code, 0, chosen.stdout + chosen.stderr);
        assert.equal(parseJson(chosen.stdout).file, variant.file);
      }
    });

    it("takes the one variant left by --quant, and says when the filters leave none", async () => {
      const chosen = await cli([
        "download",
        MULTI.id,
        "--quant",
        "w4a16",
        "--dir",
        newDir(),
        "-q",
      ]);
      assert.equal(chosen.code, 0, chosen.stderr);
      assert.match(chosen.stdout, new RegExp(escapeRegExp(MULTI_RK3576)));
      const none = await cli([
        "download",
        MULTI.id,
        "--platform",
        "rk3588",
        "--quant",
        "w4a16",
        "--dir",
        newDir(),
      ]);
      assert.equal(none.code, 3, none.stderr);
      assert.match(none.stderr, /^error: no \.rkllm file in .* matches the filters\nhint: /);
    });
  });

  describe("download options", () => {
    it("--dry-run shows sizes, bytes still needed and free space, and neither writes nor fetches a file", async () => {
      const dir = newDir();
      const dry = await observed(["download", QWEN.id, "--dir", dir, "--dry-run"]);
      assert.equal(dry.code, 0, dry.stderr);
      assert.ok(!existsSync(dir), "the models directory was not created");
      assert.deepEqual(
        dry.requests.filter((request) =>
          request.origin === "cdn" || /\/resolve\//.test(request.path)
        ),
        [],
        "no file was requested",
      );
      const out = lines(dry.stdout);
      assert.match(out[0], new RegExp(`^${escapeRegExp(QWEN.id)} at [0-9a-f]{40}$`));
      assert.match(out[1], new RegExp(`^  download +3\\.0 MiB  ${escapeRegExp(QWEN_FILE)}$`));
      for (const file of QWEN_TECHNICAL) {
        assert.ok(out.some((line) => new RegExp(`^  download +\\d+ B  ${file}$`).test(line)), file);
      }
      assert.match(
        dry.stdout,
        new RegExp(
          `^total 3\\.0 MiB in 5 files; still needed 3\\.0 MiB; free in ${
            escapeRegExp(dir)
          }: [\\d.]+ [KMGT]?i?B$`,
          "m",
        ),
      );
      assert.match(dry.stdout, /^dry run: nothing was written$/m);

      const plan = parseJson(
        (await cli(["download", QWEN.id, "--dir", dir, "--dry-run", "--json"])).stdout,
      );
      const sizes = QWEN.files
        .filter((file) => file.path === QWEN_FILE || QWEN_TECHNICAL.includes(file.path))
        .reduce((sum, file) => sum + bytesOf(QWEN, file.path).length, 0);
      assert.equal(plan.dryRun, true);
      assert.equal(plan.totalBytes, sizes);
      assert.equal(plan.bytesNeeded, sizes);
      assert.ok(plan.freeBytes > 0);
      assert.equal(plan.files.length, 5);
      assert.ok(plan.files.every((file: { present: boolean }) => !file.present));
      assert.ok(!existsSync(dir));

      assert.equal((await cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
      const after = parseJson(
        (await cli(["download", QWEN.id, "--dir", dir, "--dry-run", "--json"])).stdout,
      );
      assert.equal(after.bytesNeeded, 0);
      assert.ok(after.files.every((file: { present: boolean }) => file.present));
      const forced = parseJson(
        (await cli(["download", QWEN.id, "--dir", dir, "--dry-run", "--force", "--json"])).stdout,
      );
      assert.equal(forced.bytesNeeded, sizes);
    });

    it("fetches complete files only once, and again with --force", async () => {
      const dir = newDir();
      assert.equal((await cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
      const served = bed.hub.bytesServed(QWEN_FILE);
      const again = await cli(["download", QWEN.id, "--dir", dir]);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stderr, /^already complete; revision [0-9a-f]{40}; technical files: /m);
      assert.equal(bed.hub.bytesServed(QWEN_FILE), served, "nothing fetched the second time");
      const forced = await cli(["download", QWEN.id, "--dir", dir, "--force", "-q"]);
      assert.equal(forced.code, 0, forced.stderr);
      assert.ok(bed.hub.bytesServed(QWEN_FILE) - served >= bytesOf(QWEN, QWEN_FILE).length);
      const model = parseJson((await cli(["info", QWEN_FILE, "--dir", dir, "--json"])).stdout);
      assert.equal(model.verified, true);
    });

    it("--connections N fetches a large file in N ranges, reported as one file", async () => {
      const dir = newDir();
      const result = await observed([
        "download",
        LARGE.id,
        "--connections",
        "3",
        "--progress=json",
        "--dir",
        dir,
      ]);
      assert.equal(result.code, 0, result.stderr);
      const model = "Large-7B-rk3588-w8a8.rkllm";
      const events = parseNdjson(result.stderr).filter((event) => event.file === model);
      assert.equal(events[0].event, "start");
      assert.equal(events[0].connections, 3);
      const progress = events.filter((event) => event.event === "progress");
      assert.ok(progress.length >= 1);
      for (let index = 1; index < progress.length; index++) {
        assert.ok(progress[index].bytes >= progress[index - 1].bytes, "bytes never go back");
      }
      assert.equal(progress.at(-1).bytes, 66 * MIB);
      assert.equal(events.at(-1).event, "done");
      const ranged = result.requests.filter((request) =>
        request.origin === "cdn" && request.method === "GET" && request.headers.range
      );
      assert.ok(
        new Set(ranged.map((request) => request.headers.range.split("-")[0])).size >= 3,
        ranged.map((request) => request.headers.range).join(", "),
      );
      for (const value of ["0", "65", "x"]) {
        const refused = await cli(["download", LARGE.id, "--connections", value, "--dir", dir]);
        assert.equal(refused.code, 2, value);
        assert.match(
          refused.stderr,
          /^error: invalid --connections ".*": expected a whole number from 1 to 64\n/,
        );
      }
    });

    it("--revision downloads a branch, and files shows that branch", async () => {
      const onMain = parseJson((await cli(["files", REVISED.id, "--json"])).stdout);
      assert.deepEqual(onMain.variants.map((variant: { file: string }) => variant.file), [
        "Phi-3-mini-rk3588-w8a8.rkllm",
      ]);
      const onBranch = parseJson(
        (await cli(["files", REVISED.id, "--revision", "v2", "--json"])).stdout,
      );
      assert.equal(onBranch.revision, "2b".repeat(20));
      assert.deepEqual(onBranch.variants.map((variant: { file: string }) => variant.file), [
        "Phi-3-mini-rk3588-w4a16.rkllm",
      ]);
      const dir = newDir();
      const download = await cli([
        "download",
        REVISED.id,
        "--revision",
        "v2",
        "--dir",
        dir,
        "--json",
      ]);
      assert.equal(download.code, 0, download.stderr);
      const model = parseJson(download.stdout);
      assert.equal(model.revision, "2b".repeat(20));
      assert.equal(model.file, "Phi-3-mini-rk3588-w4a16.rkllm");
      assert.deepEqual(new Uint8Array(readFileSync(model.path)), deterministicBytes(30_000, 32));
      const info = parseJson((await cli(["info", "Phi-3", "--dir", dir, "--json"])).stdout);
      assert.equal(info.config.context_length, 131072);
      const missing = await cli(["files", REVISED.id, "--revision", "v9"]);
      assert.equal(missing.code, 3);
      assert.match(missing.stderr, /^error: .*v9.*\nhint: /);
    });
  });

  describe("output for programs and people", () => {
    it("--json prints exactly one JSON document on stdout for every command", async () => {
      const dir = newDir();
      const downloaded = await cli(["download", QWEN.id, "--dir", dir, "--json"]);
      assert.equal(downloaded.code, 0, downloaded.stderr);
      const model = parseJson(downloaded.stdout);
      assert.equal(model.path, join(dir, QWEN.id, QWEN_FILE));
      assert.equal(model.platform, "rk3588");
      assert.deepEqual([...model.technicalFiles].sort(), [...QWEN_TECHNICAL].sort());

      const listed = parseJson((await cli(["list", "--dir", dir, "--json"])).stdout);
      assert.deepEqual(listed.map((item: { name: string }) => item.name), [
        QWEN_FILE.replace(".rkllm", ""),
      ]);
      assert.equal(listed[0].revision, model.revision);

      const info = parseJson((await cli(["info", "Qwen2.5", "--dir", dir, "--json"])).stdout);
      assert.deepEqual([info.config.model_type, info.config.context_length, info.verified], [
        "qwen2",
        32768,
        true,
      ]);
      assert.equal(info.verification.length, 5);

      const files = parseJson((await cli(["files", MULTI.id, "--json"])).stdout);
      assert.equal(files.repo, MULTI.id);
      assert.match(files.revision, /^[0-9a-f]{40}$/);
      assert.deepEqual(files.technicalFiles, ["config.json", "tokenizer.json"]);
      assert.deepEqual(files.variants[1], {
        file: MULTI_RK3588,
        size: 200_000,
        sha256: files.variants[1].sha256,
        baseModel: "TinyLlama-1.1B-Chat-v1.0",
        platform: "rk3588",
        quantization: "w8a8",
        optimization: 0,
        hybridRatio: 0.5,
        flags: "--platform rk3588",
      });
      assert.match(files.variants[1].sha256, /^[0-9a-f]{64}$/);

      const found = parseJson((await cli(["search", "qwen", "--json"])).stdout);
      assert.equal(found[0].id, "bob/Qwen2.5-7B-Instruct-rk3576-w4a16");
      assert.equal(found[0].downloads, 9000);
      const suggested = parseJson((await cli(["search", "--json"])).stdout);
      assert.ok(
        suggested.every((item: { repo: string; description: string }) =>
          item.repo && item.description
        ),
      );

      const verified = parseJson((await cli(["verify", "--dir", dir, "--json"])).stdout);
      assert.deepEqual(
        verified.map((item: { file: string; ok: boolean }) => [item.file, item.ok]),
        [
          [QWEN_FILE, true],
        ],
      );
      const version = parseJson((await cli(["--version", "--json"])).stdout);
      assert.match(version.version, /^\d+\.\d+\.\d+/);
      const removed = parseJson((await cli(["remove", "Qwen2.5", "--dir", dir, "--json"])).stdout);
      assert.equal(removed.model.file, QWEN_FILE);
      assert.equal(removed.removedDirectory, true);
      await cli(["download", QWEN.id, "--dir", dir, "-q"]);
      const cleaned = parseJson((await cli(["clean", "--yes", "--dir", dir, "--json"])).stdout);
      assert.ok(cleaned.freedBytes >= bytesOf(QWEN, QWEN_FILE).length);
      const failed = await cli(["info", "nothing-like-it", "--dir", dir, "--json"]);
      assert.equal(failed.code, 3);
      assert.deepEqual(Object.keys(parseJson(failed.stdout).error).sort(), [
        "code",
        "hint",
        "message",
      ]);
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
      for (const file of [QWEN_FILE, ...QWEN_TECHNICAL]) {
        assert.match(
          result.stderr,
          new RegExp(`^${escapeRegExp(file)}: 100% .*done in \\d+s$`, "m"),
        );
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
      assert.match(out[1], /^FILE +SIZE +PLATFORM +QUANT +OPT +HYBRID +SELECT WITH$/);
      assert.match(
        out[2],
        new RegExp(
          `^${escapeRegExp(MULTI_RK3576)} +146\\.5 KiB +rk3576 +w4a16 +1 +0 +--platform rk3576$`,
        ),
      );
      assert.match(
        out[3],
        new RegExp(
          `^${escapeRegExp(MULTI_RK3588)} +195\\.3 KiB +rk3588 +w8a8 +0 +0\\.5 +--platform rk3588$`,
        ),
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

  describe("help and mistakes", () => {
    const COMMANDS = ["download", "list", "info", "files", "search", "verify", "remove", "clean"];

    it("gives every command a usage line, its options and two examples drawn from configs/models.json", async () => {
      const config = join(bed.root, "examples.json");
      writeFileSync(
        config,
        JSON.stringify({
          REPOSITORY_SUGGESTIONS: [],
          EXAMPLE_MODEL_FILES: [
            { repo: "ex-owner/Gemma-2B-rk3576-1.2.0", file: "Gemma-2B-rk3576-w4a16-opt-1.rkllm" },
            { repo: "ex-owner/Phi-2-rk3588", file: "Phi-2-rk3588-w8a8.rkllm" },
          ],
        }),
      );
      const env = { RKLLM_MODELS_CONFIG: config };
      const drawnFromConfig = /ex-owner\/|Gemma|Phi-2/;
      for (const command of COMMANDS) {
        const help = await cli([command, "--help"], env);
        assert.equal(help.code, 0, command);
        assert.equal(help.stderr, "");
        assert.match(help.stdout, new RegExp(`^Usage: rkllm-models ${command} `), command);
        assert.match(help.stdout, /\nGlobal options:\n( {2}.+\n)+/, command);
        assert.match(
          help.stdout,
          /^ +--json +print exactly one JSON document on stdout$/m,
          command,
        );
        const examples = help.stdout.split("Examples:\n")[1]?.split("\n").filter(Boolean) ?? [];
        assert.equal(examples.length, 2, `${command}: ${examples}`);
        assert.ok(
          examples.every((line) =>
            line.startsWith(`  rkllm-models ${command}`) || line.startsWith("  rkllm-models rm")
          ),
          command,
        );
        if (!["list", "clean"].includes(command)) {
          assert.match(examples.join("\n"), drawnFromConfig, `${command}: ${examples}`);
        }
        assert.equal((await cli(["help", command], env)).stdout, help.stdout);
      }
      assert.match(
        (await cli(["search", "--help"], env)).stdout,
        /^ {2}rkllm-models search Gemma --platform rk3576$/m,
      );
      const download = (await cli(["download", "--help"], env)).stdout;
      for (
        const option of [
          "--revision REV",
          "--platform CHIP",
          "--quant Q",
          "--connections N",
          "--dry-run",
          "--force",
        ]
      ) {
        assert.match(download, new RegExp(`^ +${escapeRegExp(option)} +\\S`, "m"), option);
      }
      const main = await cli(["--help"], env);
      for (const command of COMMANDS) {
        assert.match(main.stdout, new RegExp(`^  ${command} +\\S`, "m"));
      }
      for (
        const variable of [
          "HF_ENDPOINT",
          "HF_TOKEN",
          "HF_HUB_OFFLINE",
          "NO_COLOR",
          "RKLLM_MODELS_DIR",
        ]
      ) {
        assert.match(main.stdout, new RegExp(`^  ${variable}\\b`, "m"));
      }
      assert.match(main.stdout, /^Exit codes: 0 ok, 1 failure, 2 usage, 3 not found/m);
      assert.equal((await cli([], env)).code, 2, "no command is a usage error");
    });

    it("refuses a chip or quantisation no file can have, naming the valid ones, before asking the Hub", async () => {
      const dir = newDir();
      const cases: [string[], string][] = [
        [
          ["download", MULTI.id, "--platform", "rk9999"],
          'error: invalid --platform "rk9999": not a chip RKLLM converts for\n' +
          "hint: use one of rk3588, rk3576, rk3562, rv1126b\n",
        ],
        [
          ["files", MULTI.id, "--platform", "3588"],
          'error: invalid --platform "3588": not a chip RKLLM converts for\n' +
          "hint: use one of rk3588, rk3576, rk3562, rv1126b\n",
        ],
        [
          ["download", MULTI.id, "--quant", "w3a3"],
          'error: invalid --quant "w3a3": not an RKLLM quantisation\n' +
          "hint: use one of w8a8, w4a16, w4a16_g32, w4a16_g64, w4a16_g128, w8a8_g128, w8a8_g256, w8a8_g512\n",
        ],
      ];
      for (const [args, expected] of cases) {
        const result = await observed([...args, "--dir", dir]);
        assert.equal(result.code, 2, args.join(" "));
        assert.equal(result.stderr, expected);
        assert.deepEqual(result.requests, [], `${args.join(" ")} sent a request`);
      }
      const upperCase = await cli(["download", MULTI.id, "--quant", "W4A16", "--dir", dir, "-q"]);
      assert.equal(upperCase.code, 0, upperCase.stderr);
      assert.ok(existsSync(join(dir, MULTI.id, MULTI_RK3576)), "--quant is case-insensitive");
    });

    it("suggests the closest command or option", async () => {
      const cases: [string[], RegExp][] = [
        [["dowload", QWEN.id], /^hint: did you mean "rkllm-models download"\?/m],
        [["serach", "qwen"], /^hint: did you mean "rkllm-models search"\?/m],
        [["lst"], /^hint: did you mean "rkllm-models list"\?/m],
        [["help", "veryfy"], /^hint: did you mean "rkllm-models verify"\?/m],
        [
          ["download", MULTI.id, "--platfrom", "rk3588"],
          /^error: unknown option --platfrom for download\nhint: did you mean --platform\?/m,
        ],
        [["download", QWEN.id, "--dry-rn"], /^hint: did you mean --dry-run\?/m],
        [["list", "--jsn"], /^hint: did you mean --json\?/m],
        [
          ["list", "--dry-run"],
          /^error: unknown option --dry-run for list\nhint: see: rkllm-models list --help$/m,
        ],
        [["frobnicate"], /^error: unknown command "frobnicate"\nhint: see: rkllm-models --help$/m],
      ];
      for (const [args, expected] of cases) {
        const result = await cli(args);
        assert.equal(result.code, 2, args.join(" "));
        assert.equal(result.stdout, "", args.join(" "));
        assert.match(result.stderr, expected, args.join(" "));
      }
    });

    it("prints one line of what went wrong and one line of what to do", async () => {
      const dir = newDir();
      const cases: [string[], number, Record<string, string>?][] = [
        [["download"], 2],
        [["download", "a/b/c"], 2],
        [["download", "nobody/nothing"], 3],
        [["download", QWEN.id, "nope.rkllm"], 3],
        [["download", GATED.id], 4],
        [["download", QWEN.id, "--connections", "zero"], 2],
        [["download", QWEN.id], 5, { HF_HUB_OFFLINE: "1" }],
        [["files", QWEN.id, "--endpoint", await deadEndpoint(), "--retries", "0"], 5],
        [["info", "nothing-like-it"], 3],
        [["info"], 2],
        [["list", "extra"], 2],
        [["clean"], 2],
        [["search", "qwen", "--limit", "0"], 2],
        [["download", MULTI.id, "--platform", "rk9999"], 2],
        [["download", MULTI.id, "--quant", "w3a3"], 2],
        [["files", MULTI.id, "--platform", "rk3599"], 2],
        [["list", "--progress", "fancy"], 2],
        [["list", "--endpoint", "ftp://example.org"], 1],
      ];
      for (const [args, code, env] of cases) {
        const result = await cli([...args, "--dir", dir], env);
        const label = args.join(" ");
        assert.equal(result.code, code, `${label}: ${result.stderr}`);
        const [what, todo, ...rest] = lines(result.stderr);
        assert.match(what, /^error: [a-z]/, label);
        assert.doesNotMatch(what, /\.$/, `${label}: no trailing period`);
        assert.match(todo, /^hint: \S/, label);
        assert.deepEqual(rest, [], label);
      }
    });
  });
});
