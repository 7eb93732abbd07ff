import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseJson } from "./support/cli_process.ts";
import { bytesOf, QWEN, QWEN_FILE, standardHub } from "./support/fixtures.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";

/** Flips one byte in the middle of a file, keeping its size. */
function flipByte(path: string): void {
  const bytes = readFileSync(path);
  bytes[bytes.length >> 1] ^= 0xff;
  writeFileSync(path, bytes);
}

function recordOf(dir: string) {
  return JSON.parse(readFileSync(join(dir, QWEN.id, ".rkllm-models.json"), "utf8"));
}

describe("repair and offline downloads", () => {
  const { newDir, cli, observed } = useHubTestBed(standardHub());

  it("HF_HUB_OFFLINE=1 download of a complete model prints its path, exits 0 and sends nothing", async () => {
    const dir = newDir();
    const first = await cli(["download", QWEN.id, "--dir", dir, "--json"]);
    assert.equal(first.code, 0, first.stderr);
    const path = parseJson(first.stdout).path;
    const offline = await observed(["download", QWEN.id, "--dir", dir, "--json"], {
      HF_HUB_OFFLINE: "1",
    });
    assert.equal(offline.code, 0, offline.stderr);
    assert.equal(parseJson(offline.stdout).path, path);
    assert.deepEqual(offline.requests, []);
    const plain = await cli(["download", QWEN.id, "--dir", dir, "-q"], { HF_HUB_OFFLINE: "1" });
    assert.equal(plain.code, 0, plain.stderr);
    assert.ok(plain.stdout.trim().endsWith(` -> ${path}`), plain.stdout);

    rmSync(join(dir, QWEN.id, "config.json"));
    const incomplete = await observed(["download", QWEN.id, "--dir", dir], {
      HF_HUB_OFFLINE: "1",
    });
    assert.equal(incomplete.code, 5, incomplete.stderr);
    assert.match(incomplete.stderr, /^error: download .*config\.json missing or incomplete/m);
    assert.deepEqual(incomplete.requests, []);
  });

  it("records size and modification time; a changed file is hashed again and downloaded again", async () => {
    const dir = newDir();
    assert.equal((await cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
    const path = join(dir, QWEN.id, QWEN_FILE);
    const recorded = recordOf(dir).files[QWEN_FILE];
    assert.equal(recorded.size, statSync(path).size);
    assert.equal(recorded.mtimeMs, statSync(path).mtime.getTime());
    flipByte(path);
    const repaired = await observed(["download", QWEN.id, "--dir", dir, "-q"]);
    assert.equal(repaired.code, 0, repaired.stderr);
    assert.deepEqual(new Uint8Array(readFileSync(path)), bytesOf(QWEN, QWEN_FILE));
    const fetched = repaired.requests.filter((request) => request.method === "GET");
    assert.ok(
      fetched.every((request) => !request.path.includes("config.json")),
      "the files that verify are kept",
    );
  });

  it("verify marks a file that rotted in place, prints the repair command, and download repairs it", async () => {
    const dir = newDir();
    assert.equal((await cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
    const path = join(dir, QWEN.id, QWEN_FILE);
    const { atime, mtime } = statSync(path);
    flipByte(path);
    utimesSync(path, atime, mtime); // bit rot: same size, same time
    const trusted = await cli(["download", QWEN.id, "--dir", dir, "-q"]);
    assert.equal(trusted.code, 0);
    assert.notDeepEqual(new Uint8Array(readFileSync(path)), bytesOf(QWEN, QWEN_FILE));

    const verified = await cli(["verify", "--dir", dir]);
    assert.equal(verified.code, 6, verified.stderr);
    const repair = verified.stdout.match(/^ {2}repair with:(?: |\n {4})((?:.+ \\\n)*.+)$/m)?.[1]
      .replace(/ \\\n */g, " ");
    assert.equal(repair, `rkllm-models download ${QWEN.id} ${QWEN_FILE} --dir ${dir}`);
    assert.doesNotMatch(verified.stderr, /checking/, "piped, the results alone");
    assert.ok(recordOf(dir).files[QWEN_FILE].failedVerifyAt);

    const repaired = await cli(repair!.split(" ").slice(1).concat("-q"));
    assert.equal(repaired.code, 0, repaired.stderr);
    assert.deepEqual(new Uint8Array(readFileSync(path)), bytesOf(QWEN, QWEN_FILE));
    assert.equal(recordOf(dir).files[QWEN_FILE].failedVerifyAt, undefined);
    assert.equal((await cli(["verify", "--dir", dir])).code, 0);
  });
});
