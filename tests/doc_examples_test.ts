/**
 * Every `@example` of what `mod.ts` exports runs as written: each ```` ```ts ```` block (the module
 * doc of `mod.ts`, the exported functions, classes and constants, the public methods of the
 * exported classes, the options they take) runs in a child process of this runtime, in a fresh
 * directory, against a loopback Hub that serves the repository the examples name, and must exit 0.
 *
 * The imports are the only rewrite: `@rkllm/models` and relative `./x.ts` become the file URLs of
 * this repository's modules.
 *
 * @module
 */
import { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import process from "node:process";
import { RuntimeDetector } from "../src/runtime/detect_runtime.ts";
import { boundLifetime, cliEnvironment, finished, ROOT } from "./support/cli_process.ts";
import { type HubServer, sampleRepo, startHubServer } from "./support/hub_server.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";
import { it } from "./support/test_timeout.ts";

/** One ```` ```ts ```` block of an `@example`, where it stands. */
interface DocExample {
  /** The source file, absolute. */
  file: string;
  /** The line of its `@example` tag, 1-based. */
  line: number;
  /** The symbol the comment documents, e.g. `downloadModel`, or `module` for a module doc. */
  symbol: string;
  /** The tag's title, possibly empty. */
  title: string;
  /** The code, without the comment's ` * ` margins. */
  code: string;
}

const MOD = join(ROOT, "mod.ts");

/** `mod.ts` and the modules it exports from. */
function publicModules(): string[] {
  const text = readFileSync(MOD, "utf8");
  const sources = [...text.matchAll(/^export\b[^;]*?\bfrom\s+"(\.[^"]+)"/gms)].map((match) =>
    join(ROOT, match[1])
  );
  return [MOD, ...new Set(sources)];
}

/** The `@example` blocks of the doc comments of `file`. */
function examplesIn(file: string): DocExample[] {
  const text = readFileSync(file, "utf8");
  const examples: DocExample[] = [];
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const firstLine = text.slice(0, comment.index).split("\n").length;
    const symbol = /@module\b/.test(comment[0])
      ? "module"
      : symbolAfter(text.slice(comment.index! + comment[0].length));
    const lines = comment[0].split("\n").map((line) =>
      line.replace(/^\s*(?:\/\*\*|\*\/|\*) ?/, "")
    );
    lines.forEach((line, index) => {
      const tag = /^@example\b ?(.*)$/.exec(line);
      if (!tag) return;
      const code = codeAfter(lines, index);
      examples.push({ file, line: firstLine + index, symbol, title: tag[1], code });
    });
  }
  return examples;
}

/** The name declared by the code that follows a doc comment. */
function symbolAfter(rest: string): string {
  const declaration =
    /^\s*(?:export\s+)?(?:async\s+)?(?:static\s+)?(?:function\s+|class\s+|const\s+|interface\s+|get\s+)?(\w+)/
      .exec(rest);
  return declaration?.[1] ?? "?";
}

/** The first ```` ```ts ```` block after line `start` of a comment, before the next tag. */
function codeAfter(lines: string[], start: number): string {
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => line.startsWith("@"));
  const body = end === -1 ? rest : rest.slice(0, end);
  const open = body.findIndex((line) => /^```ts\s*$/.test(line));
  const close = body.findIndex((line, index) => index > open && /^```\s*$/.test(line));
  if (open === -1 || close === -1) return "";
  return body.slice(open + 1, close).join("\n");
}

/** `code` with `@rkllm/models` and relative module specifiers made absolute file URLs. */
function withAbsoluteImports(code: string, file: string): string {
  const base = pathToFileURL(file);
  return code.replace(/(\bfrom\s+|\bimport\s*\(\s*)"([^"]+)"/g, (whole, before, specifier) => {
    if (specifier === "@rkllm/models") return `${before}"${pathToFileURL(MOD).href}"`;
    if (!specifier.startsWith(".")) return whole;
    return `${before}"${new URL(specifier, base).href}"`;
  });
}

/** The command that runs a TypeScript file on this runtime. */
function scriptCommand(script: string): string[] {
  if (RuntimeDetector.detect() === "deno") return [process.execPath, "run", "-q", "-A", script];
  return [process.execPath, script];
}

/** Runs `example` in `dir` against `hub`; answers its exit status and output. */
async function runExample(example: DocExample, options: { dir: string; hub: HubServer }) {
  const script = join(options.dir, "example.mts");
  writeFileSync(script, withAbsoluteImports(example.code, example.file));
  const [command, ...args] = scriptCommand(script);
  const child = spawn(command, args, {
    cwd: options.dir,
    env: cliEnvironment({
      HF_ENDPOINT: options.hub.endpoint,
      HF_HOME: join(options.dir, "hf-home"),
      XDG_DATA_HOME: join(options.dir, "data"),
      XDG_CONFIG_HOME: join(options.dir, "config"),
      XDG_CACHE_HOME: join(options.dir, "cache"),
      RKLLM_DEVICE_TREE: join(options.dir, "device-tree"),
    }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  boundLifetime(child, `the example at ${relative(ROOT, example.file)}:${example.line}`);
  return await finished(child);
}

const EXAMPLES = publicModules().flatMap(examplesIn);

describe("every @example of what mod.ts exports runs as written", () => {
  let hub: HubServer;
  const dirs: string[] = [];

  before(async () => {
    hub = await startHubServer({ repos: [sampleRepo()] });
  });
  after(async () => {
    await hub.close();
    dirs.forEach(removeDir);
  });

  it("finds the examples of mod.ts, of the exported classes' methods and of their options", () => {
    const where = EXAMPLES.map((example) => relative(ROOT, example.file));
    assert.ok(where.includes("mod.ts"), "the module doc of mod.ts");
    assert.ok(where.includes(join("src", "model_manager.ts")), "ModelManager");
    assert.ok(where.includes(join("src", "runtime", "detect_runtime.ts")), "RuntimeDetector");
  });

  for (const example of EXAMPLES) {
    const where = `${relative(ROOT, example.file)}:${example.line}`;
    const name = `${example.symbol} (${where})${example.title ? `: ${example.title}` : ""}`;
    it(name, async () => {
      assert.notEqual(example.code, "", `${name}: no \`\`\`ts block follows the @example tag`);
      const dir = makeTempDir("rkllm-example-");
      dirs.push(dir);
      const { code, stdout, stderr } = await runExample(example, { dir, hub });
      assert.equal(
        code,
        0,
        `${name} exited ${code}\n--- code\n${example.code}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`,
      );
    });
  }
});
