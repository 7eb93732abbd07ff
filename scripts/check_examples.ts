/**
 * Checks the examples in the API documentation, beside `deno check --doc`
 * (which type-checks them) and `deno doc --lint` (which wants documentation):
 *
 * - every function, class and constant `mod.ts` exports has an `@example`, and so has every
 *   public method of an exported class (not its getters, nor its constructor when the class's
 *   own example constructs it);
 * - no example is `ts ignore` or declares what it needs with `declare const`
 *   (an example runs as written: `tests/doc_examples_test.ts` runs them);
 * - nothing else in `src/` carries an `@example`: internal modules get a
 *   one-line doc where the name does not say it all.
 *
 * Run: `deno run --allow-read --allow-run --allow-env scripts/check_examples.ts`
 *
 * @module
 */
import { relative } from "node:path";
import process from "node:process";
import { execFileSync } from "node:child_process";
import { sourceFiles } from "./source_files.ts";

/** Kinds of symbol whose documentation needs an example (types document themselves). */
const NEEDS_EXAMPLE = new Set(["function", "class", "variable"]);

interface Tag {
  kind: string;
  doc?: string;
}
interface JsDoc {
  doc?: string;
  tags?: Tag[];
}
/** A class's method or constructor, or an interface's property. */
interface DocMember {
  name: string;
  kind?: string;
  accessibility?: string;
  isStatic?: boolean;
  jsDoc?: JsDoc;
}
interface DocNode {
  kind: string;
  declarationKind: string;
  location: { filename: string };
  jsDoc?: JsDoc;
  def?: { methods?: DocMember[]; constructors?: DocMember[]; properties?: DocMember[] };
}
interface DocSymbol {
  name: string;
  declarations: DocNode[];
}
interface DocOutput {
  nodes: Record<string, { symbols?: DocSymbol[]; module_doc?: JsDoc }>;
}

const deno = /deno$/.test(process.execPath) ? process.execPath : "deno";

function docOf(files: string[]): DocOutput {
  const output = execFileSync(deno, ["doc", "--json", ...files], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(output) as DocOutput;
}

function examplesOf(node: { jsDoc?: JsDoc }): Tag[] {
  return (node.jsDoc?.tags ?? []).filter((tag) => tag.kind === "example");
}

/** The methods, constructors and properties of a class or an interface. */
function membersOf(declaration: DocNode): DocMember[] {
  const def = declaration.def ?? {};
  return [...def.methods ?? [], ...def.constructors ?? [], ...def.properties ?? []];
}

/** Every example of a declaration: its own and its members'. */
function allExamplesOf(declaration: DocNode): Tag[] {
  return [declaration, ...membersOf(declaration)].flatMap(examplesOf);
}

/**
 * The public methods of an exported class that lack an example: getters and setters are
 * documented like properties, and the constructor needs none when the class's example uses it.
 */
function methodsWithoutExample(name: string, declaration: DocNode): string[] {
  const def = declaration.def ?? {};
  const constructedInExample = examplesOf(declaration).some((tag) =>
    (tag.doc ?? "").includes(`new ${name}(`)
  );
  const constructors = constructedInExample ? [] : def.constructors ?? [];
  return [...def.methods ?? [], ...constructors]
    .filter((member) => member.kind !== "getter" && member.kind !== "setter")
    .filter((member) => member.accessibility !== "private" && member.accessibility !== "protected")
    .filter((member) => examplesOf(member).length === 0)
    .map((member) => `${member.isStatic ? `${name}.` : `${name}#`}${member.name}`);
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
        problems.push(...exampleProblems(`${file}: ${symbol.name}`, allExamplesOf(declaration)));
        if (!NEEDS_EXAMPLE.has(declaration.kind)) continue;
        if (examplesOf(declaration).length === 0) {
          problems.push(`${file}: ${symbol.name} has no @example`);
        }
        if (declaration.kind !== "class") continue;
        for (const method of methodsWithoutExample(symbol.name, declaration)) {
          problems.push(`${file}: ${method} has no @example`);
        }
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
    if (examplesOf({ jsDoc: node.module_doc }).length > 0) {
      problems.push(`${file}: the module doc has an @example (only mod.ts exports carry one)`);
    }
    for (const symbol of node.symbols ?? []) {
      for (const declaration of symbol.declarations) {
        const at = relative(process.cwd(), new URL(declaration.location.filename).pathname);
        if (at !== file || exported.has(`${file}:${symbol.name}`)) continue;
        if (allExamplesOf(declaration).length > 0) {
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
  `examples: every function, class, public method and constant mod.ts exports has one, none declares its inputs, and no internal symbol carries one`,
);
