#!/usr/bin/env node
// The `rkllm-models` command of an npm install. It runs lib/cli.mjs, the CLI bundled for
// Node.js 20 and newer by `npm run build:npm` (which `npm pack` runs through `prepack`).
// A clone linked by `npm install -g ./clone` has no lib/ until it is built there: a Node.js
// that strips types (22.18 and newer) runs its sources instead; an older one says what to run.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import process from "node:process";

const bundle = new URL("../lib/cli.mjs", import.meta.url);
if (existsSync(bundle)) {
  await import(bundle.href);
} else if (process.features?.typescript) {
  await import(new URL("../cli.ts", import.meta.url).href);
} else {
  const root = fileURLToPath(new URL("..", import.meta.url));
  process.stderr.write(
    `error: this clone of rkllm-models has no built command (lib/cli.mjs), and Node.js ` +
      `${process.versions.node} cannot run its TypeScript sources\n` +
      `hint: build it once: cd ${root} && npm ci && npm run build:npm (or use Node.js 22.18 or newer)\n`,
  );
  process.exit(1);
}
