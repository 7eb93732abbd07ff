import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, statSync, truncateSync } from "node:fs";
import { parseJson } from "./support/cli_process.ts";
import { BIG, BIG_FILE, partialOf, pathIn } from "./support/download_harness.ts";
import { bytesOf, MULTI, QWEN } from "./support/fixtures.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";

const MIB = 1 << 20;

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
    assert.ok(Array.isArray(parseJson((await cli(["list", "--dir", dir, "--json"])).stdout)));
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
