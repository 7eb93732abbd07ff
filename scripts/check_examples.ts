/**
 * Checks the examples in the API documentation, beside `deno check --doc`
 * (which type-checks them) and `deno doc --lint` (which wants documentation):
 *
 * - every function, class and constant `mod.ts` exports has an `@example`;
 * - no example is `ts ignore` or declares what it needs with `declare const`
 *   (an example runs as written: `tests/doc_examples_test.ts` runs them);
 * - nothing else in `src/` carries an `@example`: internal modules get a
 *   one-line doc where the name does not say it all.
 *
 * Run: `deno run --allow-read --allow-run --allow-env scripts/check_examples.ts`
 *
 * @module
 */
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import process from "node:process";
import { execFileSync } from "node:child_process";

/** Kinds of symbol whose documentation needs an example (types document themselves). */
const NEEDS_EXAMPLE = new Set(["function", "class", "variable"]);

interface Tag {
  kind: string;
  doc?: string;
}
interface DocNode {
  kind: string;
  declarationKind: string;
  location: { filename: string };
  jsDoc?: { doc?: string; tags?: Tag[] };
}
interface DocSymbol {
  name: string;
  declarations: DocNode[];
}
interface DocOutput {
  nodes: Record<string, { symbols?: DocSymbol[]; moduleDoc?: { tags?: Tag[] } }>;
}

const deno = /deno$/.test(process.execPath) ? process.execPath : "deno";

function docOf(files: string[]): DocOutput {
  const output = execFileSync(deno, ["doc", "--json", ...files], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(output) as DocOutput;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function examplesOf(node: { jsDoc?: { tags?: Tag[] } }): Tag[] {
  return (node.jsDoc?.tags ?? []).filter((tag) => tag.kind === "example");
}

function exampleProblems(name: string, examples: Tag[]): string[] {
  return examples.flatMap((example) => {
    const doc = example.doc ?? "";
    const problems: string[] = [];
    if (/```ts ignore/.test(doc)) problems.push(`${name}: an example is ts ignore`);
    if (/\bdeclare const\b/.test(doc)) problems.push(`${name}: an example uses declare const`);
    return problems;
  });
}

/** Problems of what `mod.ts` exports, and the `file:name` keys of those exports. */
function publicProblems(): { problems: string[]; exported: Set<string> } {
  const exported = new Set<string>();
  const problems: string[] = [];
  for (const node of Object.values(docOf(["mod.ts"]).nodes)) {
    for (const symbol of node.symbols ?? []) {
      for (const declaration of symbol.declarations) {
        const file = relative(process.cwd(), new URL(declaration.location.filename).pathname);
        exported.add(`${file}:${symbol.name}`);
        if (!NEEDS_EXAMPLE.has(declaration.kind)) continue;
        const examples = examplesOf(declaration);
        if (examples.length === 0) problems.push(`${file}: ${symbol.name} has no @example`);
        problems.push(...exampleProblems(`${file}: ${symbol.name}`, examples));
      }
    }
  }
  return { problems, exported };
}

/** Examples in `src/` on anything `mod.ts` does not export. */
function internalExamples(exported: Set<string>): string[] {
  const problems: string[] = [];
  for (const [url, node] of Object.entries(docOf(sourceFiles("src")).nodes)) {
    const file = relative(process.cwd(), new URL(url).pathname);
    if (examplesOf({ jsDoc: node.moduleDoc }).length > 0) {
      problems.push(`${file}: the module doc has an @example (only mod.ts exports carry one)`);
    }
    for (const symbol of node.symbols ?? []) {
      for (const declaration of symbol.declarations) {
        const at = relative(process.cwd(), new URL(declaration.location.filename).pathname);
        if (at !== file || exported.has(`${file}:${symbol.name}`)) continue;
        if (examplesOf(declaration).length > 0) {
          problems.push(`${file}: ${symbol.name} has an @example but mod.ts does not export it`);
        }
      }
    }
  }
  return problems;
}

const { problems, exported } = publicProblems();
problems.push(...internalExamples(exported));
for (const problem of problems) console.error(problem);
if (problems.length > 0) {
  console.error(`${problems.length} documentation problems`);
  process.exit(1);
}
console.log(
  `examples: every function, class and constant mod.ts exports has one, none declares its inputs, and no internal symbol carries one`,
);
