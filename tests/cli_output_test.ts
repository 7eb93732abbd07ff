import { describe } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ModelInfo } from "../mod.ts";
import { parseJson } from "./support/cli_process.ts";
import { BIG, BIG_FILE, partialOf, pathIn } from "./support/download_harness.ts";
import { bytesOf, MULTI, QWEN, QWEN_FILE } from "./support/fixtures.ts";
import { deterministicBytes, type HubRepoSpec, sha256Hex } from "./support/hub_server.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { it } from "./support/test_timeout.ts";

const MIB = 1 << 20;
const MULTI_RK3576_FILE = "TinyLlama-1.1B-Chat-v1.0-rk3576-w4a16-opt-1-hybrid-ratio-0.0.rkllm";

/** An entry of `list --json`: where the file lies, its size and digest, and its record. */
function assertListed(
  entry: ModelInfo,
  expected: { dir: string; repo: HubRepoSpec; file: string },
): void {
  const bytes = bytesOf(expected.repo, expected.file);
  assert.equal(entry.repo, expected.repo.id);
  assert.equal(entry.name, expected.file.replace(/\.rkllm$/, ""));
  assert.equal(entry.path, join(expected.dir, expected.repo.id, expected.file));
  assert.equal(entry.dir, join(expected.dir, expected.repo.id));
  assert.equal(entry.size, bytes.length);
  assert.equal(entry.sha256, sha256Hex(bytes));
  assert.match(entry.revision ?? "", /^[0-9a-f]{40}$/);
  assert.equal(entry.recorded, true);
}

describe("readable output", () => {
  const bed = useHubTestBed({ repos: [QWEN, MULTI, BIG] });
  const { newDir, cli } = bed;

  it("list fits 80 columns, keeps each name's variant, and ends with the total and the free space", async () => {
    const dir = newDir();
    assert.equal((await cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
    const multi = await cli(["download", MULTI.id, "--platform", "rk3576", "--dir", dir, "-q"]);
    assert.equal(multi.code, 0, multi.stderr);
    const listed = await cli(["list", "--dir", dir]);
    assert.equal(listed.code, 0, listed.stderr);
    const lines = listed.stdout.trimEnd().split("\n");
    for (const line of lines) assert.ok([...line].length <= 80, `too wide: ${line}`);
    assert.match(lines[0], /^NAME +SIZE +DOWNLOADED$/);
    assert.ok(lines.some((line) => line.includes("rk3576-w4a16")), listed.stdout);
    assert.ok(lines.some((line) => line.includes("rk3588-w8a8")), listed.stdout);
    assert.ok(!lines.some((line) => line.includes(QWEN.id)), "no column repeats the name");
    assert.match(lines.at(-1)!, /^2 models, 3\.\d MiB; \S+ \S+ free on the disk of /);
    const json = await cli(["list", "--dir", dir, "--json"]);
    assert.equal(json.code, 0, json.stderr);
    const entries = parseJson(json.stdout);
    assert.deepEqual(
      entries.map((entry: ModelInfo) => entry.file).sort(),
      [QWEN_FILE, MULTI_RK3576_FILE],
    );
    const qwen = entries.find((entry: ModelInfo) => entry.file === QWEN_FILE);
    assertListed(qwen, { dir, repo: QWEN, file: QWEN_FILE });
    assert.deepEqual(
      [qwen.platform, qwen.quantization, qwen.optimization, qwen.hybridRatio],
      ["rk3588", "w8a8", 0, 0],
    );
    const tiny = entries.find((entry: ModelInfo) => entry.file === MULTI_RK3576_FILE);
    assertListed(tiny, { dir, repo: MULTI, file: MULTI_RK3576_FILE });
    assert.deepEqual(
      [tiny.platform, tiny.quantization, tiny.optimization, tiny.hybridRatio],
      ["rk3576", "w4a16", 1, 0],
    );
    assert.deepEqual(tiny.technicalFiles, ["config.json", "tokenizer.json"]);
  });

  it("list --partial [--json] lists partial downloads with their progress; clean frees what the disk gets back", async () => {
    const dir = newDir();
    bed.hub.addFault({
      origin: "cdn",
      pathIncludes: BIG_FILE,
      resetAfterBytes: MIB,
      bytesPerSecond: 8 * MIB,
    });
    const failed = await cli(["download", BIG.id, "--dir", dir, "--retries", "0"]);
    assert.equal(failed.code, 5, failed.stderr);
    const models = parseJson((await cli(["list", "--dir", dir, "--json"])).stdout);
    assert.deepEqual(models, [], "list --json stays an array of complete models");

    const partial = await cli(["list", "--partial", "--dir", dir, "--json"]);
    assert.equal(partial.code, 0, partial.stderr);
    const [entry] = parseJson(partial.stdout);
    assert.equal(entry.repo, BIG.id);
    assert.equal(entry.file, BIG_FILE);
    assert.equal(entry.total, bytesOf(BIG, BIG_FILE).length);
    assert.equal(entry.percent, Math.floor((entry.bytes / entry.total) * 100));
    const table = await cli(["list", "--partial", "--dir", dir]);
    assert.match(table.stdout, /^FILE +PROGRESS$/m);
    assert.match(
      table.stdout,
      /Tiny\S*… +\S+ \S+ of 16\.0 MiB \(\d+%\)$|\S+ of 16\.0 MiB \(\d+%\)$/m,
    );

    // A sparse partial file: far larger than the blocks it occupies.
    const part = partialOf(pathIn(dir, BIG, BIG_FILE)).part;
    truncateSync(part, 256 * MIB);
    const usage = statSync(part).blocks * 512;
    const cleaned = await cli(["clean", "--partial", "--yes", "--dir", dir, "--json"]);
    assert.equal(cleaned.code, 0, cleaned.stderr);
    const freed = parseJson(cleaned.stdout).freedBytes;
    assert.ok(!existsSync(part));
    assert.ok(freed < 64 * MIB, `freed ${freed}, not the apparent 256 MiB`);
    assert.ok(freed >= usage, `freed ${freed}, the part used ${usage}`);
  });
});

/** Real-world file names whose variants differ only near the end. */
const WIDE_FILES = {
  g128: "DeepSeek-R1-Distill-Qwen-1.5B_w8a8_g128_rk3588.rkllm",
  g256: "DeepSeek-R1-Distill-Qwen-1.5B_w8a8_g256_rk3588.rkllm",
  ctx16k: "Qwen2.5-0.5B-Instruct-rk3588-w8a8-opt-0-hybrid-ratio-0.0-16k.rkllm",
  ctx4k: "Qwen2.5-0.5B-Instruct-rk3588-w8a8-opt-0-hybrid-ratio-0.0.rkllm",
};

function wideRepo(id: string, files: string[], seed: number): HubRepoSpec {
  return {
    id,
    downloads: 4321,
    lastModified: "2025-02-01T00:00:00.000Z",
    files: [
      { path: "config.json", content: JSON.stringify({ model_type: "qwen2" }) },
      ...files.map((path, index) => ({ path, content: deterministicBytes(20_000, seed + index) })),
    ],
  };
}

const DEEPSEEK = wideRepo(
  "someone-with-a-long-name/DeepSeek-R1-Distill-Qwen-1.5B-RK3588-RKLLM-1.1.4",
  [WIDE_FILES.g128, WIDE_FILES.g256],
  700,
);
const QWEN_16K = wideRepo(
  "someone-with-a-long-name/Qwen2.5-0.5B-Instruct-rk3588-1.1.4-long-context",
  [WIDE_FILES.ctx16k, WIDE_FILES.ctx4k],
  710,
);

function assertFits(stdout: string) {
  for (const line of stdout.split("\n")) {
    assert.ok([...line].length <= 80, `wider than 80 columns (${[...line].length}): ${line}`);
  }
}

describe("tables fit 80 columns with long real-world names", () => {
  const bed = useHubTestBed({ repos: [DEEPSEEK, QWEN_16K] });
  const { cli } = bed;

  it("files, search, outdated and verify keep each variant's distinguishing part", async () => {
    const deepseek = await cli(["files", DEEPSEEK.id]);
    assert.equal(deepseek.code, 0, deepseek.stderr);
    assertFits(deepseek.stdout);
    assert.match(deepseek.stdout, /^FILE +SIZE +SELECT WITH$/m);
    assert.match(deepseek.stdout, /^DeepSeek\S*w8a8_g128\S* +19\.5 KiB +--quant w8a8_g128$/m);
    assert.match(deepseek.stdout, /^DeepSeek\S*w8a8_g256\S* +19\.5 KiB +--quant w8a8_g256$/m);
    const qwen = await cli(["files", QWEN_16K.id]);
    assert.equal(qwen.code, 0, qwen.stderr);
    assertFits(qwen.stdout);
    assert.match(qwen.stdout, /^Qwen2\.5\S*rk3588-w8a8\S*-16k\.rkllm /m);

    // Repository ids are never shortened (people copy them): the id comes last, whole.
    const search = await cli(["search", "deepseek"]);
    assert.equal(search.code, 0, search.stderr);
    assert.match(search.stdout, /^DOWNLOADS +MODIFIED +REPO$/m);
    assert.ok(search.stdout.includes(`4321       2025-02-01  ${DEEPSEEK.id}\n`), search.stdout);

    const dir = bed.newDir();
    for (const [repo, file] of [[DEEPSEEK.id, WIDE_FILES.g128], [QWEN_16K.id, WIDE_FILES.ctx16k]]) {
      const downloaded = await cli(["download", repo, file, "--dir", dir, "-q"]);
      assert.equal(downloaded.code, 0, downloaded.stderr);
    }
    bed.hub.setRepo({
      ...QWEN_16K,
      sha: "3".repeat(40),
      files: QWEN_16K.files.map((file) => ({ ...file, content: deterministicBytes(20_000, 799) })),
    });
    const outdated = await cli(["outdated", "--dir", dir]);
    assert.equal(outdated.code, 0, outdated.stderr);
    assertFits(outdated.stdout);
    assert.match(outdated.stdout, /^NAME +STATUS +CHANGED$/m);
    assert.match(outdated.stdout, /^\S*w8a8_g128\S* +current +-$/m);
    assert.match(outdated.stdout, /^\S*rk3588-w8a8\S*-16k +outdated +model, config\.json$/m);

    const path = join(dir, QWEN_16K.id, WIDE_FILES.ctx16k);
    const bytes = readFileSync(path);
    bytes[100] ^= 0xff;
    writeFileSync(path, bytes);
    const verified = await cli(["verify", "--dir", dir]);
    assert.equal(verified.code, 6, verified.stderr);
    assertFits(verified.stdout);
    assert.match(verified.stdout, /^ok {4}\S*w8a8_g128_rk3588$/m);
    assert.match(verified.stdout, /^FAIL {2}\S*rk3588-w8a8\S*-16k$/m);
    assert.match(
      verified.stdout,
      /^ {6}model: mismatch sha256 [0-9a-f]{12}…, recorded [0-9a-f]{12}…$/m,
    );
    const repair = verified.stdout.split("\n").slice(
      verified.stdout.split("\n").findIndex((line) => line === "  repair with:") + 1,
    ).join("\n").replace(/ \\\n */g, " ").trim();
    assert.equal(repair, `rkllm-models download ${QWEN_16K.id} ${WIDE_FILES.ctx16k} --dir ${dir}`);
  });
});
