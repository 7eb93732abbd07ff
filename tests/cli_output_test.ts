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

  it("list keeps each name whole, one model a line when piped, and ends with the total and the free space", async () => {
    const dir = newDir();
    assert.equal((await cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
    const multi = await cli(["download", MULTI.id, "--platform", "rk3576", "--dir", dir, "-q"]);
    assert.equal(multi.code, 0, multi.stderr);
    const listed = await cli(["list", "--dir", dir]);
    assert.equal(listed.code, 0, listed.stderr);
    const lines = listed.stdout.trimEnd().split("\n");
    assert.match(lines[0], /^NAME +SIZE +DOWNLOADED$/);
    for (const file of [QWEN_FILE, MULTI_RK3576_FILE]) {
      const name = file.replace(/\.rkllm$/, "").replaceAll(".", "\\.");
      assert.match(listed.stdout, new RegExp(`^${name} +\\S+ \\S+ +\\d{4}-\\d\\d-\\d\\d$`, "m"));
    }
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
    assert.ok(
      table.stdout.split("\n").some((line) =>
        line.startsWith(`${BIG.id}/${BIG_FILE} `) && / of 16\.0 MiB \(\d+%\)$/.test(line)
      ),
      table.stdout,
    );
    assert.ok(
      table.stderr.includes(
        `resume with: rkllm-models download ${BIG.id} ${BIG_FILE} --dir ${dir}\n`,
      ),
      table.stderr,
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

/** Piped, nothing is cut: no name ends or starts in `…`. */
function assertWhole(stdout: string) {
  assert.doesNotMatch(stdout, /\S…[^\s,]/, stdout);
}

describe("piped tables keep long real-world names whole, one row a line", () => {
  const bed = useHubTestBed({ repos: [DEEPSEEK, QWEN_16K] });
  const { cli } = bed;

  it("files, search, outdated and verify keep each variant's distinguishing part", async () => {
    const deepseek = await cli(["files", DEEPSEEK.id]);
    assert.equal(deepseek.code, 0, deepseek.stderr);
    assertWhole(deepseek.stdout);
    assert.match(deepseek.stdout, /^FILE +SIZE +SELECT WITH$/m);
    for (const file of [WIDE_FILES.g128, WIDE_FILES.g256]) {
      const quant = /w8a8_g\d+/.exec(file)![0];
      assert.match(deepseek.stdout, new RegExp(`^${file} +19\\.5 KiB +--quant ${quant}$`, "m"));
    }
    const qwen = await cli(["files", QWEN_16K.id]);
    assert.equal(qwen.code, 0, qwen.stderr);
    assertWhole(qwen.stdout);
    assert.ok(qwen.stdout.split("\n").some((line) => line.startsWith(`${WIDE_FILES.ctx16k} `)));

    // Repository ids are never shortened (people copy them): the id comes first, whole.
    const search = await cli(["search", "deepseek"]);
    assert.equal(search.code, 0, search.stderr);
    assert.match(search.stdout, /^REPO +DOWNLOADS +MODIFIED$/m);
    assert.match(search.stdout, new RegExp(`^${DEEPSEEK.id} +4321 +2025-02-01$`, "m"));

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
    assertWhole(outdated.stdout);
    assert.match(outdated.stdout, /^NAME +STATUS +CHANGED$/m);
    const g128 = WIDE_FILES.g128.replace(".rkllm", "");
    const ctx16k = WIDE_FILES.ctx16k.replace(".rkllm", "").replaceAll(".", "\\.");
    assert.match(outdated.stdout, new RegExp(`^${g128} +current +-$`, "m"));
    assert.match(outdated.stdout, new RegExp(`^${ctx16k} +outdated +model, config\\.json$`, "m"));

    const path = join(dir, QWEN_16K.id, WIDE_FILES.ctx16k);
    const bytes = readFileSync(path);
    bytes[100] ^= 0xff;
    writeFileSync(path, bytes);
    const verified = await cli(["verify", "--dir", dir]);
    assert.equal(verified.code, 6, verified.stderr);
    assertWhole(verified.stdout);
    assert.match(verified.stdout, new RegExp(`^ok {4}${g128}$`, "m"));
    assert.match(verified.stdout, new RegExp(`^FAIL {2}${ctx16k}$`, "m"));
    assert.match(
      verified.stdout,
      /^ {6}model: mismatch sha256 [0-9a-f]{12}…, recorded [0-9a-f]{12}…$/m,
    );
    const repair = /^ {2}repair with: (.+)$/m.exec(verified.stdout)?.[1];
    assert.equal(repair, `rkllm-models download ${QWEN_16K.id} ${WIDE_FILES.ctx16k} --dir ${dir}`);
  });
});
