/**
 * Variants kept as git branches, with nothing on the default branch: the Hub's
 * `/refs`, the variants `files` lists with `--revision <branch>`, and `download`
 * without `--revision` listing them (exit 2 in scripts, the picker on a terminal).
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { deterministicBytes, type HubRepoSpec } from "./support/hub_server.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { managerFor, rejectsWithCode } from "./support/download_harness.ts";
import { parseJson, runCli } from "./support/cli_process.ts";
import { hasScript, runInPty } from "./support/pty.ts";
import { listRepoRefs } from "../src/hub/list_refs.ts";

const W8A8 = "w8a8-toolkitv1.1.4";
const W8A8_G512 = "w8a8_g512-toolkitv1.1.4";
const W8A8_FILE = "Qwen2.5-3B-Instruct-rk3588-w8a8-opt-1-hybrid-ratio-0.0.rkllm";
const G512_FILE = "Qwen2.5-3B-Instruct-rk3588-w8a8_g512-opt-1-hybrid-ratio-0.0.rkllm";

/** Shaped like a repository that keeps each conversion on its own branch, `main` holding the card. */
const BRANCHED: HubRepoSpec = {
  id: "c01zaut/Qwen2.5-3B-Instruct-RK3588-1.1.4",
  files: [
    { path: ".gitattributes", content: "*.rkllm filter=lfs diff=lfs merge=lfs -text\n" },
    { path: "README.md", content: "# Qwen2.5-3B-Instruct for RK3588\nSee the branches.\n" },
  ],
  revisions: {
    [W8A8]: {
      sha: "a1".repeat(20),
      files: [
        { path: "config.json", content: JSON.stringify({ model_type: "qwen2" }) },
        { path: "tokenizer.json", content: JSON.stringify({ qwen: 1 }) },
        { path: W8A8_FILE, content: deterministicBytes(24_000, 801) },
      ],
    },
    [W8A8_G512]: {
      sha: "b2".repeat(20),
      files: [
        { path: "config.json", content: JSON.stringify({ model_type: "qwen2" }) },
        { path: G512_FILE, content: deterministicBytes(26_000, 802) },
      ],
    },
    "v1.0": { sha: "a1".repeat(20), files: [], tag: true },
  },
};

describe("variants kept as git branches", () => {
  const bed = useHubTestBed({ repos: [BRANCHED] });

  it("the Hub lists branches and tags as list_repo_refs reads them", async () => {
    const response = await fetch(`${bed.hub.endpoint}/api/models/${BRANCHED.id}/refs`);
    const body = await response.json();
    assert.deepEqual(Object.keys(body).sort(), ["branches", "converts", "tags"]);
    assert.deepEqual(body.branches.map((ref: { ref: string }) => ref.ref), [
      "refs/heads/main",
      `refs/heads/${W8A8}`,
      `refs/heads/${W8A8_G512}`,
    ]);
    assert.deepEqual(body.tags, [{
      name: "v1.0",
      ref: "refs/tags/v1.0",
      targetCommit: "a1".repeat(20),
    }]);
    const refs = await listRepoRefs(
      { endpoint: bed.hub.endpoint, fetch, retry: {}, offline: false },
      { owner: "c01zaut", name: "Qwen2.5-3B-Instruct-RK3588-1.1.4", id: BRANCHED.id },
    );
    assert.deepEqual(refs.branches.map((branch) => branch.name), ["main", W8A8, W8A8_G512]);
    assert.equal(refs.branches[1].targetCommit, "a1".repeat(20));
  });

  it("listVariants gives each branch's variants with --revision <branch>", async () => {
    const { manager } = managerFor(bed.hub, bed.newDir());
    const listing = await manager.listVariants(BRANCHED.id);
    assert.deepEqual(listing.variants, []);
    assert.deepEqual(
      listing.branches?.map((row) => [row.file, row.revision, row.flags, row.quantization]),
      [
        [W8A8_FILE, W8A8, `--revision ${W8A8}`, "w8a8"],
        [G512_FILE, W8A8_G512, `--revision ${W8A8_G512}`, "w8a8_g512"],
      ],
    );
    const atBranch = await manager.listVariants(BRANCHED.id, { revision: W8A8 });
    assert.equal(atBranch.branches, undefined);
    assert.deepEqual(atBranch.variants.map((row) => row.file), [W8A8_FILE]);
  });

  it("a download without --revision names the branches; with it, takes the branch's files", async () => {
    const { manager } = managerFor(bed.hub, bed.newDir());
    const error = await rejectsWithCode(manager.downloadWithPlan(BRANCHED.id), "usage");
    assert.deepEqual(error.choices, [W8A8, W8A8_G512]);
    const model = await manager.downloadModel(BRANCHED.id, undefined, { revision: W8A8_G512 });
    assert.equal(model.file, G512_FILE);
    assert.equal(model.revision, "b2".repeat(20));
    assert.deepEqual(model.companionFiles, ["config.json"]);
  });

  it("files lists the branch variants with the flag that selects each", async () => {
    const result = await bed.cli(["files", BRANCHED.id]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^no \.rkllm files on the default branch; on other branches:$/m);
    assert.match(result.stdout, new RegExp(`--revision ${W8A8}$`, "m"));
    assert.match(result.stdout, new RegExp(`--revision ${W8A8_G512}$`, "m"));
    assert.match(result.stdout, /^toolkit: 1\.1\.4 \(from the branch\)$/m);
    const json = parseJson((await bed.cli(["files", BRANCHED.id, "--json"])).stdout);
    assert.deepEqual(json.variants, []);
    assert.deepEqual(json.branches.map((row: { revision: string }) => row.revision), [
      W8A8,
      W8A8_G512,
    ]);
  });

  it("download in a script exits 2 and lists the branch variants", async () => {
    const dir = bed.newDir();
    const result = await bed.cli(["download", BRANCHED.id, "--dir", dir]);
    assert.equal(result.code, 2, result.stderr);
    assert.doesNotMatch(result.stderr, /has no \.rkllm file/);
    assert.match(result.stderr, new RegExp(`${W8A8_FILE} +--revision ${W8A8} `));
    assert.match(result.stderr, new RegExp(`${G512_FILE} +--revision ${W8A8_G512} `));
    const refused = await bed.cli(["download", BRANCHED.id, "--dir", dir, "--json"]);
    assert.equal(refused.code, 2);
    const { error } = parseJson(refused.stdout);
    assert.equal(error.code, "usage");
    assert.deepEqual(
      error.variants.map((row: Record<string, unknown>) => [row.file, row.revision, row.flags]),
      [[W8A8_FILE, W8A8, `--revision ${W8A8}`], [G512_FILE, W8A8_G512, `--revision ${W8A8_G512}`]],
    );
  });

  it("download on a terminal offers the branch variants and downloads the one picked", {
    skip: !hasScript() && "needs script from util-linux for a pseudo-terminal",
  }, async () => {
    const dir = bed.newDir();
    const result = await runInPty(["download", BRANCHED.id, "--dir", dir], {
      cwd: bed.root,
      env: { HF_ENDPOINT: bed.hub.endpoint },
      answers: [[/Download which one\? \[1-2, q to quit\] $/, "1\n"]],
    });
    assert.equal(result.code, 0, result.text);
    const listed = await runCli(["list", "--json", "--dir", dir], { cwd: bed.root });
    const [model] = JSON.parse(listed.stdout);
    assert.equal(model.file, W8A8_FILE);
    assert.equal(model.revision, "a1".repeat(20));
    assert.equal(
      readFileSync(join(dir, ...BRANCHED.id.split("/"), "tokenizer.json"), "utf8"),
      JSON.stringify({ qwen: 1 }),
    );
  });
});
