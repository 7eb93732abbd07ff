import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseJson, runCli } from "./support/cli_process.ts";
import { QWEN, QWEN_FILE } from "./support/fixtures.ts";
import { type HubServer, startHubServer } from "./support/hub_server.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

const NEW_CONFIG = JSON.stringify({ model_type: "qwen2", max_position_embeddings: 4096 });

function withConfig(content: string | undefined, sha: string) {
  return {
    ...QWEN,
    sha,
    files: QWEN.files.map((file) =>
      file.path === "config.json" && content !== undefined ? { ...file, content } : file
    ),
  };
}

describe("outdated and update", () => {
  let root = "";
  let hub: HubServer;
  before(async () => {
    root = makeTempDir("rkllm-update-");
    hub = await startHubServer({ repos: [QWEN] });
  });
  after(async () => {
    await hub?.close();
    if (root) removeDir(root);
  });
  const dir = () => join(root, "models");
  const run = (args: string[]) =>
    runCli([...args, "--dir", dir()], { cwd: root, env: { HF_ENDPOINT: hub.endpoint } });
  const statusOf = async (query?: string) => {
    const result = await run(["outdated", ...(query ? [query] : []), "--json"]);
    assert.equal(result.code, 0, result.stderr);
    return parseJson(result.stdout);
  };

  it("a new commit with identical files is not outdated; a changed file is, and update fetches it", async () => {
    assert.equal((await run(["download", QWEN.id, "-q"])).code, 0);
    assert.equal((await statusOf())[0].status, "current");

    hub.setRepo(withConfig(undefined, "1".repeat(40)));
    const [sameFiles] = await statusOf("Qwen2.5");
    assert.equal(sameFiles.status, "current");
    assert.equal(sameFiles.latestRevision, "1".repeat(40));

    hub.setRepo(withConfig(NEW_CONFIG, "2".repeat(40)));
    const [changed] = await statusOf();
    assert.equal(changed.status, "outdated");
    assert.deepEqual(changed.changed, ["config.json"]);
    const table = await run(["outdated"]);
    assert.match(table.stdout, /outdated +config\.json$/m);

    const updated = await run(["update", "--json"]);
    assert.equal(updated.code, 0, updated.stderr);
    const [entry] = parseJson(updated.stdout);
    assert.equal(entry.file, QWEN_FILE);
    assert.deepEqual(entry.changed, ["config.json"]);
    assert.equal(readFileSync(join(dir(), QWEN.id, "config.json"), "utf8"), NEW_CONFIG);
    assert.equal((await statusOf())[0].status, "current");
    const again = await run(["update", "--json"]);
    assert.deepEqual(parseJson(again.stdout), [], "nothing left to update");
  });

  it("a hash never recorded is unknown, not outdated", async () => {
    const recordPath = join(dir(), QWEN.id, ".rkllm-models.json");
    const record = JSON.parse(readFileSync(recordPath, "utf8"));
    delete record.files["config.json"].gitSha1;
    writeFileSync(recordPath, JSON.stringify(record));
    const [report] = await statusOf();
    assert.equal(report.status, "unknown");
    assert.deepEqual(
      report.files.filter((file: { status: string }) => file.status === "unknown"),
      [{ file: "config.json", status: "unknown" }],
    );
  });
});
