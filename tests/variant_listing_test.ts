/**
 * Listing the variants of a repository that holds a great many `.rkllm` files:
 * the work grows with the listing, not with its square.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { finished, parseJson } from "./support/cli_process.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { describeVariants } from "../src/cli/variants.ts";

const COUNT = 20_000;
/** Far beyond what a linear listing of 20,000 variants needs (a second or two). */
const DEADLINE_MS = 60_000;

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

  it("lists every variant with its selecting flags when download is given no file", {
    timeout: DEADLINE_MS + 30_000,
  }, async () => {
    const child = bed.startCli(["download", MANY.id, "--dir", bed.newDir(), "--json"]);
    const deadline = setTimeout(() => child.kill("SIGKILL"), DEADLINE_MS);
    const result = await finished(child).finally(() => clearTimeout(deadline));
    assert.notEqual(result.code, 137, `still listing after ${DEADLINE_MS / 1000} s`);
    assert.equal(result.code, 2, result.stderr);
    const { error } = parseJson(result.stdout);
    assert.equal(error.variants.length, COUNT);
    const odd = error.variants.find((variant: { file: string }) => variant.file.includes("odd"));
    assert.equal(odd.flags, "--platform rk3576");
    assert.equal(error.variants[0].flags, undefined, "no flag picks one of 19,999 alike");
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
