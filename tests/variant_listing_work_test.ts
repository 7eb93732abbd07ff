/**
 * Describing a repository's variants does work in proportion to its listing, not to the
 * listing's square: the questions asked about the listing's names (is it a model file, a
 * vision encoder, which variant does it name), counted by the listing's `ListingNames`,
 * about double when the listing doubles.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import type { RepoFile } from "../src/hub/list_files.ts";
import type { RepoInfo } from "../src/hub/repo_info.ts";
import { ListingNames } from "../src/manager/listing_names.ts";
import { describeVariants, listVariants } from "../src/manager/repo_variants.ts";

/** Large enough that a step done once per pair of files outweighs the steps done once per file. */
const SMALL = 1000;
/** A linear count doubles; a quadratic one quadruples. */
const MOST_GROWTH = 2.5;

const CHIPS = ["rk3588", "rk3576", "rk3562"];
const QUANTS = ["w8a8", "w4a16", "w4a16_g128"];

/** `count` model files over three chips and three quantisations, beside three vision encoders. */
function listingOf(count: number): RepoFile[] {
  const models = Array.from({ length: count }, (_, index) => ({
    path: `Model-${index}-${CHIPS[index % 3]}-${QUANTS[Math.floor(index / 3) % 3]}-opt-0.rkllm`,
    size: index + 1,
    lfs: true,
  }));
  const others = ["vision_rk3588.rknn", "vision_rk3576.rknn", "vision.rknn", "config.json"]
    .map((path) => ({ path, size: 1, lfs: false }));
  return [...others, ...models];
}

function infoOf(files: RepoFile[]): RepoInfo {
  return {
    id: "acme/many",
    sha: "0".repeat(40),
    gated: false,
    private: false,
    siblings: files.map((file) => file.path),
  };
}

/** The questions `describe` asks about the names of a listing of `count` model files. */
function questionsFor(count: number, describe: (files: RepoFile[], names: ListingNames) => void) {
  const names = new ListingNames();
  describe(listingOf(count), names);
  return names.questions;
}

function assertLinear(describe: (files: RepoFile[], names: ListingNames) => void): void {
  const small = questionsFor(SMALL, describe);
  const large = questionsFor(2 * SMALL, describe);
  assert.ok(small >= SMALL, `each name is asked about (${small} questions for ${SMALL} files)`);
  assert.ok(
    large <= MOST_GROWTH * small,
    `${small} questions for ${SMALL} files, ${large} for ${2 * SMALL}: more than ${MOST_GROWTH}×`,
  );
}

describe("the work of listing variants", () => {
  it("about doubles with the listing for download without a file (the board's chip first)", () => {
    assertLinear((files, names) => {
      const listed = listVariants({ info: infoOf(files), files }, {
        preferPlatform: "rk3576",
        names,
      });
      assert.equal(listed.candidates.length, files.length - 4);
      assert.equal(listed.candidates[0].platform, "rk3576");
      assert.deepEqual(listed.candidates[0].encoders, ["vision_rk3576.rknn"]);
    });
  });

  it("about doubles with the listing for files with a filter", () => {
    assertLinear((files, names) => {
      const listed = listVariants({ info: infoOf(files), files }, { quantization: "w8a8", names });
      const w8a8 = files.filter((file) => file.path.includes("-w8a8-"));
      assert.deepEqual(
        listed.variants.map((variant) => variant.file),
        w8a8.map((file) => file.path),
      );
    });
  });

  it("about doubles with the listing for every model file described against it", () => {
    assertLinear((files, names) => {
      const models = files.map((file) => file.path).filter((path) => path.endsWith(".rkllm"));
      const rows = describeVariants(models, files, { names });
      assert.equal(rows.length, models.length);
      assert.equal(rows.find((row) => row.platform === "rk3562")?.encoders?.length, 3);
    });
  });
});
