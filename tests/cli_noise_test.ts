import { describe } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { QWEN, QWEN3, QWEN3_FILES } from "./support/fixtures.ts";
import { writeDownloadState } from "../src/store/partial_state.ts";
import { RuntimeDetector } from "../src/runtime/detect_runtime.ts";
import { hasScript, runInPty } from "./support/pty.ts";
import { screenLines } from "./support/screen.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { it } from "./support/test_timeout.ts";

/** The nine tokenizer and technical files beside QWEN3's models. */
const COMPANIONS = QWEN3.files.map((file) => file.path).filter((path) =>
  /\.(json|txt|jinja)$/.test(path)
);

describe("output that fits its information", () => {
  const bed = useHubTestBed({ repos: [QWEN, QWEN3] });

  it("a download piped prints the model's lines and one line for its nine small files", async () => {
    const dir = bed.newDir();
    const result = await bed.cli(["download", QWEN3.id, QWEN3_FILES.w8a8, "--dir", dir]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stderr.trimEnd().split("\n");
    const small = lines.filter((line) => line.startsWith("small files: "));
    assert.equal(small.length, 1, result.stderr);
    assert.equal(COMPANIONS.length, 9);
    for (const file of COMPANIONS) {
      assert.ok(small[0].includes(file), small[0]);
      assert.ok(!lines.some((line) => line.startsWith(`${file}: `)), result.stderr);
    }
    // downloading the model, the model done, the small files, the closing note.
    assert.equal(lines.length, 4, result.stderr);
  });

  it("verify piped prints a result per model, not a line per file checked", async () => {
    const dir = bed.newDir();
    for (const args of [[QWEN.id], [QWEN3.id, QWEN3_FILES.w8a8]]) {
      assert.equal((await bed.cli(["download", ...args, "--dir", dir, "-q"])).code, 0);
    }
    const result = await bed.cli(["verify", "--dir", dir]);
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /checking/);
    assert.equal(
      result.stdout.trimEnd().split("\n").filter((line) => /^ok {4}\S/.test(line)).length,
      2,
    );

    if (!hasScript()) return;
    const columns = 80;
    const live = await runInPty(["verify", "--dir", dir], {
      cwd: bed.root,
      columns,
      env: { HF_ENDPOINT: bed.hub.endpoint },
    });
    assert.equal(live.code, 0, live.text);
    assert.match(live.raw, /checking file 1: /, "a terminal sees what is being checked");
    const screen = screenLines(live.raw, columns).filter(Boolean);
    assert.equal(screen.length, 2, `the results alone stay:\n${screen.join("\n")}`);
    assert.ok(screen.every((line) => /^ok {4}\S/.test(line)), screen.join("\n"));
  });

  it("list --partial leaves out the complete files waiting for their model, and gives the real command", async () => {
    const dir = bed.newDir();
    const repoDir = join(dir, "acme", "m");
    mkdirSync(repoDir, { recursive: true });
    const runtime = RuntimeDetector.current();
    const partial = async (file: string, size: number, next: number, verified: boolean) => {
      writeFileSync(join(repoDir, `${file}.part`), new Uint8Array(size));
      await writeDownloadState(runtime, {
        destination: join(repoDir, file),
        state: {
          version: 1,
          file,
          commit: "c".repeat(40),
          identity: { size },
          segments: [{ start: 0, end: size - 1, next }],
          ...(verified ? { verified: true } : {}),
        },
      });
    };
    await partial("config.json", 86, 86, true);
    await partial("m-rk3588-w8a8.rkllm", 4000, 1000, false);

    const json = await bed.cli(["list", "--partial", "--dir", dir, "--json"]);
    assert.equal(JSON.parse(json.stdout).length, 2, "--json lists both, as it did");
    const table = await bed.cli(["list", "--partial", "--dir", dir]);
    assert.equal(table.code, 0, table.stderr);
    assert.deepEqual(
      table.stdout.trimEnd().split("\n").slice(1).map((line) => line.split(/ {2,}/)),
      [
        ["acme/m/m-rk3588-w8a8.rkllm", "1000 B of 3.9 KiB (25%)"],
      ],
    );
    assert.ok(table.stderr.includes("and 1 complete file waiting for its model\n"), table.stderr);
    assert.ok(
      table.stderr.includes(
        `resume with: rkllm-models download acme/m m-rk3588-w8a8.rkllm --dir ${dir}\n`,
      ),
      table.stderr,
    );
  });
});
