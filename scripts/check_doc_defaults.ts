/**
 * Checks that no doc comment in `mod.ts`, `cli.ts` or `src/` states a default in prose
 * (`(default 30000)`, `(default: the global one)`, `defaults to`): beside the code that sets
 * it, such prose goes stale. A public option states its default in a `@default` tag, which
 * `tests/doc_defaults_test.ts` compares with the code; an internal doc says nothing of it.
 *
 * Run: `deno run --allow-read scripts/check_doc_defaults.ts`
 *
 * @module
 */
import { readFileSync } from "node:fs";

import process from "node:process";
import { sourceFiles } from "./source_files.ts";

/** Prose that states a default: `(default …)`, `(defaults to …)`, `… defaults to …`. */
const PROSE_DEFAULT = /\(defaults?\b|\bdefaults to\b/i;

/** The lines of `file`'s doc comments that state a default in prose, as `file:line: text`. */
function proseDefaults(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found: string[] = [];
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const firstLine = text.slice(0, comment.index).split("\n").length;
    comment[0].split("\n").forEach((line, index) => {
      if (/@default\b/.test(line) || !PROSE_DEFAULT.test(line)) return;
      found.push(`${file}:${firstLine + index}: ${line.trim()}`);
    });
  }
  return found;
}

const problems: string[] = [];
for (const file of ["mod.ts", "cli.ts", ...sourceFiles("src")]) {
  problems.push(
    ...proseDefaults(file).map((line) =>
      `${line}\n  a default stated in prose: use a @default tag on a public option, else drop it`
    ),
  );
}
for (const problem of problems) console.error(problem);
if (problems.length > 0) {
  console.error(`${problems.length} documentation problems`);
  process.exit(1);
}
console.log("doc defaults: no doc comment states a default in prose");
