import { describe } from "node:test";
import assert from "node:assert/strict";
import type { HubRepoSpec } from "./support/hub/types.ts";
import { deterministicBytes } from "./support/hub/byte_source.ts";
import { hasScript, runInPty, startInPty } from "./support/pty.ts";
import { screenLines } from "./support/screen.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { skipWhen } from "./support/skips.ts";
import { it } from "./support/test_timeout.ts";

/** Names as long as real ones, one in a subfolder: what people copy and type. */
const MODELS = {
  rk3588: "Qwen3-1.7B-rk3588-w8a8_g128-opt-0-hybrid-ratio-0.0.rkllm",
  rk3576: "Qwen3-1.7B-rk3576-w4a16_g64-opt-1-hybrid-ratio-0.0.rkllm",
  nested: "RK3588/InternVL3_5-1B-RK3588-w8a8_rk3588.rkllm",
};
const COMPANIONS = [
  "config.json",
  "generation_config.json",
  "tokenizer.json",
  "tokenizer_config.json",
  "special_tokens_map.json",
];
const WIDE: HubRepoSpec = {
  id: "dulimov/Qwen3-1.7B-rk3588-rk3576-1.2.1",
  files: [
    ...COMPANIONS.map((path) => ({ path, content: "{}" })),
    { path: MODELS.rk3588, content: deterministicBytes(300_000, 801) },
    { path: MODELS.rk3576, content: deterministicBytes(200_000, 802) },
    { path: MODELS.nested, content: deterministicBytes(100_000, 803) },
  ],
};
/** A repository id as long as the longest real ones: it fits whole on a line only at 120. */
const LONG: HubRepoSpec = {
  id: "happyme531/DeepSeek-R1-Distill-Qwen-1.5B-rk3588-w8a8-opt-hybrid-1.2.1",
  downloads: 123_456,
  files: [
    { path: "config.json", content: "{}" },
    { path: "DeepSeek-R1-Distill-Qwen-1.5B-rk3588-w8a8.rkllm", content: "rkllm" },
  ],
};
const WIDTHS = [60, 80, 120];

/**
 * Checks a screen: each name appears whole on a line, nothing was cut (`…`), and
 * the only lines wider than the terminal are one identifier alone (a name wider
 * than the terminal can only wrap) or a command to copy, kept on one line.
 */
function assertWhole(lines: string[], names: string[], width: number): void {
  const screen = lines.join("\n");
  for (const name of names) {
    assert.ok(lines.some((line) => line.includes(name)), `${name} whole at ${width}:\n${screen}`);
  }
  assert.doesNotMatch(screen, /[\w.-]…[\w.-]/, `nothing cut at ${width}:\n${screen}`);
  for (const line of lines.filter((text) => [...text].length > width)) {
    assert.match(
      line.trim(),
      /^(?:\S{1,2} )?\S+$|^rkllm-models /,
      `only a lone identifier or a command wraps at ${width}:\n${screen}`,
    );
  }
}

const skip = skipWhen(
  "tests/cli_widths_test.ts (screens at 60, 80 and 120 columns)",
  !hasScript() && "needs script from util-linux for a pseudo-terminal",
);

describe("every name a user types stays whole at 60, 80 and 120 columns", { skip }, () => {
  const bed = useHubTestBed({ repos: [WIDE, LONG] }, { env: { RKLLM_PLATFORM: "any" } });
  const run = (args: string[], columns: number, answers?: [RegExp, string][]) =>
    runInPty(args, {
      cwd: bed.root,
      columns,
      env: { HF_ENDPOINT: bed.hub.endpoint, RKLLM_PLATFORM: "any" },
      answers,
    });

  for (const width of WIDTHS) {
    it(`at ${width} columns: files, the picker, progress, list, list --partial and help`, async () => {
      const dir = bed.newDir();
      const all = Object.values(MODELS);

      const files = await run(["files", WIDE.id], width);
      assert.equal(files.code, 0, files.text);
      assertWhole(screenLines(files.raw, width), [WIDE.id, ...all], width);

      const picker = await run(["download", WIDE.id, "--dir", dir], width, [
        [/Download which one\?/, "q\n"],
      ]);
      assert.equal(picker.code, 130, picker.text);
      assertWhole(screenLines(picker.raw, width), all, width);

      const download = await run(["download", WIDE.id, MODELS.nested, "--dir", dir], width);
      assert.equal(download.code, 0, download.text);
      const progress = screenLines(download.raw, width);
      assertWhole(progress, [MODELS.nested, ...COMPANIONS], width);
      assert.equal(
        progress.filter((line) => line === MODELS.nested || line.startsWith(`${MODELS.nested} [`))
          .length,
        1,
        `the bars are drawn once:\n${progress.join("\n")}`,
      );

      // A partial download of the long name, kept when the CLI is killed mid-file.
      bed.hub.addFault({
        origin: "cdn",
        pathIncludes: "rk3588-w8a8_g128",
        stallAfterBytes: 70_000,
      });
      const killed = startInPty(["download", WIDE.id, MODELS.rk3588, "--dir", dir], {
        cwd: bed.root,
        columns: width,
        env: { HF_ENDPOINT: bed.hub.endpoint },
      });
      await killed.waitFor(/\d+%/);
      killed.kill();
      await killed.done;

      const list = await run(["list", "--dir", dir], width);
      assert.equal(list.code, 0, list.text);
      assertWhole(
        screenLines(list.raw, width),
        [MODELS.nested.replace(/^.*\/|\.rkllm$/g, "")],
        width,
      );

      const partial = await run(["list", "--partial", "--dir", dir], width);
      assert.equal(partial.code, 0, partial.text);
      const partialLines = screenLines(partial.raw, width);
      assertWhole(partialLines, [`${WIDE.id}/${MODELS.rk3588}`], width);
      assert.ok(
        partialLines.some((line) =>
          line.endsWith(`rkllm-models download ${WIDE.id} ${MODELS.rk3588} --dir ${dir}`)
        ),
        partialLines.join("\n"),
      );

      // The Hub changes a companion file: outdated names the model and the file, both whole.
      bed.hub.setRepo({
        ...WIDE,
        sha: String(width).repeat(40).slice(0, 40).replace(/\d/g, (digit) => "abcdef0123"[+digit]),
        files: WIDE.files.map((file) =>
          file.path === "config.json" ? { ...file, content: `{"width":${width}}` } : file
        ),
      });
      const outdated = await run(["outdated", "--dir", dir], width);
      assert.equal(outdated.code, 0, outdated.text);
      assertWhole(
        screenLines(outdated.raw, width),
        [MODELS.nested.replace(/^.*\/|\.rkllm$/g, ""), "config.json"],
        width,
      );

      const help = await run(["download", "--help"], width);
      const helpLines = screenLines(help.raw, width);
      assertWhole(helpLines, ["--platform", "--connections", "COMPANION_FILES"], width);
      const mainHelp = await run(["--help"], width);
      assertWhole(
        screenLines(mainHelp.raw, width),
        ["HUGGING_FACE_HUB_TOKEN", "RKLLM_MODELS_DIR", "--idle-timeout"],
        width,
      );
    });
  }

  for (const width of WIDTHS) {
    it(`at ${width} columns: search, and its suggestions without text`, async () => {
      const search = await run(["search", "qwen"], width);
      assert.equal(search.code, 0, search.text);
      const lines = screenLines(search.raw, width);
      assertWhole(lines, [WIDE.id, LONG.id], width);
      assert.ok(lines.some((line) => line.includes("123456")), lines.join("\n"));

      const suggestions = await run(["search"], width);
      assert.equal(suggestions.code, 0, suggestions.text);
      const suggested = JSON.parse((await run(["search", "--json"], width)).text) as {
        repo: string;
      }[];
      assert.ok(suggested.length > 0);
      assertWhole(screenLines(suggestions.raw, width), suggested.map((item) => item.repo), width);
    });
  }
});
