/**
 * Will it run here: the toolkit version a repository states, and on a board, whether each
 * variant fits its memory; `download` warns (never refuses) before fetching one that will not.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deterministicBytes, type HubRepoSpec } from "./support/hub_server.ts";
import { parseJson } from "./support/cli_process.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";

const SMALL = "Qwen2.5-1.5B-Instruct-rk3588-w4a16-opt-1-hybrid-ratio-0.0.rkllm";
const LARGE = "Qwen2.5-1.5B-Instruct-rk3588-w8a8-opt-1-hybrid-ratio-0.0.rkllm";

/** Two variants: one fits the fake board's 48 KiB, one does not; the name states toolkit 1.1.4. */
const SIZES: HubRepoSpec = {
  id: "c01zaut/Qwen2.5-1.5B-Instruct-rk3588-1.1.4",
  files: [
    { path: "config.json", content: "{}" },
    { path: SMALL, content: deterministicBytes(30_000, 901) },
    { path: LARGE, content: deterministicBytes(60_000, 902) },
  ],
};

/** A conversion by toolkit 1.0.1, which runtimes 1.1 and later refuse. */
const OLD: HubRepoSpec = {
  id: "someone/chatglm3-6b-rk3588-rkllm-1.0.1",
  files: [{ path: "chatglm3-6b-rk3588-w8a8.rkllm", content: deterministicBytes(10_000, 903) }],
};

/** A repository whose meta.json states the version and whose name does not. */
const META: HubRepoSpec = {
  id: "someone/Qwen3-0.6B-rk3588",
  files: [
    { path: "meta.json", content: JSON.stringify({ rkllm_toolkit_version: "1.2.1" }) },
    { path: "Qwen3-0.6B-rk3588-w8a8.rkllm", content: deterministicBytes(8_000, 904) },
  ],
};

/** Variants whose file names state different toolkit versions. */
const MIXED: HubRepoSpec = {
  id: "someone/Qwen3-4B-RKLLM",
  files: [
    { path: "Qwen3-4B-rk3588-w8a8-RKLLM-v1.2.3.rkllm", content: deterministicBytes(9_000, 905) },
    { path: "Qwen3-4B-rk3588-w4a16-RKLLM-v1.1.4.rkllm", content: deterministicBytes(7_000, 906) },
  ],
};

describe("will it run here", () => {
  const bed = useHubTestBed({ repos: [SIZES, OLD, META, MIXED] });
  /** A fake RK3588 board with 48 KiB of memory. */
  const onBoard = () => {
    const dir = bed.newDir("board");
    mkdirSync(dir);
    writeFileSync(join(dir, "compatible"), "radxa,rock-5b\0rockchip,rk3588\0");
    writeFileSync(join(dir, "meminfo"), "MemTotal:             48 kB\nMemFree:  16 kB\n");
    return { RKLLM_DEVICE_TREE: join(dir, "compatible"), RKLLM_MEMINFO: join(dir, "meminfo") };
  };

  it("files shows the toolkit version and, on a board, which variants fit its memory", async () => {
    const result = await bed.cli(["files", SIZES.id], onBoard());
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^FILE +SIZE +FITS RAM +SELECT WITH$/m);
    assert.match(result.stdout, /w4a16\S* +29\.3 KiB +yes +--quant w4a16$/m);
    assert.match(result.stdout, /w8a8\S* +58\.6 KiB +no +--quant w8a8$/m);
    assert.match(result.stdout, /^toolkit: 1\.1\.4 \(from the repository name\)$/m);
    const json = parseJson((await bed.cli(["files", SIZES.id, "--json"], onBoard())).stdout);
    assert.deepEqual(
      json.variants.map((row: Record<string, unknown>) => [row.file, row.fitsMemory, row.toolkit]),
      [
        [SMALL, true, { version: "1.1.4", source: "repository name" }],
        [LARGE, false, { version: "1.1.4", source: "repository name" }],
      ],
    );
    const offBoard = await bed.cli(["files", SIZES.id, "--json"], {
      RKLLM_DEVICE_TREE: join(bed.root, "no-such-file"),
    });
    assert.equal(parseJson(offBoard.stdout).variants[0].fitsMemory, undefined);
  });

  it("files gives a TOOLKIT column when the variants' versions differ", async () => {
    const result = await bed.cli(["files", MIXED.id], {
      RKLLM_DEVICE_TREE: join(bed.root, "none"),
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^FILE +SIZE +TOOLKIT +SELECT WITH$/m);
    assert.match(result.stdout, /w8a8-RKLLM-v1\.2\.3\.rkllm +8\.8 KiB +1\.2\.3 +--quant w8a8$/m);
    assert.match(result.stdout, /w4a16-RKLLM-v1\.1\.4\.rkllm +6\.8 KiB +1\.1\.4 +--quant w4a16$/m);
    assert.doesNotMatch(result.stdout, /^toolkit:/m);
  });

  it("download warns before fetching a file larger than the board's memory, and downloads it", async () => {
    const dir = bed.newDir();
    const result = await bed.cli(["download", SIZES.id, LARGE, "--dir", dir], onBoard());
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^warning: .*w8a8.*larger than this board's memory \(48\.0 KiB\)/m);
    const small = await bed.cli(["download", SIZES.id, SMALL, "--dir", dir], onBoard());
    assert.doesNotMatch(small.stderr, /warning/);
  });

  it("download warns of a conversion older than toolkit 1.1.0, and downloads it", async () => {
    const result = await bed.cli(["download", OLD.id, "--dir", bed.newDir()]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^warning: .*toolkit 1\.0\.1 \(says its repository name\)/m);
    const current = await bed.cli(["download", SIZES.id, SMALL, "--dir", bed.newDir()]);
    assert.doesNotMatch(current.stderr, /warning/);
  });

  it("info shows the toolkit version, meta.json first", async () => {
    const dir = bed.newDir();
    assert.equal((await bed.cli(["download", META.id, "--dir", dir])).code, 0);
    const info = await bed.cli(["info", "Qwen3-0.6B", "--dir", dir, "--no-verify"]);
    assert.match(info.stdout, /^toolkit: +1\.2\.1 \(from the meta\.json\)$/m);
    const dir2 = bed.newDir();
    assert.equal((await bed.cli(["download", OLD.id, "--dir", dir2])).code, 0);
    const json = parseJson((await bed.cli(["info", "chatglm3", "--dir", dir2, "--json"])).stdout);
    assert.deepEqual(json.toolkit, { version: "1.0.1", source: "repository name" });
  });
});
