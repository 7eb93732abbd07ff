/**
 * Checks two house rules on `src/` (or another directory) that a line scan can see:
 *
 * - an exported function, and the constructor of a class, takes at most two
 *   required arguments plus an options object (a third parameter, if any, is
 *   named `options` or `…Options`), and no parameter is a boolean flag
 *   (typed `boolean` or defaulting to `true`/`false`);
 * - no function, method or constructor body is longer than
 *   {@linkcode MAX_LINES} lines.
 *
 * Limits, as it reads lines and not TypeScript's syntax tree: a function
 * starts on a line that begins with `function name(` (or `export`, `async`),
 * `const name = (…) => {`, `const name = async (…) => {` or `const name =
 * function (` at the top level, or, at any indentation, a class or
 * object-literal method (`name(`, `async name(`, `get name(`, `constructor(`)
 * or an arrow property (`name: (…) => {`); a call statement that such a line
 * also matches ends at its semicolon without a body and is not measured.
 * Parameters are split at top-level commas, counting `()`, `[]`, `{}` and
 * `<>` (an arrow type's `=>` is not mistaken for a closing `>`); bodies are
 * measured by counting braces outside strings, templates and comments, so a
 * regular expression literal holding a quote, a backtick or an unbalanced
 * brace would confuse it (none does today).
 *
 * Exceptions live in {@linkcode ALLOWED}, each with its reason.
 *
 * Run: `deno run --allow-read scripts/check_signatures.ts [dir]`
 *
 * @module
 */
import { readFileSync } from "node:fs";
import process from "node:process";
import { sourceFiles } from "./source_files.ts";

/** The longest body, in lines, without a written reason. */
const MAX_LINES = 60;

/** Exceptions: `file:name` → why. Remove an entry when its reason is gone. */
const ALLOWED: Record<string, string> = {
  "src/runtime/deno_runtime.ts:createDenoRuntime":
    "an adapter is one object literal implementing Runtime, a few lines per method; splitting it would scatter the adapter across helpers",
  "src/runtime/node_runtime.ts:createNodeRuntime":
    "an adapter is one object literal implementing Runtime, a few lines per method; splitting it would scatter the adapter across helpers",
};

/**
 * The source with the contents of strings, templates and comments blanked
 * (newlines kept), so braces and parentheses in them do not count. A
 * template's `${…}` stays code, nested to any depth.
 */
function blanked(source: string): string {
  let out = "";
  // What encloses the current character: a template, or code inside `${` (with its brace depth).
  const stack: ({ kind: "template" } | { kind: "code"; depth: number })[] = [];
  let i = 0;
  const blank = (char: string) => (char === "\n" ? "\n" : " ");
  while (i < source.length) {
    const char = source[i];
    const top = stack[stack.length - 1];
    if (top?.kind === "template") {
      if (char === "\\") {
        out += "  ";
        i += 2;
      } else if (char === "`") {
        stack.pop();
        out += "`";
        i++;
      } else if (char === "$" && source[i + 1] === "{") {
        stack.push({ kind: "code", depth: 0 });
        out += "${";
        i += 2;
      } else {
        out += blank(char);
        i++;
      }
      continue;
    }
    if (char === "/" && source[i + 1] === "/") {
      while (i < source.length && source[i] !== "\n") {
        out += " ";
        i++;
      }
    } else if (char === "/" && source[i + 1] === "*") {
      const close = source.indexOf("*/", i + 2);
      const stop = close === -1 ? source.length : close + 2;
      for (; i < stop; i++) out += blank(source[i]);
    } else if (char === '"' || char === "'") {
      out += char;
      i++;
      while (i < source.length && source[i] !== char && source[i] !== "\n") {
        out += source[i] === "\\" ? "  " : " ";
        i += source[i] === "\\" ? 2 : 1;
      }
      out += source[i] ?? "";
      i++;
    } else if (char === "`") {
      stack.push({ kind: "template" });
      out += "`";
      i++;
    } else {
      if (top?.kind === "code" && char === "{") top.depth++;
      if (top?.kind === "code" && char === "}") {
        if (top.depth === 0) stack.pop();
        else top.depth--;
      }
      out += char;
      i++;
    }
  }
  return out;
}

/** The text between the parentheses that open at `start`, and the index after them. */
function parenthesised(text: string, start: number): { inner: string; end: number } {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return { inner: text.slice(start + 1, i), end: i };
  }
  return { inner: text.slice(start + 1), end: text.length };
}

/** Splits a parameter list at its top-level commas. */
function parametersOf(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (let i = 0; i < list.length; i++) {
    const char = list[i];
    if ("([{<".includes(char)) depth++;
    else if (")]}".includes(char) || (char === ">" && list[i - 1] !== "=")) depth--;
    if (char === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part.length > 0);
}

function isOptional(parameter: string): boolean {
  return /^[\w$]+\?/.test(parameter) || /^[^:]*=/.test(parameter.replace(/=>/g, "")) ||
    parameter.startsWith("...");
}

function signatureProblems(name: string, parameters: string[]): string[] {
  const problems: string[] = [];
  const names = parameters.map((parameter) => parameter.match(/^(?:\.\.\.)?([\w$]+)/)?.[1] ?? "");
  const last = names.length - 1;
  const hasOptions = last >= 0 && /^options$|Options$/.test(names[last]);
  const positional = hasOptions ? parameters.slice(0, -1) : parameters;
  const required = positional.filter((parameter) => !isOptional(parameter));
  if (positional.length > 2) {
    problems.push(`${name} takes ${positional.length} positional parameters (at most 2)`);
  } else if (required.length > 2) {
    problems.push(`${name} takes ${required.length} required parameters (at most 2)`);
  }
  for (const parameter of parameters) {
    if (/:\s*boolean\s*(=|$)/.test(parameter) || /=\s*(true|false)\s*$/.test(parameter)) {
      problems.push(`${name} takes a boolean flag: ${parameter}`);
    }
  }
  return problems;
}

/** Where a function starts: its name, and whether the signature rules apply to it. */
interface FunctionStart {
  name: string;
  /** An exported function or a constructor: the signature rules apply. */
  checked: boolean;
  /** An arrow function: its body opens with `=> {`, else the line is not one. */
  arrow: boolean;
}

const MODIFIERS = "(?:(?:public|private|protected|static|async|readonly|override|get|set) )*";
const TYPE_PARAMETERS = "(?:<[^(]*>)?";
/** `function name(` at the top level. */
const DECLARATION = /^(export )?(?:default )?(?:async )?function\*? ?([\w$]+)/;
/** `const name = (…) => {`, `const name = async (…) => {` or `const name = function (` at the top level. */
const CONST_FUNCTION = new RegExp(
  `^(export )?const ([\\w$]+)(?:\\s*:[^=]+)?\\s*=\\s*(?:async\\s+)?(function\\b\\*?\\s*[\\w$]*\\s*)?${TYPE_PARAMETERS}\\(`,
);
/** A class or object-literal method, at any indentation: `name(`, `async name(`, `constructor(`. */
const METHOD = new RegExp(
  `^\\s+${MODIFIERS}\\*?\\s*(constructor|#?[\\w$]+)\\s*${TYPE_PARAMETERS}\\(`,
);
/** An object-literal property holding an arrow function, at any indentation: `name: (…) => {`. */
const ARROW_PROPERTY = new RegExp(`^\\s+([\\w$]+)\\s*:\\s*(?:async\\s+)?${TYPE_PARAMETERS}\\(`);
const NOT_METHODS = new Set([
  "if",
  "for",
  "while",
  "switch",
  "catch",
  "return",
  "function",
  "super",
  "await",
  "typeof",
  "void",
]);

/** The function a line starts, if it starts one. */
function functionStart(line: string): FunctionStart | undefined {
  const declared = DECLARATION.exec(line);
  if (declared) return { name: declared[2], checked: declared[1] !== undefined, arrow: false };
  const constant = CONST_FUNCTION.exec(line);
  if (constant) {
    return {
      name: constant[2],
      checked: constant[1] !== undefined,
      arrow: constant[3] === undefined,
    };
  }
  const method = METHOD.exec(line);
  if (method && !NOT_METHODS.has(method[1])) {
    return { name: method[1], checked: method[1] === "constructor", arrow: false };
  }
  const property = ARROW_PROPERTY.exec(line);
  if (property) return { name: property[1], checked: false, arrow: true };
  return undefined;
}

/**
 * The line a function ends on, counting from the line its signature starts,
 * and whether it has a body (an overload, an interface method or a call
 * statement ends at its semicolon without one). The body opens at the first `{` that ends a line after the
 * parameter list has closed, outside any `<…>` or `{…}` of the return type, so
 * an options default (`options = {}`) or an object in a parameter or return
 * type does not end the body early.
 */
function bodyEnd(
  lines: string[],
  start: { from: number; arrow: boolean },
): { end: number; body: boolean } {
  const { from, arrow } = start;
  let parentheses = 0;
  let parametersClosed = false;
  let typeDepth = 0;
  let depth = 0;
  for (let i = from; i < lines.length; i++) {
    const line = lines[i];
    for (let column = 0; column < line.length; column++) {
      const char = line[column];
      if (depth > 0) {
        if (char === "{") depth++;
        else if (char === "}" && --depth === 0) return { end: i, body: true };
      } else if (!parametersClosed) {
        if (char === "(") parentheses++;
        else if (char === ")" && --parentheses === 0) parametersClosed = true;
      } else if (
        char === "{" && typeDepth === 0 && line.slice(column + 1).trim() === "" &&
        (!arrow || line.slice(0, column).trimEnd().endsWith("=>"))
      ) {
        depth = 1;
      } else if ("<{(".includes(char)) typeDepth++;
      else if ("})".includes(char) || (char === ">" && line[column - 1] !== "=")) typeDepth--;
    }
    if (depth === 0 && parametersClosed && /;\s*$/.test(line)) return { end: i, body: false };
  }
  return { end: lines.length - 1, body: depth > 0 };
}

function problemsOf(file: string): string[] {
  const lines = blanked(readFileSync(file, "utf8")).split("\n");
  const problems: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = functionStart(lines[i]);
    if (!start) continue;
    const { name } = start;
    const where = `${file}:${i + 1}: ${name}`;
    if (ALLOWED[`${file}:${name}`] !== undefined) continue;
    const { end, body } = bodyEnd(lines, { from: i, arrow: start.arrow });
    const text = lines.slice(i, end + 1).join("\n");
    const open = text.indexOf("(", text.indexOf(name) + name.length);
    if (start.checked) {
      const { inner } = parenthesised(text, open);
      problems.push(...signatureProblems(where, parametersOf(inner)));
    }
    if (body && end - i + 1 > MAX_LINES) {
      problems.push(`${where} is ${end - i + 1} lines (at most ${MAX_LINES})`);
    }
  }
  return problems;
}

/** Every signature and length problem in the `.ts` files under `dir`. */
export function problemsIn(dir: string): string[] {
  return sourceFiles(dir).flatMap(problemsOf);
}

if (import.meta.main) {
  const dir = process.argv[2] ?? "src";
  const problems = problemsIn(dir);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error(`${problems.length} signature or length problems`);
    process.exit(1);
  }
  console.log(
    `signatures: every exported function and constructor in ${dir}/ takes at most two required arguments plus options, no boolean flags, and no function is over ${MAX_LINES} lines, except the ${
      Object.keys(ALLOWED).length
    } listed in ALLOWED`,
  );
}
