/**
 * Option values of the command line: whole numbers within bounds, and the
 * variant filters, refused with a usage error that names the valid values.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import {
  KNOWN_QUANTIZATIONS,
  platformOption,
  quantOption,
  wholeNumber,
} from "../src/cli/option_values.ts";
import { ModelManagerError } from "../src/errors.ts";
import { PLATFORMS } from "../src/store/model_variant.ts";

function usageErrorOf(run: () => unknown): ModelManagerError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ModelManagerError, String(error));
    assert.equal(error.code, "usage");
    return error;
  }
  assert.fail("expected a usage error");
}

describe("option values", () => {
  it("reads whole numbers within bounds, and the default when absent", () => {
    assert.equal(wholeNumber("8", "--connections", { min: 1, max: 64, fallback: 8 }), 8);
    assert.equal(wholeNumber(" 12 ", "--limit", { min: 1, max: 1000, fallback: 20 }), 12);
    assert.equal(wholeNumber(undefined, "--limit", { min: 1, max: 1000, fallback: 20 }), 20);
    for (const bad of ["0", "65", "2.5", "", "eight", true]) {
      const error = usageErrorOf(() =>
        wholeNumber(bad, "--connections", { min: 1, max: 64, fallback: 8 })
      );
      assert.match(
        error.message,
        /^invalid --connections ".*": expected a whole number from 1 to 64$/,
      );
      assert.equal(error.hint, "for example --connections 8");
    }
  });

  it("takes the chips RKLLM converts for, in any case, and names them for anything else", () => {
    assert.equal(platformOption(undefined), undefined);
    for (const chip of PLATFORMS) assert.equal(platformOption(chip.toUpperCase()), chip);
    for (const bad of ["rk9999", "rk35", "", "w8a8"]) {
      const error = usageErrorOf(() => platformOption(bad));
      assert.match(error.message, new RegExp(`^invalid --platform "${bad}": `));
      assert.equal(error.hint, `use one of ${PLATFORMS.join(", ")}`);
    }
  });

  it("takes every quantisation a file name can carry, in any case, and names the known ones otherwise", () => {
    assert.equal(quantOption(undefined), undefined);
    for (const quant of [...KNOWN_QUANTIZATIONS, "w4a8", "w4a16_g256"]) {
      assert.equal(quantOption(quant.toUpperCase()), quant);
    }
    for (const bad of ["w3a3", "w4a16_gx", "int8", "", "rk3588", "w8a8-opt-0"]) {
      const error = usageErrorOf(() => quantOption(bad));
      assert.match(error.message, new RegExp(`^invalid --quant "${bad}": `));
      assert.match(error.hint, /^use one of w8a8, w4a16, w4a16_g32, .*w8a8_g512$/);
    }
  });
});
