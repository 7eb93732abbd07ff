/**
 * The pull-through done-when of issue 13: four clients at once — our CLI on
 * Deno, Node and Bun plus the official Python client — download a 128 MiB
 * file through an empty mirror; they get identical bytes while upstream (the
 * emulator, which counts what it sends) sends the file about once, and the
 * mirror's store then verifies. Heavy: one run of the suite is enough.
 */
import { after, before, describe } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ModelManager } from "../src/model_manager.ts";
import { type ServeHandle, serveStore } from "../src/serve/serve_store.ts";
import { spawn } from "node:child_process";
import { CLI, cliEnvironment, finished, ROOT } from "./support/cli_process.ts";
import { fileSha256, runVenv } from "./support/fleet.ts";
import { type HubRepoSpec, type HubServer, startHubServer } from "./support/hub_server.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";
import { skipPythonReferee } from "./support/official_python.ts";
import { skipWhen } from "./support/skips.ts";
import { it } from "./support/test_timeout.ts";

const SIZE = 128 * 1024 * 1024;
const FILE = "Big-rk3588-w8a8.rkllm";
const BIG: HubRepoSpec = {
  id: "fleet/Big-rk3588",
  files: [
    { path: "config.json", content: '{"model_type":"qwen2"}' },
    { path: FILE, source: { size: SIZE, seed: 128 } },
  ],
};

const RUNTIMES: Record<string, string[]> = {
  deno: [join(ROOT, "node_modules/.bin/deno"), "run", "-q", "-A", CLI],
  node: [join(ROOT, "node_modules/.bin/node"), CLI],
  bun: [join(ROOT, "node_modules/.bin/bun"), CLI],
};

describe("serve --upstream: four clients at once on an empty mirror", () => {
  let hub: HubServer;
  let root: string;
  let mirror: ServeHandle;

  before(async () => {
    hub = await startHubServer({ repos: [BIG] });
    root = makeTempDir();
    mirror = await serveStore(join(root, "mirror"), {
      port: 0,
      upstream: hub.endpoint,
      pullAny: true,
      onWarning: () => {},
    });
  });
  after(async () => {
    await mirror?.close();
    await hub?.close();
    removeDir(root);
  });

  const noPython = skipWhen(
    "tests/serve_four_clients_test.ts (four clients at once)",
    skipPythonReferee,
  );
  it(
    "our CLI on three runtimes and huggingface_hub get identical bytes; upstream sends ≤ 1.3× the file",
    {
      skip: noPython,
    },
    async () => {
      const cliRuns = Object.entries(RUNTIMES).map(([name, [command, ...args]]) => {
        const child = spawn(command, [
          ...args,
          "download",
          BIG.id,
          "--dir",
          join(root, name),
          "--quiet",
          "--idle-timeout",
          "120",
        ], {
          env: cliEnvironment({ HF_ENDPOINT: mirror.url }),
          cwd: root,
          stdio: ["ignore", "pipe", "pipe"],
        });
        return finished(child).then((result) => ({ name, result }));
      });
      const python = runVenv([
        "-c",
        `from huggingface_hub import hf_hub_download; print(hf_hub_download(${
          JSON.stringify(BIG.id)
        }, ${JSON.stringify(FILE)}))`,
      ], {
        HF_ENDPOINT: mirror.url,
        HF_HOME: join(root, "py-home"),
        HF_HUB_DOWNLOAD_TIMEOUT: "120",
      });
      const [py, ...clis] = await Promise.all([python, ...cliRuns]);
      assert.equal(py.code, 0, py.stderr);
      const expected = fileSha256(join(root, "mirror", BIG.id, FILE));
      assert.equal(fileSha256(py.stdout.trim()), expected);
      for (const { name, result } of clis) {
        assert.equal(result.code, 0, `${name}: ${result.stderr}`);
        assert.equal(fileSha256(join(root, name, BIG.id, FILE)), expected, name);
      }
      const sent = hub.bytesServed(FILE);
      assert.ok(sent >= SIZE && sent <= SIZE * 1.3, `upstream sent ${sent} bytes`);
      const verdicts = await new ModelManager({
        modelsDir: join(root, "mirror"),
        onWarning: () => {},
      })
        .verifyModel();
      assert.equal(verdicts.length, 1);
      assert.ok(verdicts[0].ok, JSON.stringify(verdicts));
    },
  );
});
