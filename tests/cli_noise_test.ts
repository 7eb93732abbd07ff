import { describe } from "node:test";
import assert from "node:assert/strict";
import { QWEN, QWEN3, QWEN3_FILES } from "./support/fixtures.ts";
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
});
