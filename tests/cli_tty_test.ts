import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { HubRepoSpec } from "./support/hub_server.ts";
import { MULTI, QWEN, QWEN_FILE, standardHub } from "./support/fixtures.ts";
import { runCli } from "./support/cli_process.ts";
import { ANSI_ESCAPE, hasScript, type PtyOptions, runInPty, stripAnsi } from "./support/pty.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { skipWhen } from "./support/skips.ts";

const MIB = 1024 * 1024;
const MULTI_RK3588 = "TinyLlama-1.1B-Chat-v1.0-rk3588-w8a8-opt-0-hybrid-ratio-0.5.rkllm";
const MULTI_RK3576 = "TinyLlama-1.1B-Chat-v1.0-rk3576-w4a16-opt-1-hybrid-ratio-0.0.rkllm";
const LARGE_FILE = "Large-13B-Chat-rk3588-w8a8-opt-1-hybrid-ratio-0.5.rkllm";

/** A file above the parallel threshold (64 MiB): 8 ranged segments by default. */
const LARGE: HubRepoSpec = {
  id: "tester/Large-13B-Chat-rk3588",
  files: [
    { path: "config.json", content: JSON.stringify({ model_type: "llama" }) },
    { path: "tokenizer.json", content: JSON.stringify({ version: "1.0" }) },
    { path: LARGE_FILE, source: { size: 66 * MIB, seed: 13 } },
  ],
};

/** SGR sequences: colour and other character styles. */
// deno-lint-ignore no-control-regex
const SGR = /\x1b\[[0-9;]*m/;
/** What starts a redraw of the bars: the cursor goes up to the first bar and clears below. */
// deno-lint-ignore no-control-regex
const REDRAW = /\x1b\[\d+F\x1b\[J/;
/** A bar: `[===   ]` and a percent. */
const BAR = /\[[= ]+\] +\d+%/;

const skip = skipWhen(
  "tests/cli_tty_test.ts (the CLI on a terminal)",
  !hasScript() && "needs script from util-linux for a pseudo-terminal",
);

describe("the CLI on a terminal", { skip }, () => {
  const bed = useHubTestBed({ ...standardHub(), repos: [...standardHub().repos, LARGE] });
  const { newDir, cli } = bed;
  const onTerminal = (
    args: string[],
    options: PtyOptions & { answers?: [RegExp, string][] } = {},
  ) =>
    runInPty(args, {
      ...options,
      cwd: bed.root,
      env: { HF_ENDPOINT: bed.hub.endpoint, ...options.env },
    });
  const listed = async (dir: string): Promise<string[]> => {
    const result = await runCli(["list", "--json", "--dir", dir], { cwd: bed.root });
    return JSON.parse(result.stdout).map((model: { file: string }) => model.file);
  };

  it("lets the user pick a variant from a numbered list, asking again after a wrong answer", async () => {
    const dir = newDir();
    const result = await onTerminal(["download", MULTI.id, "--dir", dir], {
      columns: 120,
      answers: [[/Download which one\? \[1-2, q to quit\] $/, "7\n"], [
        /Download which one\?/,
        "2\n",
      ]],
    });
    assert.equal(result.code, 0, result.text);
    assert.match(
      result.text,
      new RegExp(
        `${MULTI.id} has 2 model files:\n` +
          ` {2}1\\) ${MULTI_RK3576}  --platform rk3576  146\\.5 KiB\n` +
          ` {2}2\\) ${MULTI_RK3588}   --platform rk3588  195\\.3 KiB\n`,
      ),
    );
    assert.match(result.text, /^"7" is not a number from 1 to 2$/m);
    assert.match(
      result.text,
      new RegExp(
        `^next time, skip this question with: rkllm-models download ${MULTI.id} --platform rk3588$`,
        "m",
      ),
    );
    assert.deepEqual(await listed(dir), [MULTI_RK3588]);
  });

  it("downloads nothing when the user quits the list, and exits 130 quietly", async () => {
    const dir = newDir();
    const result = await onTerminal(["download", MULTI.id, "--dir", dir], {
      answers: [[/Download which one\?/, "q\n"]],
    });
    assert.equal(result.code, 130, result.text);
    assert.doesNotMatch(result.text, /error|hint/);
    assert.ok(!existsSync(join(dir, MULTI.id, MULTI_RK3576)));
    assert.ok(!existsSync(join(dir, MULTI.id, MULTI_RK3588)));
  });

  it("stops at once with 130 when Ctrl-C interrupts the question", async () => {
    const dir = newDir();
    const from = bed.hub.requests.length;
    const result = await onTerminal(["download", MULTI.id, "--dir", dir], {
      answers: [[/Download which one\?/, "\x03"]],
    });
    assert.equal(result.code, 130, result.text);
    assert.match(
      result.text,
      /^error: interrupted at the question, so nothing was changed\nhint: /m,
    );
    const fetched = bed.hub.requests.slice(from).filter((request) =>
      request.origin === "cdn" || request.path.includes("/resolve/")
    );
    assert.deepEqual(fetched.map((request) => request.path), [], "no file was resolved or fetched");
    assert.ok(!existsSync(dir), "the models directory was not even created");
  });

  it("asks nothing when the filters leave one variant, or when --json wants a document", async () => {
    const dir = newDir();
    const filtered = await onTerminal(["download", MULTI.id, "--quant", "w4a16", "--dir", dir]);
    assert.equal(filtered.code, 0, filtered.text);
    assert.doesNotMatch(filtered.text, /Download which one/);
    assert.deepEqual(await listed(dir), [MULTI_RK3576]);
    const json = await onTerminal(["download", MULTI.id, "--dir", newDir(), "--json"]);
    assert.equal(json.code, 2, json.text);
    assert.doesNotMatch(json.text, /Download which one/);
    assert.equal(JSON.parse(json.text).error.variants.length, 2);
  });

  it("shows a live bar per file, the segments of a large file folded into one, within the width", async () => {
    const columns = 100;
    const before = bed.hub.requests.length;
    const result = await onTerminal(["download", LARGE.id, "--dir", newDir()], { columns });
    assert.equal(result.code, 0, result.text);
    const ranges = bed.hub.requests.slice(before).filter((request) =>
      request.origin === "cdn" && request.headers.range
    );
    assert.ok(ranges.length >= 2, "the large file came in several ranged segments");
    const frames = result.raw.split(REDRAW).map((frame) => stripAnsi(frame).split("\n"));
    assert.ok(frames.length >= 2, "the bars were redrawn");
    for (const frame of frames) {
      const bars = frame.filter((line) => BAR.test(line));
      assert.ok(bars.length <= 1, `one bar for the one large file:\n${frame.join("\n")}`);
      const widths = frame.filter((line) => !line.startsWith("-> ")).map((line) =>
        [...line].length
      );
      assert.ok(widths.every((width) => width < columns), frame.join("\n"));
    }
    const last = frames.at(-1)!;
    assert.ok(last.includes(LARGE_FILE), `the model's name whole:\n${last.join("\n")}`);
    assert.ok(last.some((line) => / 100% 66\.0\/66\.0 MiB /.test(line)), last.join("\n"));
    assert.ok(
      last.includes("small files: 2 files, 39 B, done"),
      `the small files in one line:\n${last.join("\n")}`,
    );
    assert.match(result.raw, SGR, "a terminal gets colour");
    assert.doesNotMatch(result.text, /^downloading /m, "no plain lines on a terminal");
    // Too wide for one line at 100 columns: the path goes below the name, both whole.
    assert.match(
      result.text,
      new RegExp(`^${LARGE.id}/${LARGE_FILE}\n-> \\S+/${LARGE_FILE}$`, "m"),
    );
  });

  it("uses no colour with NO_COLOR, and no escapes at all on a dumb terminal", async () => {
    const noColor = await onTerminal(["download", QWEN.id, "--dir", newDir()], {
      env: { NO_COLOR: "1" },
    });
    assert.equal(noColor.code, 0, noColor.text);
    assert.doesNotMatch(noColor.raw, SGR);
    assert.match(noColor.raw, REDRAW, "the bar itself stays live");
    const failed = await onTerminal(["info", "nothing-like-it", "--dir", newDir()], {
      env: { NO_COLOR: "1" },
    });
    assert.equal(failed.code, 3);
    assert.doesNotMatch(failed.raw, SGR);
    assert.match(failed.text, /^error: no local model matches "nothing-like-it"\nhint: /m);
    const colored = await onTerminal(["info", "nothing-like-it", "--dir", newDir()]);
    assert.ok(colored.raw.includes("\x1b[31merror:\x1b[0m"), "errors are red on a terminal");

    const dumb = await onTerminal(["download", QWEN.id, "--dir", newDir()], {
      env: { TERM: "dumb" },
    });
    assert.equal(dumb.code, 0, dumb.text);
    assert.doesNotMatch(dumb.raw, ANSI_ESCAPE);
    assert.match(
      dumb.text,
      new RegExp(`^downloading ${QWEN_FILE.replace(/\./g, "\\.")} \\(3\\.0 MiB\\)$`, "m"),
    );
  });

  it("shows no bar with --quiet, and NDJSON with --progress=json, even on a terminal", async () => {
    const quiet = await onTerminal(["download", QWEN.id, "--dir", newDir(), "--quiet"]);
    assert.equal(quiet.code, 0, quiet.text);
    assert.doesNotMatch(quiet.raw, ANSI_ESCAPE);
    // The result alone: the model, and where it is (below it when the line is too wide).
    assert.deepEqual(
      quiet.text.split("\n").filter(Boolean).map((line) => line.replace(/ \(.*$/, "")),
      [`${QWEN.id}/${QWEN_FILE}`, `-> ${join(quiet.text.match(/-> (\S+)/)![1])}`],
    );
    const json = await onTerminal(["download", QWEN.id, "--dir", newDir(), "--progress", "json"]);
    assert.equal(json.code, 0, json.text);
    const events = json.text.split("\n").filter((line) => line.startsWith("{")).map((line) =>
      JSON.parse(line)
    );
    assert.ok(events.some((event) => event.event === "done" && event.file === QWEN_FILE));
    assert.doesNotMatch(json.raw, REDRAW);
  });

  it("asks before clean, and keeps everything unless the answer is yes", async () => {
    const dir = newDir();
    assert.equal(
      (await cli(["download", QWEN.id, "--dir", dir, "-q"])).code,
      0,
    );
    const kept = await onTerminal(["clean", "--dir", dir], { answers: [[/\[y\/N\] $/, "n\n"]] });
    assert.equal(kept.code, 1, kept.text);
    assert.match(kept.text, /^nothing removed$/m);
    assert.deepEqual(await listed(dir), [QWEN_FILE]);
    const cleaned = await onTerminal(["clean", "--dir", dir], { answers: [[/\[y\/N\] $/, "y\n"]] });
    assert.equal(cleaned.code, 0, cleaned.text);
    assert.match(cleaned.text, /^removed \d+ files, 3\.0 MiB freed$/m);
    assert.deepEqual(await listed(dir), []);
  });
});
