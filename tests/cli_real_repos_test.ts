import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseJson } from "./support/cli_process.ts";
import { INTERNVL, INTERNVL_FILES, QWEN3, QWEN3_FILES } from "./support/fixtures.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

const TOKENIZER_LINE =
  "tokenizer files: chat_template.jinja, special_tokens_map.json, added_tokens.json, vocab.json, merges.txt";

describe("the CLI with repositories shaped like real RKLLM conversions", () => {
  const bed = useHubTestBed({ repos: [QWEN3, INTERNVL] });

  it("files shows the suffix that tells variants apart and the tokenizer files", async () => {
    const result = await bed.cli(["files", QWEN3.id]);
    assert.equal(result.code, 0, result.stderr);
    const out = lines(result.stdout);
    assert.match(out[1], /^FILE +SIZE +SELECT WITH$/);
    // Piped, each row on one line with the file name whole.
    const row = (tail: string, select: string) =>
      new RegExp(`^Qwen3-1\\.7B-${tail.replaceAll(".", "\\.")} +\\S+ KiB +${select}$`, "m");
    assert.match(
      result.stdout,
      row("rk3588-w8a8-opt-0-hybrid-ratio-0.0-16k.rkllm", "\\(the file name\\)"),
    );
    assert.match(
      result.stdout,
      row("rk3588-w8a8-opt-0-hybrid-ratio-0.0.rkllm", "\\(the file name\\)"),
    );
    assert.match(
      result.stdout,
      row("rk3588-w8a8_g128-opt-0-hybrid-ratio-0.0.rkllm", "--quant w8a8_g128"),
    );
    assert.ok(result.stdout.replace(/\n {2}/g, " ").includes(TOKENIZER_LINE), result.stdout);
    assert.doesNotMatch(result.stdout, /…/, "no name is cut");
    const json = parseJson((await bed.cli(["files", QWEN3.id, "--json"])).stdout);
    assert.ok(json.companionFiles.includes("chat_template.jinja"));
    assert.ok(!json.companionFiles.includes("README.md"));
    assert.deepEqual(json.encoders, []);
  });

  it("files shows each variant's vision encoder", async () => {
    const result = await bed.cli(["files", INTERNVL.id]);
    assert.equal(result.code, 0, result.stderr);
    const out = lines(result.stdout);
    assert.match(out[1], / ENCODER +SELECT WITH$/);
    for (const chip of ["rk3588", "rk3576"]) {
      assert.match(
        result.stdout,
        new RegExp(
          `^intern\\S*w8a8_${chip}\\.rkllm +\\S+ KiB +internvl\\S*${chip}\\.rknn +--platform ${chip}$`,
          "m",
        ),
      );
    }
    assert.match(
      result.stdout.replace(/\n {2}/g, " "),
      /^vision encoders: internvl3_5-2b_vision_rk3576\.rknn \(rk3576, 24\.4 KiB\), internvl3_5-2b_vision_rk3588\.rknn \(rk3588, 29\.3 KiB\)$/m,
    );
  });

  it("lists the variants a quantisation leaves, with their suffix, instead of choosing one", async () => {
    const result = await bed.cli(["download", QWEN3.id, "--quant", "w8a8", "--dir", bed.newDir()]);
    assert.equal(result.code, 2, result.stderr);
    const listed = lines(result.stderr).filter((line) => line.includes(".rkllm  "));
    assert.equal(listed.length, 2, result.stderr);
    assert.match(
      listed.find((line) => line.includes(QWEN3_FILES.w8a8_16k)) ?? "",
      /\(give the file name\) +suffix 16k /,
    );
    assert.doesNotMatch(result.stderr, /_g128/);
  });

  it("download --dry-run counts the tokenizer files", async () => {
    const dir = bed.newDir();
    const result = await bed.cli([
      "download",
      QWEN3.id,
      "--quant",
      "w8a8_g128",
      "--dry-run",
      "--dir",
      dir,
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^ +download +\S+ \S+ +chat_template\.jinja$/m);
    assert.match(result.stdout, /^total .* in 10 files; /m);
    assert.ok(!existsSync(dir));
  });

  it("downloads a vision-language model with its encoder; list, info, verify and remove show it", async () => {
    const dir = bed.newDir();
    const download = await bed.cli(["download", INTERNVL.id, "--platform", "rk3588", "--dir", dir]);
    assert.equal(download.code, 0, download.stderr);
    assert.match(download.stderr, /; vision encoder: internvl3_5-2b_vision_rk3588\.rknn$/m);
    const repoDir = join(dir, ...INTERNVL.id.split("/"));
    assert.ok(existsSync(join(repoDir, INTERNVL_FILES.vision3588)));
    assert.ok(existsSync(join(repoDir, "chat_template.jinja")));

    const list = await bed.cli(["list", "--dir", dir]);
    assert.match(lines(list.stdout)[0], /^NAME +SIZE +DOWNLOADED +VISION$/);
    assert.match(lines(list.stdout)[1], /^internvl3_5-2b-instruct\S* +\S+ \S+ +\S+ +yes$/);
    const info = await bed.cli(["info", "internvl3_5-2b-instruct", "--dir", dir]);
    assert.equal(info.code, 0, info.stderr);
    assert.match(info.stdout, /^vision encoder: +internvl3_5-2b_vision_rk3588\.rknn$/m);
    assert.match(info.stdout, /^tokenizer files: +chat_template\.jinja, /m);
    assert.match(info.stdout, /^verified: +yes$/m);
    const verify = parseJson((await bed.cli(["verify", "--json", "--dir", dir])).stdout);
    assert.ok(
      verify[0].files.some((file: { file: string }) => file.file === INTERNVL_FILES.vision3588),
    );

    const remove = await bed.cli(["remove", "internvl3_5-2b-instruct", "--dir", dir]);
    assert.equal(remove.code, 0, remove.stderr);
    assert.ok(!existsSync(repoDir), "the encoder and companions went with the model");
  });

  it("takes the companion files from COMPANION_FILES in the models config, validated", async () => {
    const config = (extra: Record<string, unknown>) => {
      const path = join(
        bed.root,
        `models-config-${Object.keys(extra).length}-${Math.random()}.json`,
      );
      writeFileSync(
        path,
        JSON.stringify({ REPOSITORY_SUGGESTIONS: [], EXAMPLE_MODEL_FILES: [], ...extra }),
      );
      return { RKLLM_MODELS_CONFIG: path };
    };
    const args = (dir: string) => ["download", QWEN3.id, QWEN3_FILES.w8a8, "--dir", dir];
    const repoFiles = (dir: string) =>
      readdirSync(join(dir, ...QWEN3.id.split("/"))).filter((name) => !name.startsWith(".")).sort();

    const custom = bed.newDir();
    const chosen = await bed.cli(
      args(custom),
      config({ COMPANION_FILES: ["chat_template.jinja"] }),
    );
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.deepEqual(repoFiles(custom), [QWEN3_FILES.w8a8, "chat_template.jinja"]);

    // A config written before the list existed keeps the shipped list.
    const older = bed.newDir();
    const kept = await bed.cli(args(older), config({}));
    assert.equal(kept.code, 0, kept.stderr);
    assert.ok(repoFiles(older).includes("chat_template.jinja"));
    assert.ok(repoFiles(older).includes("merges.txt"));

    for (const bad of [["../secrets"], ["other.rkllm"], "config.json", [42]]) {
      const result = await bed.cli(args(bed.newDir()), config({ COMPANION_FILES: bad }));
      assert.equal(result.code, 1, `${JSON.stringify(bad)}: ${result.stderr}`);
      assert.match(result.stderr, /^error: invalid models config at .*: COMPANION_FILES/m);
    }
  });
});
