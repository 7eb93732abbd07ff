/**
 * Checks the examples in the API documentation, beside `deno check --doc`
 * (which type-checks them) and `deno doc --lint` (which wants documentation):
 * every exported function, class and constant in `mod.ts`, `cli.ts` and
 * `src/` has an `@example`; no example in `src/` imports `mod.ts` (it imports
 * the module it documents by relative path); no example is `ts ignore`
 * (`deno check --doc` only type-checks, so an example that needs a live Hub
 * declares what it needs with `declare const` instead).
 *
 * Run: `deno run --allow-read --allow-run --allow-env scripts/check_examples.ts`
 *
 * @module
 */
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import process from "node:process";
import { execFileSync } from "node:child_process";

/**
 * Modules not checked yet, each with the reason. Remove an entry once its
 * examples are written.
 */
const NOT_YET: Record<string, string> = {};

/** Kinds of symbol whose documentation needs an example (types document themselves). */
const NEEDS_EXAMPLE = new Set(["function", "class", "variable"]);

interface DocNode {
  kind: string;
  jsDoc?: { doc?: string; tags?: { kind: string; doc?: string }[] };
}
interface DocSymbol {
  name: string;
  declarations: (DocNode & { declarationKind: string; location: { filename: string } })[];
}
interface DocOutput {
  nodes: Record<string, { symbols?: DocSymbol[] }>;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function problemsOf(file: string, symbol: DocSymbol): string[] {
  const problems: string[] = [];
  if (NOT_YET[file] !== undefined) return problems;
  for (const declaration of symbol.declarations) {
    if (declaration.declarationKind !== "export" || !NEEDS_EXAMPLE.has(declaration.kind)) continue;
    const examples = (declaration.jsDoc?.tags ?? []).filter((tag) => tag.kind === "example");
    if (examples.length === 0) problems.push(`${file}: ${symbol.name} has no @example`);
    for (const example of examples) {
      const doc = example.doc ?? "";
      if (/```ts ignore/.test(doc)) problems.push(`${file}: ${symbol.name}'s example is ts ignore`);
      if (file.startsWith("src/") && /from "(\.\.?\/)+mod\.ts"/.test(doc)) {
        problems.push(`${file}: ${symbol.name}'s example imports mod.ts, not its own module`);
      }
    }
  }
  return problems;
}

const deno = /deno$/.test(process.execPath) ? process.execPath : "deno";
const files = ["mod.ts", "cli.ts", ...sourceFiles("src")];
const output = execFileSync(deno, ["doc", "--json", ...files], {
  encoding: "utf8",
  maxBuffer: 256 * 1024 * 1024,
});
const parsed = JSON.parse(output) as DocOutput;
const problems = Object.entries(parsed.nodes).flatMap(([url, node]) => {
  const file = relative(process.cwd(), new URL(url).pathname);
  return (node.symbols ?? []).flatMap((symbol) =>
    symbol.declarations.some((d) => new URL(d.location.filename).pathname.endsWith(file))
      ? problemsOf(file, symbol)
      : []
  );
});
for (const problem of problems) console.error(problem);
if (problems.length > 0) {
  console.error(`${problems.length} documentation problems`);
  process.exit(1);
}
for (const [file, reason] of Object.entries(NOT_YET)) {
  console.log(`examples: skipped ${file}: ${reason}`);
}
console.log(
  `examples: every exported function, class and constant of ${files.length} files has one`,
);
