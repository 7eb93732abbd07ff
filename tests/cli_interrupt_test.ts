import { describe } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { MULTI, standardHub } from "./support/fixtures.ts";
import { hasScript, runInPty } from "./support/pty.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { skipWhen } from "./support/skips.ts";
import { it } from "./support/test_timeout.ts";

const skip = skipWhen(
  "tests/cli_interrupt_test.ts (interruptions on a terminal)",
  !hasScript() && "needs script from util-linux for a pseudo-terminal",
);

describe("interruptions on a terminal", { skip }, () => {
  const bed = useHubTestBed(standardHub());
  const { newDir } = bed;

  it("Ctrl-C during a download prints one line with the command that resumes, flags the picker chose included", async () => {
    const dir = newDir();
    bed.hub.addFault({ origin: "cdn", pathIncludes: ".rkllm", bytesPerSecond: 40_000 });
    const result = await runInPty(["download", MULTI.id, "--dir", dir], {
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
    assert.match(resume!, new RegExp(`^rkllm-models download ${MULTI.id} --platform rk35\\d\\d`));
    assert.ok(resume!.endsWith(`--dir ${dir}`), resume);
    assert.doesNotMatch(result.text, /^error:|stopping/m);
    const kept = readdirSync(join(dir, MULTI.id)).filter((name) => /\.rkllm\.part$/.test(name));
    assert.equal(kept.length, 1, `the partial download is kept: ${kept}`);
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
