/**
 * The CLI people enjoy, when asked for help or given a mistake: usage, examples,
 * suggestions and one-line errors with a hint.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { GATED, MULTI, QWEN } from "./support/fixtures.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { deadEndpoint } from "./support/dead_endpoint.ts";
import { escapeRegExp, experienceHub, lines, MULTI_RK3576 } from "./support/experience_fixtures.ts";

describe("the CLI people enjoy: help and mistakes", () => {
  const bed = useHubTestBed(experienceHub());
  const { newDir, cli, observed } = bed;

  describe("help and mistakes", () => {
    const COMMANDS = ["download", "list", "info", "files", "search", "verify", "remove", "clean"];

    it("gives every command a usage line, its options and two examples drawn from configs/models.json", async () => {
      const config = join(bed.root, "examples.json");
      writeFileSync(
        config,
        JSON.stringify({
          REPOSITORY_SUGGESTIONS: [],
          EXAMPLE_MODEL_FILES: [
            { repo: "ex-owner/Gemma-2B-rk3576-1.2.0", file: "Gemma-2B-rk3576-w4a16-opt-1.rkllm" },
            { repo: "ex-owner/Phi-2-rk3588", file: "Phi-2-rk3588-w8a8.rkllm" },
          ],
        }),
      );
      const env = { RKLLM_MODELS_CONFIG: config };
      const drawnFromConfig = /ex-owner\/|Gemma|Phi-2/;
      for (const command of COMMANDS) {
        const help = await cli([command, "--help"], env);
        assert.equal(help.code, 0, command);
        assert.equal(help.stderr, "");
        assert.match(help.stdout, new RegExp(`^Usage: rkllm-models ${command} `), command);
        assert.match(help.stdout, /\nGlobal options:\n( {2}.+\n)+/, command);
        assert.match(
          help.stdout,
          /^ +--json +print exactly one JSON document on stdout$/m,
          command,
        );
        const examples = help.stdout.split("Examples:\n")[1]?.split("\n").filter(Boolean) ?? [];
        assert.equal(examples.length, 2, `${command}: ${examples}`);
        assert.ok(
          examples.every((line) =>
            line.startsWith(`  rkllm-models ${command}`) || line.startsWith("  rkllm-models rm")
          ),
          command,
        );
        if (!["list", "clean"].includes(command)) {
          assert.match(examples.join("\n"), drawnFromConfig, `${command}: ${examples}`);
        }
        assert.equal((await cli(["help", command], env)).stdout, help.stdout);
      }
      assert.match(
        (await cli(["search", "--help"], env)).stdout,
        /^ {2}rkllm-models search Gemma --platform rk3576$/m,
      );
      const download = (await cli(["download", "--help"], env)).stdout;
      for (
        const option of [
          "--revision REV",
          "--platform CHIP",
          "--quant Q",
          "--connections N",
          "--dry-run",
          "--force",
        ]
      ) {
        assert.match(download, new RegExp(`^ +${escapeRegExp(option)} +\\S`, "m"), option);
      }
      const main = await cli(["--help"], env);
      for (const command of COMMANDS) {
        assert.match(main.stdout, new RegExp(`^  ${command} +\\S`, "m"));
      }
      for (
        const variable of [
          "HF_ENDPOINT",
          "HF_TOKEN",
          "HF_HUB_OFFLINE",
          "NO_COLOR",
          "RKLLM_MODELS_DIR",
        ]
      ) {
        assert.match(main.stdout, new RegExp(`^  ${variable}\\b`, "m"));
      }
      assert.match(main.stdout, /^Exit codes: 0 ok, 1 failure, 2 usage, 3 not found/m);
      assert.equal((await cli([], env)).code, 2, "no command is a usage error");
    });

    it("refuses a chip or quantisation no file can have, naming the valid ones, before asking the Hub", async () => {
      const dir = newDir();
      const cases: [string[], string][] = [
        [
          ["download", MULTI.id, "--platform", "rk9999"],
          'error: invalid --platform "rk9999": not a chip RKLLM converts for\n' +
          "hint: use one of rk3588, rk3576, rk3562, rv1126b\n",
        ],
        [
          ["files", MULTI.id, "--platform", "3588"],
          'error: invalid --platform "3588": not a chip RKLLM converts for\n' +
          "hint: use one of rk3588, rk3576, rk3562, rv1126b\n",
        ],
        [
          ["download", MULTI.id, "--quant", "w3a3"],
          'error: invalid --quant "w3a3": not an RKLLM quantisation\n' +
          "hint: use one of w8a8, w4a16, w4a16_g32, w4a16_g64, w4a16_g128, w8a8_g128, w8a8_g256, w8a8_g512\n",
        ],
      ];
      for (const [args, expected] of cases) {
        const result = await observed([...args, "--dir", dir]);
        assert.equal(result.code, 2, args.join(" "));
        assert.equal(result.stderr, expected);
        assert.deepEqual(result.requests, [], `${args.join(" ")} sent a request`);
      }
      const upperCase = await cli(["download", MULTI.id, "--quant", "W4A16", "--dir", dir, "-q"]);
      assert.equal(upperCase.code, 0, upperCase.stderr);
      assert.ok(existsSync(join(dir, MULTI.id, MULTI_RK3576)), "--quant is case-insensitive");
    });

    it("suggests the closest command or option", async () => {
      const cases: [string[], RegExp][] = [
        [["dowload", QWEN.id], /^hint: did you mean "rkllm-models download"\?/m],
        [["serach", "qwen"], /^hint: did you mean "rkllm-models search"\?/m],
        [["lst"], /^hint: did you mean "rkllm-models list"\?/m],
        [["help", "veryfy"], /^hint: did you mean "rkllm-models verify"\?/m],
        [
          ["download", MULTI.id, "--platfrom", "rk3588"],
          /^error: unknown option --platfrom for download\nhint: did you mean --platform\?/m,
        ],
        [["download", QWEN.id, "--dry-rn"], /^hint: did you mean --dry-run\?/m],
        [["list", "--jsn"], /^hint: did you mean --json\?/m],
        [
          ["list", "--dry-run"],
          /^error: unknown option --dry-run for list\nhint: see: rkllm-models list --help$/m,
        ],
        [["frobnicate"], /^error: unknown command "frobnicate"\nhint: see: rkllm-models --help$/m],
      ];
      for (const [args, expected] of cases) {
        const result = await cli(args);
        assert.equal(result.code, 2, args.join(" "));
        assert.equal(result.stdout, "", args.join(" "));
        assert.match(result.stderr, expected, args.join(" "));
      }
    });

    it("prints one line of what went wrong and one line of what to do", async () => {
      const dir = newDir();
      const cases: [string[], number, Record<string, string>?][] = [
        [["download"], 2],
        [["download", "a/b/c"], 2],
        [["download", "nobody/nothing"], 3],
        [["download", QWEN.id, "nope.rkllm"], 3],
        [["download", GATED.id], 4],
        [["download", QWEN.id, "--connections", "zero"], 2],
        [["download", QWEN.id], 5, { HF_HUB_OFFLINE: "1" }],
        [["files", QWEN.id, "--endpoint", await deadEndpoint(), "--retries", "0"], 5],
        [["info", "nothing-like-it"], 3],
        [["info"], 2],
        [["list", "extra"], 2],
        [["clean"], 2],
        [["search", "qwen", "--limit", "0"], 2],
        [["download", MULTI.id, "--platform", "rk9999"], 2],
        [["download", MULTI.id, "--quant", "w3a3"], 2],
        [["files", MULTI.id, "--platform", "rk3599"], 2],
        [["list", "--progress", "fancy"], 2],
        [["list", "--endpoint", "ftp://example.org"], 1],
      ];
      for (const [args, code, env] of cases) {
        const result = await cli([...args, "--dir", dir], env);
        const label = args.join(" ");
        assert.equal(result.code, code, `${label}: ${result.stderr}`);
        const [what, todo, ...rest] = lines(result.stderr);
        assert.match(what, /^error: [a-z]/, label);
        assert.doesNotMatch(what, /\.$/, `${label}: no trailing period`);
        assert.match(todo, /^hint: \S/, label);
        assert.deepEqual(rest, [], label);
      }
    });
  });
});
