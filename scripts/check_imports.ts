/**
 * Checks that the modules of `mod.ts`, `cli.ts` and `src/` import one another without a
 * cycle: a lower layer never imports an upper one, even through others. Edges are the
 * static `import … from`, `import "…"` and `export … from` with a relative specifier
 * (type-only ones included: they tie the modules together as much for a reader) and
 * `import("…")` of a literal relative specifier. Comments are skipped, so an `@example`
 * importing its own module is no edge.
 *
 * Run: `deno run --allow-read scripts/check_imports.ts`
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import process from "node:process";
import { sourceFiles } from "./source_files.ts";

/** Cycles known and being removed, by their modules (sorted), with why they may stay for now. */
const ALLOWED: { modules: string[]; reason: string }[] = [];

/** `text` without its comments (block comments, and line comments that start a line). */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/** The relative specifiers `file` imports or re-exports, statically or with `import("…")`. */
function specifiersOf(file: string): string[] {
  const code = withoutComments(readFileSync(file, "utf8"));
  const patterns = [
    /^\s*(?:import|export)\b[^;]*?\bfrom\s*["'](\.[^"']+)["']/gm,
    /^\s*import\s*["'](\.[^"']+)["']/gm,
    /\bimport\(\s*["'](\.[^"']+)["']\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...code.matchAll(pattern)].map((match) => match[1]));
}

/** The import graph: each module and the modules of the set it imports. */
function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets = specifiersOf(file)
      .map((specifier) => normalize(join(dirname(file), specifier)))
      .filter((target) => known.has(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** The strongly connected components of more than one module, or of one importing itself. */
function cyclicComponents(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) {
      components.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components;
}

/** One cycle through `component`, from its first module back to it: `a → b → a`. */
function cycleIn(graph: Map<string, string[]>, component: string[]): string[] {
  const members = new Set(component);
  const start = component[0];
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0])!);
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return component;
}

const graph = importGraph(["mod.ts", "cli.ts", ...sourceFiles("src")]);
const problems: string[] = [];
const allowedSeen = new Set<number>();
for (const component of cyclicComponents(graph)) {
  const allowed = ALLOWED.findIndex((entry) =>
    entry.modules.length === component.length &&
    entry.modules.every((module) => component.includes(module))
  );
  if (allowed !== -1) {
    allowedSeen.add(allowed);
    continue;
  }
  problems.push(`an import cycle: ${cycleIn(graph, component).join(" → ")}`);
}
ALLOWED.forEach((entry, at) => {
  if (!allowedSeen.has(at)) {
    problems.push(`ALLOWED lists a cycle that is gone: ${entry.modules.join(" ⇄ ")}; drop it`);
  }
});
for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
const allowedNote = ALLOWED.map((entry) => `${entry.modules.join(" ⇄ ")}: ${entry.reason}`);
console.log(
  `imports: ${graph.size} modules, no import cycle` +
    (allowedNote.length > 0 ? ` besides those allowed (${allowedNote.join("; ")})` : ""),
);
