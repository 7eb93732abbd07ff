/**
 * Checks that the committed npm build (`lib/`) is what `npm run build:npm`
 * makes from the sources today. `lib/` is committed so that `npm install -g`
 * of a fresh clone gives a command that runs on Node.js 20, which cannot run
 * TypeScript; a stale `lib/` would install yesterday's code.
 *
 * Run: `deno run --allow-read --allow-write --allow-run --allow-env scripts/check_bundle.ts`
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import process from "node:process";
import { filesUnder } from "./source_files.ts";

const BIN = join(process.cwd(), "node_modules", ".bin");

/** Builds the CLI and library bundles and the types into `dir`, as `npm run build:npm` does. */
function buildInto(dir: string): void {
  for (
    const [entry, out] of [["src/cli/binary_entry.ts", "cli.mjs"], [
      "src/npm_library.ts",
      "mod.mjs",
    ]]
  ) {
    execFileSync(join(BIN, "bun"), [
      "build",
      "--target=node",
      "--format=esm",
      entry,
      "--outfile",
      join(dir, out),
    ], { stdio: "pipe" });
  }
  const config = join(dir, "tsconfig.json");
  const base = JSON.parse(readFileSync("scripts/tsconfig.types.json", "utf8"));
  const root = process.cwd();
  base.compilerOptions.rootDir = root;
  base.compilerOptions.outDir = join(dir, "types");
  base.compilerOptions.typeRoots = [join(root, "node_modules", "@types")];
  base.files = [join(root, "mod.ts")];
  writeFileSync(config, JSON.stringify(base));
  execFileSync(join(BIN, "tsc"), ["-p", config], { stdio: "pipe" });
  rmSync(config);
}

/** Paths (relative to their root) whose content differs or that only one side has. */
function differences(built: string, committed: string): string[] {
  const names = (dir: string) => filesUnder(dir).map((file) => relative(dir, file));
  const all = new Set([...names(built), ...names(committed)]);
  return [...all].sort().filter((name) => {
    try {
      return !readFileSync(join(built, name)).equals(readFileSync(join(committed, name)));
    } catch {
      return true;
    }
  });
}

const scratch = mkdtempSync(join(tmpdir(), "rkllm-bundle-"));
try {
  buildInto(scratch);
  const stale = differences(scratch, "lib");
  if (stale.length > 0) {
    for (const name of stale) console.error(`lib/${name} differs from a fresh build`);
    console.error("the committed npm build is stale: run `npm run build:npm` and commit lib/");
    process.exit(1);
  }
  console.log("bundle: lib/ is what npm run build:npm makes from the sources");
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
