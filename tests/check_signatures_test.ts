/**
 * scripts/check_signatures.ts on a directory of fixtures: it sees a long body wherever a
 * function hides (an arrow or function expression in a top-level `const`, a method at any
 * indentation, a body after an options default) and lets a long call statement pass.
 */
import { after, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { problemsIn } from "../scripts/check_signatures.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

/** `lines` statements, one a line, at `indent`. */
function statements(lines: number, indent: string): string {
  return Array.from({ length: lines }, (_, index) => `${indent}total += ${index};`).join("\n");
}

/** The problems the script reports for one file holding `source`. */
function problemsOf(source: string): string[] {
  const dir = makeTempDir("rkllm-signatures-");
  after(() => removeDir(dir));
  writeFileSync(join(dir, "fixture.ts"), source);
  return problemsIn(dir).map((problem) => problem.slice(problem.indexOf(": ") + 2));
}

describe("check_signatures", () => {
  it("measures an arrow function in a top-level const: 61 lines fail, 60 pass", () => {
    // Signature, 59 (or 58) statements, closing line.
    const arrow = (name: string, body: number) =>
      `const ${name} = (total: number) => {\n${statements(body, "  ")}\n};\n`;
    assert.deepEqual(problemsOf(arrow("hidden", 59)), ["hidden is 61 lines (at most 60)"]);
    assert.deepEqual(problemsOf(arrow("fits", 58)), []);
  });

  it("measures an async arrow and a function expression in a const", () => {
    const source =
      `export const later = async (total: number): Promise<{ total: number }> => {\n${
        statements(59, "  ")
      }\n  return { total };\n};\n` +
      `const old = function (total: number) {\n${statements(59, "  ")}\n};\n`;
    assert.deepEqual(problemsOf(source), [
      "later is 62 lines (at most 60)",
      "old is 61 lines (at most 60)",
    ]);
  });

  it("measures methods of an object literal and a class at any indentation", () => {
    const source =
      `export const command = {\n  nested: {\n    async run(total: number) {\n${
        statements(59, "      ")
      }\n    },\n    onEvent: (total: number) => {\n${
        statements(59, "      ")
      }\n    },\n  },\n};\n` +
      `export function make() {\n  return new (class {\n    count(total: number) {\n${
        statements(10, "      ")
      }\n    }\n  })();\n}\n`;
    assert.deepEqual(problemsOf(source), [
      "run is 61 lines (at most 60)",
      "onEvent is 61 lines (at most 60)",
    ]);
  });

  it("measures a body after an options default and checks the exported signature", () => {
    const source =
      `export function withDefault(total: number, options = {}) {\n${statements(59, "  ")}\n}\n` +
      `export const three = (a: string, b: string, c: string) => {\n  return a + b + c;\n};\n`;
    assert.deepEqual(problemsOf(source), [
      "withDefault is 61 lines (at most 60)",
      "three takes 3 positional parameters (at most 2)",
    ]);
  });

  it("does not take a long call statement or a parenthesised value for a function", () => {
    const source = `const value = (1 + 2) * 3;\nif (value > 0) {\n  register(() => {\n${
      statements(70, "    ")
    }\n  });\n}\n`;
    assert.deepEqual(problemsOf(source), []);
  });
});
