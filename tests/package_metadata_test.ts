import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./support/cli_process.ts";
import { VERSION } from "../src/version.ts";

// deno-lint-ignore no-explicit-any
function readJson(name: string): any {
  return JSON.parse(readFileSync(join(ROOT, name), "utf8"));
}

describe("the package metadata", () => {
  const denoJson = readJson("deno.json");
  const packageJson = readJson("package.json");

  it("gives one version in src/version.ts, deno.json and package.json", () => {
    assert.match(VERSION, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
    assert.equal(denoJson.version, VERSION, "deno.json");
    assert.equal(packageJson.version, VERSION, "package.json");
  });

  it("exports the library and the CLI on JSR from files that exist", () => {
    assert.deepEqual(Object.keys(denoJson.exports).sort(), [".", "./cli"]);
    for (const [name, path] of Object.entries<string>(denoJson.exports)) {
      assert.ok(existsSync(join(ROOT, path)), `${name} -> ${path}`);
    }
  });

  it("publishes the files the package reads, under the MIT license it ships", () => {
    const included: string[] = denoJson.publish.include;
    for (const path of ["mod.ts", "cli.ts", "src/", "configs/", "LICENSE", "README.md"]) {
      assert.ok(included.includes(path), `publish.include lacks ${path}`);
      assert.ok(existsSync(join(ROOT, path)), `${path} does not exist`);
    }
    assert.equal(denoJson.license, "MIT");
    assert.equal(packageJson.license, "MIT");
    assert.match(readFileSync(join(ROOT, "LICENSE"), "utf8"), /^MIT License\n/);
  });
});
