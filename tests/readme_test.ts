import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { COMMANDS, GLOBAL_OPTIONS } from "../src/cli/main.ts";
import { ENVIRONMENT } from "../src/cli/help.ts";
import { cliEnvironment, ROOT } from "./support/cli_process.ts";
import { QWEN, standardHub } from "./support/fixtures.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";

const run = promisify(execFile);
const README = readFileSync(join(ROOT, "README.md"), "utf8");

function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  assert.ok(start >= 0, `no section ${title}`);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

describe("the README", () => {
  it("starts with the three installs: npm, deno install, the standalone binary", () => {
    const first = README.match(/\n## (.+)\n/)?.[1];
    assert.equal(first, "Install");
    const install = section("Install");
    assert.match(install, /npm install -g rkllm-models/);
    assert.match(install, /deno install -g -A -n rkllm-models --no-config cli\.ts/);
    assert.match(install, /sha256sum .*install -m 755 .* \/usr\/local\/bin\/rkllm-models/);
  });

  it("describes every command, option and environment variable the CLI's help shows", () => {
    for (const command of COMMANDS) {
      assert.match(README, new RegExp(`\\| \`${command.name}[ \`]`), `command ${command.name}`);
      for (const option of Object.keys(command.options)) {
        assert.ok(README.includes(`\`--${option}`), `${command.name} --${option}`);
      }
    }
    for (const option of Object.keys(GLOBAL_OPTIONS)) {
      assert.ok(README.includes(`\`--${option}`), `global --${option}`);
    }
    for (const [names] of ENVIRONMENT) {
      for (const name of names.split(", ")) {
        assert.ok(README.includes(`\`${name}`), `environment ${name}`);
      }
    }
    assert.match(README, /`--revision REV` .*default: the default branch/);
    const revision = COMMANDS.find((command) => command.name === "download")!.options.revision;
    assert.match(revision.description, /default: the default branch/);
  });

  it("lists each option beside the commands whose --help shows it, and each alias", () => {
    const optionRows = new Map<string, string[]>();
    for (const line of README.split("\n").filter((line) => line.startsWith("| `--"))) {
      const [names, commands] = line.split(" | ").map((cell) => cell.replace(/^\| /, "").trim());
      for (const [, option] of names.matchAll(/`--([a-z-]+)/g)) {
        optionRows.set(option, commands === "all" ? ["all"] : commands.split(/,\s*/));
      }
    }
    for (const command of COMMANDS) {
      const row = README.split("\n").find((line) => line.startsWith(`| \`${command.name}`));
      assert.ok(row, `a row for ${command.name} in the commands table`);
      assert.ok(command.globals, `${command.name} --help shows only the global options it uses`);
      for (const alias of command.aliases ?? []) {
        assert.ok(row!.includes(`alias \`${alias}\``), `${command.name}: alias ${alias}`);
      }
      for (const option of Object.keys(command.options)) {
        const where = optionRows.get(option) ?? [];
        assert.ok(
          where.includes("all") || where.includes(command.name),
          `the options table names ${command.name} beside --${option} (it has ${where})`,
        );
      }
    }
    for (const [option, where] of optionRows) {
      for (const name of where.filter((name) => name !== "all")) {
        const command = COMMANDS.find((command) => command.name === name);
        assert.ok(command, `--${option}: no command ${name}`);
        const shown = option in command!.options || command!.globals?.includes(option) !== false;
        assert.ok(shown, `--${option}: ${name} --help does not show it`);
      }
    }
  });

  it("says how long the test command takes and what it builds", () => {
    assert.match(
      README,
      /npm ci && npm test +# about \d+ minutes on 2 cores: [^\n]*104 MiB binaries/,
    );
  });
});

describe("library use on Deno with the permissions the README lists", () => {
  const bed = useHubTestBed(standardHub());

  it("downloads, lists and verifies with --allow-net --allow-read --allow-write --allow-env", async () => {
    const permissions = README.match(
      /Deno permissions for library use: `(--allow-net)`.*`(--allow-read)` and\s+`(--allow-write)`.*`(--allow-env)`/s,
    );
    assert.ok(permissions, "the README lists the permissions");
    const script = join(bed.root, "library.ts");
    writeFileSync(
      script,
      `import { ModelManager } from ${JSON.stringify(join(ROOT, "mod.ts"))};\n` +
        `const manager = new ModelManager({ modelsDir: ${
          JSON.stringify(join(bed.root, "lib-models"))
        }, endpoint: ${JSON.stringify(bed.hub.endpoint)} });\n` +
        `await manager.downloadModel(${JSON.stringify(QWEN.id)});\n` +
        `const [verdict] = await manager.verifyModel();\n` +
        `console.log((await manager.listModels()).length, verdict.ok);\n`,
    );
    const deno = join(ROOT, "node_modules", ".bin", "deno");
    const { stdout } = await run(deno, [
      "run",
      "--no-prompt",
      ...permissions!.slice(1),
      script,
    ], { cwd: bed.root, env: cliEnvironment() });
    assert.equal(stdout.trim(), "1 true");
  });
});
