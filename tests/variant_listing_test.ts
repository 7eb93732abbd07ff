/**
 * Listing the variants of a repository that holds a great many `.rkllm` files, end to
 * end: every one is listed with the flags that select it (that the work grows with the
 * listing, not with its square, is counted in `variant_listing_work_test.ts`).
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { finished, parseJson } from "./support/cli_process.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { describeVariants } from "../src/cli/variants.ts";

const COUNT = 20_000;
/**
 * Kills a CLI that hangs, so that the test fails by its name rather than leaving a process
 * behind. Not a speed limit: the work is counted in `variant_listing_work_test.ts`.
 */
const HANG_GUARD_MS = 100_000;

const MANY = {
  id: "many-org/Many-Variants-rk3588",
  files: [
    ...Array.from({ length: COUNT - 1 }, (_, index) => ({
      path: `Many-${index}-rk3588-w8a8-opt-0.rkllm`,
      content: `variant ${index}`,
    })),
    { path: "Many-odd-rk3576-w4a16.rkllm", content: "the odd one" },
  ],
};

describe("a repository with 20,000 variants", () => {
  const bed = useHubTestBed({ repos: [MANY] });

  /** Runs the CLI to its end, or kills it if it hangs. */
  async function guarded(args: string[]) {
    const child = bed.startCli(args);
    const guard = setTimeout(() => child.kill("SIGKILL"), HANG_GUARD_MS);
    return await finished(child).finally(() => clearTimeout(guard));
  }

  it("lists every variant with its selecting flags when download is given no file", {
    timeout: HANG_GUARD_MS + 10_000,
  }, async () => {
    const result = await guarded(["download", MANY.id, "--dir", bed.newDir(), "--json"]);
    assert.equal(result.code, 2, result.stderr);
    const { error } = parseJson(result.stdout);
    assert.equal(error.variants.length, COUNT);
    const odd = error.variants.find((variant: { file: string }) => variant.file.includes("odd"));
    assert.equal(odd.flags, "--platform rk3576");
    assert.equal(error.variants[0].flags, undefined, "no flag picks one of 19,999 alike");
  });

  it("lists every variant with its selecting flags in files", {
    timeout: HANG_GUARD_MS + 10_000,
  }, async () => {
    const result = await guarded(["files", MANY.id, "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const { variants } = parseJson(result.stdout);
    assert.equal(variants.length, COUNT);
    assert.equal(variants.at(-1).flags, "--platform rk3576");
    assert.equal(variants[0].flags, undefined);
  });

  it("picks the narrowest flags that leave one variant, and none when no flags do", () => {
    const files = [
      "m-rk3588-w8a8.rkllm",
      "m-rk3588-w4a16.rkllm",
      "m-rk3576-w8a8.rkllm",
      "m-rk3576-w8a8-opt-1.rkllm",
    ];
    assert.deepEqual(describeVariants(files).map((row) => row.flags), [
      "--platform rk3588 --quant w8a8",
      "--quant w4a16",
      undefined,
      undefined,
    ]);
    assert.deepEqual(describeVariants(["only-rk3588-w8a8.rkllm"])[0].flags, "");
  });
});
