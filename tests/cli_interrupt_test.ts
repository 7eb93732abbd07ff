import { describe } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { MULTI, QWEN, QWEN_FILE, standardHub } from "./support/fixtures.ts";
import type { HubRepoSpec } from "./support/hub_server.ts";
import { hasScript, runInPty } from "./support/pty.ts";
import { screenLines } from "./support/screen.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { skipWhen } from "./support/skips.ts";
import { it } from "./support/test_timeout.ts";

const skip = skipWhen(
  "tests/cli_interrupt_test.ts (interruptions on a terminal)",
  !hasScript() && "needs script from util-linux for a pseudo-terminal",
);

/** Two variants large enough that a download stands part-way (the engine writes in 1 MiB steps). */
const TWO_CHIPS: HubRepoSpec = {
  id: "tester/Two-Chips-rkllm",
  files: [
    { path: "config.json", content: "{}" },
    { path: "Two-Chips-1B-rk3588-w8a8.rkllm", source: { size: 3 << 20, seed: 31 } },
    { path: "Two-Chips-1B-rk3576-w8a8.rkllm", source: { size: 3 << 20, seed: 32 } },
  ],
};

describe("interruptions on a terminal", { skip }, () => {
  const bed = useHubTestBed({ ...standardHub(), repos: [...standardHub().repos, TWO_CHIPS] });
  const { newDir } = bed;

  it("Ctrl-C during a download prints one line with the command that resumes, flags the picker chose included", async () => {
    const dir = newDir();
    // The model stops after 1 MiB and waits: Ctrl-C lands while it is unfinished.
    bed.hub.addFault({ origin: "cdn", pathIncludes: ".rkllm", stallAfterBytes: 1 << 20 });
    const result = await runInPty(["download", TWO_CHIPS.id, "--dir", dir], {
      cwd: bed.root,
      env: { HF_ENDPOINT: bed.hub.endpoint },
      answers: [[/Download which one\?/, "1\n"], [/\] +[1-9]\d*%/, "\x03"]],
    });
    assert.equal(result.code, 130, result.text);
    const lines = result.text.split("\n").filter((line) => line.includes("interrupted"));
    assert.equal(lines.length, 1, result.text);
    assert.match(
      lines[0],
      /(?:^|\^C)interrupted: kept [\d.]+ (B|KiB|MiB) of \S+\.rkllm; resume with: /,
    );
    const resume = lines[0].match(/resume with: (rkllm-models download .+)$/)?.[1];
    assert.ok(resume, lines[0]);
    assert.match(
      resume!,
      new RegExp(`^rkllm-models download ${TWO_CHIPS.id} --platform rk35\\d\\d`),
    );
    assert.ok(resume!.endsWith(`--dir ${dir}`), resume);
    assert.doesNotMatch(result.text, /^error:|stopping/m);
    const kept = readdirSync(join(dir, TWO_CHIPS.id)).filter((name) => /\.rkllm\.part$/.test(name));
    assert.equal(kept.length, 1, `the partial download is kept: ${kept}`);
  });

  it("Ctrl-C leaves the bars on the screen as they were, and below them the one line that resumes", async () => {
    const dir = newDir();
    const columns = 80;
    // The model stops after 1 MiB and waits: the bar stands at a percent until Ctrl-C.
    bed.hub.addFault({ origin: "cdn", pathIncludes: ".rkllm", stallAfterBytes: 1 << 20 });
    const result = await runInPty(["download", QWEN.id, "--dir", dir], {
      cwd: bed.root,
      columns,
      env: { HF_ENDPOINT: bed.hub.endpoint },
      answers: [[/\] +[1-9]\d*%/, "\x03"]],
    });
    assert.equal(result.code, 130, result.text);
    const screen = screenLines(result.raw, columns).filter(Boolean);
    const shown = screen.join("\n");
    assert.equal(screen.filter((line) => line.includes(QWEN_FILE)).length, 2, shown);
    assert.equal(screen.filter((line) => /\[[= ]+\] +\d+%/.test(line)).length, 1, shown);
    const last = screen.at(-1)!;
    assert.match(
      last,
      /^(?:\^C)?interrupted: kept [\d.]+ (B|KiB|MiB) of \S+\.rkllm; resume with: /,
    );
    assert.ok(last.endsWith(`rkllm-models download ${QWEN.id} --dir ${dir}`), shown);
    assert.match(screen.at(-3)!, /\[[= ]+\] +[1-9]\d*% /, `the bar just above:\n${shown}`);
    assert.match(screen.at(-2)!, /^small files: /, shown);
  });

  it("q at the picker exits 130 without a word of error", async () => {
    const dir = newDir();
    const result = await runInPty(["download", MULTI.id, "--dir", dir], {
      cwd: bed.root,
      env: { HF_ENDPOINT: bed.hub.endpoint },
      answers: [[/Download which one\?/, "q\n"]],
    });
    assert.equal(result.code, 130, result.text);
    assert.doesNotMatch(result.text, /error|hint/);
    assert.ok(!existsSync(join(dir, MULTI.id)));
  });
});
