#!/usr/bin/env node
// The `rkllm-models` command of an npm install. It runs lib/cli.mjs, the CLI bundled for
// Node.js 20 and newer by `npm run build:cli` (which `prepack` and `prepare` run). A linked
// checkout that was never built still runs on a Node.js that strips types by itself.
import process from "node:process";

const bundle = new URL("../lib/cli.mjs", import.meta.url);
try {
  await import(bundle.href);
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("cli.mjs")) {
    throw error;
  }
  if (!process.features?.typescript) {
    const root = new URL("..", import.meta.url).pathname;
    process.stderr.write(
      `error: this copy of rkllm-models has no built command (lib/cli.mjs is missing)\n` +
        `hint: run "npm install && npm run build:cli" in ${root}, or install a release: npm install -g rkllm-models\n`,
    );
    process.exit(1);
  }
  await import(new URL("../cli.ts", import.meta.url).href);
}
