import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseJson, runCli } from "./support/cli_process.ts";
import { GATED, MULTI, QWEN, QWEN_FILE, standardHub, TOKENS } from "./support/fixtures.ts";
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

describe("outdated and update go on past a repository they cannot read", () => {
  let root = "";
  let hub: HubServer;
  before(async () => {
    root = makeTempDir("rkllm-update-gated-");
    hub = await startHubServer(standardHub());
  });
  after(async () => {
    await hub?.close();
    if (root) removeDir(root);
  });
  const dir = () => join(root, "models");
  const run = (args: string[], env: Record<string, string> = {}) =>
    runCli([...args, "--dir", dir()], {
      cwd: root,
      env: { HF_ENDPOINT: hub.endpoint, HF_TOKEN: "", ...env },
    });

  it("a gated repository without a token is one line; the others are compared and updated", async () => {
    for (const args of [[QWEN.id], [MULTI.id, "--platform", "rk3588"]]) {
      assert.equal((await run(["download", ...args, "-q"])).code, 0);
    }
    const gated = await run(["download", GATED.id, "-q"], { HF_TOKEN: TOKENS.approved });
    assert.equal(gated.code, 0, gated.stderr);
    hub.setRepo(withConfig(NEW_CONFIG, "2".repeat(40)));
    // The Hub refuses the gated repository's API without a token, as it may.
    hub.addFault({
      origin: "hub",
      pathIncludes: GATED.id,
      status: 401,
      headers: { "X-Error-Code": "GatedRepo" },
    });

    const table = await run(["outdated"]);
    assert.equal(table.code, 4, table.stderr);
    assert.match(table.stdout, /^Qwen2\.5\S* +outdated +config\.json$/m);
    assert.match(table.stdout, /^TinyLlama\S* +current +-$/m);
    assert.match(table.stdout, /^Llama-3\.2-1B-rk3588-w8a8 +failed +-$/m);
    const errors = table.stderr.split("\n").filter((line) => line.startsWith("error: "));
    assert.equal(errors.length, 1, table.stderr);
    assert.ok(errors[0].includes(GATED.id), errors[0]);

    const json = await run(["outdated", "--json"]);
    assert.equal(json.code, 4, json.stderr);
    const failed = parseJson(json.stdout).filter((entry: { status: string }) =>
      entry.status === "failed"
    );
    assert.deepEqual(failed.map((entry: { repo: string }) => entry.repo), [GATED.id]);
    assert.equal(failed[0].error.code, "gated");

    const updated = await run(["update"]);
    assert.equal(updated.code, 4, updated.stderr);
    assert.match(
      updated.stdout,
      new RegExp(`^updated ${QWEN.id}/${QWEN_FILE}: config\\.json$`, "m"),
    );
    assert.equal(readFileSync(join(dir(), QWEN.id, "config.json"), "utf8"), NEW_CONFIG);
    assert.equal(updated.stderr.split("\n").filter((line) => line.startsWith("error: ")).length, 1);
  });
});
