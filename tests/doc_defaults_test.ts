/**
 * The defaults the public option types state are the ones the code applies. Each option whose
 * default is a value carries it as a `@default` tag (a number or a quoted string); this test
 * reads the value where the code applies it (`options.port ?? DEFAULT_SERVE_PORT`, the constant
 * resolved) and compares. A `@default` in words ("detected", "the global `fetch`") states a
 * behaviour, not a value, and is not compared.
 *
 * @module
 */
import { describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./support/cli_process.ts";
import { it } from "./support/test_timeout.ts";
import { sourceFiles } from "../scripts/source_files.ts";

/** Where the code applies an option's default: the text just before the default in `file`. */
interface AppliedDefault {
  file: string;
  before: string;
}

/**
 * Every option whose `@default` is a value, and where the code applies that default (each
 * place, when several code paths apply it).
 */
const APPLIED: Record<string, AppliedDefault | readonly AppliedDefault[]> = {
  "ModelManagerOptions.source": { file: "src/model_manager.ts", before: "userConfig.source ?? " },
  "ModelManagerOptions.endpoint": { file: "src/config/settings.ts", before: ".endpoint || " },
  "ModelManagerOptions.idleTimeoutMs": {
    file: "src/download/download_file.ts",
    before: "options.idleTimeoutMs ?? ",
  },
  "ModelManagerOptions.requestTimeoutMs": {
    file: "src/http/hub_request.ts",
    before: "connection.timeoutMs ?? ",
  },
  "ModelManagerOptions.maxJsonBytes": {
    file: "src/http/hub_request.ts",
    before: "connection.maxJsonBytes ?? ",
  },
  "DownloadOptions.connections": {
    file: "src/download/download_file.ts",
    before: "options.connections ?? ",
  },
  "DownloadOptions.parallelThreshold": {
    file: "src/download/download_file.ts",
    before: "options.parallelThreshold ?? ",
  },
  "DownloadOptions.idleTimeoutMs": {
    file: "src/download/download_file.ts",
    before: "options.idleTimeoutMs ?? ",
  },
  "ServeOptions.host": { file: "src/serve/serve_store.ts", before: "options.host ?? " },
  "ServeOptions.port": { file: "src/serve/serve_store.ts", before: "options.port ?? " },
  "ServeOptions.pullsPerMinute": {
    file: "src/serve/serve_store.ts",
    before: "options.pullsPerMinute ?? ",
  },
  "ServeOptions.maxConnections": {
    file: "src/serve/serve_store.ts",
    before: "options.maxConnections ?? ",
  },
  "ServeOptions.clientTimeoutMs": {
    file: "src/serve/serve_store.ts",
    before: "options.clientTimeoutMs ?? ",
  },
  "ServeOptions.headerTimeoutMs": {
    file: "src/serve/serve_store.ts",
    before: "options.headerTimeoutMs ?? ",
  },
  "RetryOptions.attempts": { file: "src/http/retry.ts", before: "options.attempts ?? " },
  "RetryOptions.baseDelayMs": { file: "src/http/retry.ts", before: "options.baseDelayMs ?? " },
  "RetryOptions.maxDelayMs": { file: "src/http/retry.ts", before: "options.maxDelayMs ?? " },
  "SearchOptions.limit": [
    { file: "src/hub/search_models.ts", before: "options.limit ?? " },
    { file: "src/modelscope/search_models.ts", before: "options.limit ?? " },
  ],
};

/** The public option types, and the files that declare them. */
const OPTION_TYPES: Record<string, string> = {
  ModelManagerOptions: "src/model_manager.ts",
  DownloadOptions: "src/manager/download_model.ts",
  ServeOptions: "src/serve/serve_store.ts",
  RetryOptions: "src/http/retry.ts",
  SearchOptions: "src/hub/search_models.ts",
};

function read(file: string): string {
  return readFileSync(join(ROOT, file), "utf8");
}

/** The `@default` tags of the properties of `interface name` in `file`, by property name. */
function defaultTags(name: string, file: string): Map<string, string> {
  const text = read(file);
  const start = text.indexOf(`export interface ${name} `);
  assert.notEqual(start, -1, `${file} declares no interface ${name}`);
  const body = text.slice(start, text.indexOf("\n}\n", start));
  const tags = new Map<string, string>();
  for (const match of body.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*(\w+)\??:/g)) {
    const tag = /@default (.+)/.exec(match[1]);
    if (tag) tags.set(match[2], tag[1].trim());
  }
  return tags;
}

/** A tag's value when it is a number or a quoted string; `undefined` for words. */
function literalOf(text: string): number | string | undefined {
  if (/^-?[\d_]+(\.\d+)?$/.test(text)) return Number(text.replaceAll("_", ""));
  if (/^"[^"]*"$/.test(text)) return JSON.parse(text);
  return undefined;
}

/** The value of the constant `name`: imported when its module exports it, else read as a literal. */
async function constantValue(name: string, near: string): Promise<unknown> {
  const declaration = new RegExp(`^(export )?const ${name}\\b[^=]*= ([^;]+);`, "m");
  for (const file of [near, ...sourceFiles("src")]) {
    const found = declaration.exec(read(file));
    if (!found) continue;
    if (found[1]) return (await import(pathToFileURL(join(ROOT, file)).href))[name];
    const value = literalOf(found[2].trim());
    assert.notEqual(value, undefined, `${file}: ${name} is not a literal: ${found[2]}`);
    return value;
  }
  assert.fail(`no constant ${name} in src/`);
}

/** The default the code applies at each place `applied` names (each occurrence). */
async function appliedValues(applied: AppliedDefault): Promise<unknown[]> {
  const text = read(applied.file);
  const values: unknown[] = [];
  for (
    let at = text.indexOf(applied.before);
    at !== -1;
    at = text.indexOf(applied.before, at + 1)
  ) {
    const expression = /^("[^"]*"|[\w.]+)/.exec(text.slice(at + applied.before.length))![1];
    const literal = literalOf(expression);
    values.push(literal !== undefined ? literal : await constantValue(expression, applied.file));
  }
  assert.ok(values.length > 0, `${applied.file} no longer has "${applied.before}"`);
  return values;
}

describe("the @default of each public option is the default the code applies", () => {
  const tags = new Map<string, string>();
  for (const [name, file] of Object.entries(OPTION_TYPES)) {
    for (const [property, tag] of defaultTags(name, file)) tags.set(`${name}.${property}`, tag);
  }

  for (const [option, places] of Object.entries(APPLIED)) {
    const applied = [places].flat();
    it(`${option}: ${applied.map((place) => place.file).join(", ")}`, async () => {
      const tag = tags.get(option);
      assert.ok(tag !== undefined, `${option} has no @default`);
      const stated = literalOf(tag);
      assert.notEqual(stated, undefined, `${option}: @default ${tag} is not a number or a string`);
      for (const place of applied) {
        for (const value of await appliedValues(place)) assert.equal(stated, value, option);
      }
    });
  }

  it("every @default that states a value is compared above", () => {
    const unchecked = [...tags].filter(([option, tag]) =>
      literalOf(tag) !== undefined && !(option in APPLIED)
    );
    assert.deepEqual(unchecked, []);
  });
});
