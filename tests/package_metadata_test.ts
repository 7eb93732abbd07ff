import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
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

  it("exports the library for Node.js with its types, from files that npm pack builds and packs", () => {
    const { types, import: bundle } = packageJson.exports["."];
    assert.deepEqual(Object.keys(packageJson.exports).sort(), [".", "./package.json"]);
    assert.equal(packageJson.exports["./package.json"], "./package.json");
    assert.equal(packageJson.types, types);
    const packed = (path: string) =>
      packageJson.files.some((entry: string) =>
        entry.endsWith("/") ? path.startsWith(entry) : path === entry
      );
    for (const path of [types, bundle, packageJson.bin["rkllm-models"], "lib/cli.mjs"]) {
      assert.ok(packed(path.replace(/^\.\//, "")), `files lacks ${path}`);
    }
    const scripts = packageJson.scripts;
    assert.match(scripts.prepack, /^npm run build:npm$/);
    assert.match(scripts["build:npm"], /npm run build:cli && npm run build:lib/);
    assert.match(scripts["build:cli"], /--outfile lib\/cli\.mjs$/);
    assert.ok(scripts["build:lib"].includes(`--outfile ${bundle.replace(/^\.\//, "")} `));
    assert.ok(scripts["build:lib"].includes("tsc -p scripts/tsconfig.types.json"));
    const tsconfig = JSON.parse(readFileSync(join(ROOT, "scripts/tsconfig.types.json"), "utf8"));
    assert.deepEqual(tsconfig.files, ["../mod.ts"]);
    assert.equal(join("scripts", tsconfig.compilerOptions.outDir, "mod.d.ts"), types.slice(2));
  });

  it("has no install script, which npm would warn about and not run", () => {
    for (const name of ["preinstall", "install", "postinstall", "prepare"]) {
      assert.equal(packageJson.scripts[name], undefined, name);
    }
  });

  it("pins every devDependency to one version, so that npm ci installs the same offline", () => {
    for (const [name, version] of Object.entries(packageJson.devDependencies)) {
      assert.match(String(version), /^\d+\.\d+\.\d+$/, name);
    }
  });
});
