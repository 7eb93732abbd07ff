/**
 * The CLI people enjoy, downloading: choosing a variant without a terminal, and the
 * download options (--dry-run, --force, --connections, --revision).
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { bytesOf, MULTI, QWEN, QWEN_FILE } from "./support/fixtures.ts";
import { parseJson, parseNdjson } from "./support/cli_process.ts";
import { deterministicBytes } from "./support/hub_server.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import {
  escapeRegExp,
  experienceHub,
  LARGE,
  lines,
  MIB,
  MULTI_RK3576,
  MULTI_RK3588,
  QWEN_TECHNICAL,
  REVISED,
} from "./support/experience_fixtures.ts";
import { ModelManagerError } from "../src/errors.ts";
import { VariantChoiceError } from "../src/cli/variants.ts";

describe("the CLI people enjoy: choosing and downloading", () => {
  const bed = useHubTestBed(experienceHub());
  const { newDir, cli, observed } = bed;

  describe("choosing a variant without a terminal", () => {
    it("exits with 2, listing each variant with its size and the flags that select it", async () => {
      const dir = newDir();
      const result = await observed(["download", MULTI.id, "--dir", dir]);
      assert.equal(result.code, 2, result.stderr);
      // The repository's info and its file listing, once each: the variants come from them.
      assert.deepEqual(
        result.requests.map((request) =>
          `${request.method} ${request.path.replace(/\/[0-9a-f]{40}$/, "/<sha>")}`
        ),
        [`GET /api/models/${MULTI.id}`, `GET /api/models/${MULTI.id}/tree/<sha>`],
      );
      assert.equal(result.stdout, "");
      assert.deepEqual(lines(result.stderr), [
        `error: ${MULTI.id} has 2 .rkllm files, and the file to download is not given`,
        `  ${MULTI_RK3576}  --platform rk3576  146.5 KiB`,
        `  ${MULTI_RK3588}   --platform rk3588  195.3 KiB`,
        `hint: run again with the flags shown, or give the file: rkllm-models download ${MULTI.id} ${MULTI_RK3576}`,
      ]);
      assert.ok(!existsSync(dir), "nothing is written");
    });

    it("is a usage error that names itself, with the files as its choices", () => {
      const variants = [{ file: MULTI_RK3576, flags: "--platform rk3576" }];
      const error = new VariantChoiceError("which file?", { variants, listing: [] });
      assert.ok(error instanceof ModelManagerError);
      assert.equal(error.code, "usage");
      assert.equal(error.name, "VariantChoiceError");
      assert.deepEqual(error.choices, [MULTI_RK3576]);
    });

    it("lists the variants in the JSON error, and each listed flag selects its variant", async () => {
      const refused = await cli(["download", MULTI.id, "--dir", newDir(), "--json"]);
      assert.equal(refused.code, 2);
      const { error } = parseJson(refused.stdout);
      assert.equal(error.code, "usage");
      assert.doesNotMatch(error.message, /\n/);
      assert.deepEqual(
        error.variants.map((variant: Record<string, unknown>) => [
          variant.file,
          variant.size,
          variant.platform,
          variant.quantization,
          variant.flags,
        ]),
        [
          [MULTI_RK3576, 150_000, "rk3576", "w4a16", "--platform rk3576"],
          [MULTI_RK3588, 200_000, "rk3588", "w8a8", "--platform rk3588"],
        ],
      );
      for (const variant of error.variants) {
        const chosen = await cli([
          "download",
          MULTI.id,
          ...variant.flags.split(" "),
          "--dir",
          newDir(),
          "--json",
        ]);
        assert.equal(chosen.code, 0, chosen.stdout + chosen.stderr);
        assert.equal(parseJson(chosen.stdout).file, variant.file);
      }
    });

    it("takes the one variant left by --quant, and says when the filters leave none", async () => {
      const chosen = await cli([
        "download",
        MULTI.id,
        "--quant",
        "w4a16",
        "--dir",
        newDir(),
        "-q",
      ]);
      assert.equal(chosen.code, 0, chosen.stderr);
      assert.match(chosen.stdout, new RegExp(escapeRegExp(MULTI_RK3576)));
      const none = await cli([
        "download",
        MULTI.id,
        "--platform",
        "rk3588",
        "--quant",
        "w4a16",
        "--dir",
        newDir(),
      ]);
      assert.equal(none.code, 3, none.stderr);
      assert.match(none.stderr, /^error: no \.rkllm file in .* matches the filters\nhint: /);
    });
  });

  describe("download options", () => {
    it("--dry-run shows sizes, bytes still needed and free space, and neither writes nor fetches a file", async () => {
      const dir = newDir();
      const dry = await observed(["download", QWEN.id, "--dir", dir, "--dry-run"]);
      assert.equal(dry.code, 0, dry.stderr);
      assert.ok(!existsSync(dir), "the models directory was not created");
      assert.deepEqual(
        dry.requests.filter((request) =>
          request.origin === "cdn" || /\/resolve\//.test(request.path)
        ),
        [],
        "no file was requested",
      );
      const out = lines(dry.stdout);
      assert.match(out[0], new RegExp(`^${escapeRegExp(QWEN.id)} at [0-9a-f]{40}$`));
      assert.match(out[1], new RegExp(`^  download +3\\.0 MiB  ${escapeRegExp(QWEN_FILE)}$`));
      for (const file of QWEN_TECHNICAL) {
        assert.ok(out.some((line) => new RegExp(`^  download +\\d+ B  ${file}$`).test(line)), file);
      }
      assert.match(
        dry.stdout,
        new RegExp(
          `^total 3\\.0 MiB in 5 files; still needed 3\\.0 MiB; free in ${
            escapeRegExp(dir)
          }: [\\d.]+ [KMGT]?i?B$`,
          "m",
        ),
      );
      assert.match(dry.stdout, /^dry run: nothing was written$/m);

      const plan = parseJson(
        (await cli(["download", QWEN.id, "--dir", dir, "--dry-run", "--json"])).stdout,
      );
      const sizes = QWEN.files
        .filter((file) => file.path === QWEN_FILE || QWEN_TECHNICAL.includes(file.path))
        .reduce((sum, file) => sum + bytesOf(QWEN, file.path).length, 0);
      assert.equal(plan.dryRun, true);
      assert.equal(plan.totalBytes, sizes);
      assert.equal(plan.bytesNeeded, sizes);
      assert.ok(plan.freeBytes > 0);
      assert.equal(plan.files.length, 5);
      assert.ok(plan.files.every((file: { present: boolean }) => !file.present));
      assert.ok(!existsSync(dir));

      assert.equal((await cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
      const after = parseJson(
        (await cli(["download", QWEN.id, "--dir", dir, "--dry-run", "--json"])).stdout,
      );
      assert.equal(after.bytesNeeded, 0);
      assert.ok(after.files.every((file: { present: boolean }) => file.present));
      const forced = parseJson(
        (await cli(["download", QWEN.id, "--dir", dir, "--dry-run", "--force", "--json"])).stdout,
      );
      assert.equal(forced.bytesNeeded, sizes);
    });

    it("fetches complete files only once, and again with --force", async () => {
      const dir = newDir();
      assert.equal((await cli(["download", QWEN.id, "--dir", dir, "-q"])).code, 0);
      const served = bed.hub.bytesServed(QWEN_FILE);
      const again = await cli(["download", QWEN.id, "--dir", dir]);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stderr, /^already complete; revision [0-9a-f]{40}; technical files: /m);
      assert.equal(bed.hub.bytesServed(QWEN_FILE), served, "nothing fetched the second time");
      const forced = await cli(["download", QWEN.id, "--dir", dir, "--force", "-q"]);
      assert.equal(forced.code, 0, forced.stderr);
      assert.ok(bed.hub.bytesServed(QWEN_FILE) - served >= bytesOf(QWEN, QWEN_FILE).length);
      const model = parseJson((await cli(["info", QWEN_FILE, "--dir", dir, "--json"])).stdout);
      assert.equal(model.verified, true);
    });

    it("--connections N fetches a large file in N ranges, reported as one file", async () => {
      const dir = newDir();
      // Capped so that the three requests overlap; unthrottled, one can end before another starts.
      bed.hub.addFault({ origin: "cdn", bytesPerSecond: 24 * MIB });
      const result = await observed([
        "download",
        LARGE.id,
        "--connections",
        "3",
        "--progress=json",
        "--dir",
        dir,
      ]);
      bed.hub.clearFaults();
      assert.equal(result.code, 0, result.stderr);
      const model = "Large-7B-rk3588-w8a8.rkllm";
      const events = parseNdjson(result.stderr).filter((event) => event.file === model);
      assert.equal(events[0].event, "start");
      assert.equal(events[0].connections, 3);
      const progress = events.filter((event) => event.event === "progress");
      assert.ok(progress.length >= 1);
      for (let index = 1; index < progress.length; index++) {
        assert.ok(progress[index].bytes >= progress[index - 1].bytes, "bytes never go back");
      }
      assert.equal(progress.at(-1).bytes, 66 * MIB);
      assert.equal(events.at(-1).event, "done");
      const ranged = result.requests.filter((request) =>
        request.origin === "cdn" && request.method === "GET" && request.headers.range
      );
      assert.ok(
        new Set(ranged.map((request) => request.headers.range.split("-")[0])).size >= 3,
        ranged.map((request) => request.headers.range).join(", "),
      );
      assert.equal(
        bed.hub.peakConcurrentBodies(model),
        3,
        "exactly 3 bodies were in flight at the busiest moment",
      );
      for (const value of ["0", "65", "x"]) {
        const refused = await cli(["download", LARGE.id, "--connections", value, "--dir", dir]);
        assert.equal(refused.code, 2, value);
        assert.match(
          refused.stderr,
          /^error: invalid --connections ".*": expected a whole number from 1 to 64\n/,
        );
      }
    });

    it("--revision downloads a branch, and files shows that branch", async () => {
      const onMain = parseJson((await cli(["files", REVISED.id, "--json"])).stdout);
      assert.deepEqual(onMain.variants.map((variant: { file: string }) => variant.file), [
        "Phi-3-mini-rk3588-w8a8.rkllm",
      ]);
      const onBranch = parseJson(
        (await cli(["files", REVISED.id, "--revision", "v2", "--json"])).stdout,
      );
      assert.equal(onBranch.revision, "2b".repeat(20));
      assert.deepEqual(onBranch.variants.map((variant: { file: string }) => variant.file), [
        "Phi-3-mini-rk3588-w4a16.rkllm",
      ]);
      const dir = newDir();
      const download = await cli([
        "download",
        REVISED.id,
        "--revision",
        "v2",
        "--dir",
        dir,
        "--json",
      ]);
      assert.equal(download.code, 0, download.stderr);
      const model = parseJson(download.stdout);
      assert.equal(model.revision, "2b".repeat(20));
      assert.equal(model.file, "Phi-3-mini-rk3588-w4a16.rkllm");
      assert.deepEqual(new Uint8Array(readFileSync(model.path)), deterministicBytes(30_000, 32));
      const info = parseJson((await cli(["info", "Phi-3", "--dir", dir, "--json"])).stdout);
      assert.equal(info.config.context_length, 131072);
      const missing = await cli(["files", REVISED.id, "--revision", "v9"]);
      assert.equal(missing.code, 3);
      assert.match(missing.stderr, /^error: .*v9.*\nhint: /);
    });
  });
});
