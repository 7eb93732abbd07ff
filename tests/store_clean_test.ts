/**
 * `clean` removes only what rkllm-models made, and lists the rest as left alone;
 * a successful download removes what a killed run left beside its model.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bytesOf, QWEN, QWEN_FILE } from "./support/fixtures.ts";
import { parseJson } from "./support/cli_process.ts";
import { filesUnder, pathIn } from "./support/download_harness.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";

const RECORD_FILE = ".rkllm-models.json";

/** The files a repo directory's registry record lists. */
function recordedFiles(repoDir: string): string[] {
  return Object.keys(JSON.parse(readFileSync(join(repoDir, RECORD_FILE), "utf8")).files);
}

describe("clean and leftovers", () => {
  const bed = useHubTestBed({ repos: [QWEN] });

  it("removes only what rkllm-models made and lists the rest as left alone, with sizes", async () => {
    const dir = bed.newDir();
    const download = await bed.cli(["download", QWEN.id, "--dir", dir, "-q"]);
    assert.equal(download.code, 0, download.stderr);
    const repoDir = join(pathIn(dir, QWEN, QWEN_FILE), "..");
    // A directory with no record, holding the user's own model and files…
    const own = join(dir, "me", "My-Own-Model-rk3588");
    mkdirSync(own, { recursive: true });
    const userFiles: Record<string, string> = {
      [join(own, "my-own-rk3588-w8a8.rkllm")]: "a model I converted myself",
      [join(own, "config.json")]: '{"mine":true}',
      [join(own, "tokenizer.json")]: "{}",
      // …and files placed by hand beside a downloaded model.
      [join(repoDir, "hand-placed-rk3576-w8a8.rkllm")]: "copied in by hand",
      [join(repoDir, "notes.txt")]: "my notes",
    };
    for (const [path, text] of Object.entries(userFiles)) writeFileSync(path, text);

    const recordedBefore = recordedFiles(repoDir);
    const clean = await bed.cli(["clean", "--yes", "--dir", dir, "--json"]);
    assert.equal(clean.code, 0, clean.stderr);
    const report = parseJson(clean.stdout);
    for (const [path, text] of Object.entries(userFiles)) {
      assert.equal(readFileSync(path, "utf8"), text, `${path} is kept`);
    }
    assert.deepEqual(
      report.leftAlone,
      Object.entries(userFiles)
        .map(([path, text]) => ({
          path,
          kind: "file",
          size: new TextEncoder().encode(text).length,
        }))
        .sort((a, b) => a.path < b.path ? -1 : 1),
    );
    const recorded = recordedBefore.map((file) => join(repoDir, file));
    assert.ok(recorded.includes(join(repoDir, "config.json")));
    assert.deepEqual(
      [...report.removedFiles].sort(),
      [...recorded, join(repoDir, RECORD_FILE)].sort(),
    );

    const human = await bed.cli(["clean", "--yes", "--dir", dir]);
    assert.equal(human.code, 0, human.stderr);
    assert.ok(
      human.stdout.includes(
        `left alone: ${join(own, "config.json")} (13 B, not made by rkllm-models)`,
      ),
      human.stdout,
    );
  });

  it("removes with a hand-copied model none of the user's own files beside it", async () => {
    const dir = bed.newDir();
    const own = join(dir, "me", "Copied-Model-rk3588");
    mkdirSync(own, { recursive: true });
    writeFileSync(join(own, "copied-rk3588-w8a8.rkllm"), "copied by hand");
    writeFileSync(join(own, "config.json"), "the user's config");
    const removed = await bed.cli(["remove", "copied-rk3588-w8a8", "--dir", dir, "--json"]);
    assert.equal(removed.code, 0, removed.stderr);
    assert.deepEqual(parseJson(removed.stdout).removedFiles, [
      join(own, "copied-rk3588-w8a8.rkllm"),
    ]);
    assert.equal(readFileSync(join(own, "config.json"), "utf8"), "the user's config");
  });

  it("removes a killed run's orphan state, temporary and finished partial files after a rerun", async () => {
    const dir = bed.newDir();
    const first = await bed.cli(["download", QWEN.id, "--dir", dir, "-q"]);
    assert.equal(first.code, 0, first.stderr);
    const repoDir = join(pathIn(dir, QWEN, QWEN_FILE), "..");
    const config = bytesOf(QWEN, "config.json");
    const state = (file: string, verified: boolean) =>
      JSON.stringify({
        version: 1,
        file,
        commit: "0".repeat(40),
        identity: { size: config.length },
        segments: [{ start: 0, end: config.length, next: verified ? config.length : 0 }],
        verified,
      });
    // What kill -9 leaves at moments of a run: a verified technical file not yet moved
    // into place (the copy in place is complete), a state whose partial file is gone,
    // and the temporary files of atomic writes.
    const leftovers: Record<string, string | Uint8Array> = {
      "config.json.part": config,
      "config.json.part.state": state("config.json", true),
      "gone-rk3588-w8a8.rkllm.part.state": state("gone-rk3588-w8a8.rkllm", false),
      ".rkllm-models.json.tmp-99999-abcd-0": "{",
      "config.json.part.state.tmp-99999-abce-1": "{",
    };
    // A partial download of another variant stays, to be resumed.
    const resumable: Record<string, string> = {
      "other-rk3576-w8a8.rkllm.part": "half",
      "other-rk3576-w8a8.rkllm.part.state": state("other-rk3576-w8a8.rkllm", false),
      "unrelated.part": "the user's own file",
    };
    for (const [name, content] of Object.entries({ ...leftovers, ...resumable })) {
      writeFileSync(join(repoDir, name), content);
    }

    const rerun = await bed.cli(["download", QWEN.id, "--dir", dir, "-q"]);
    assert.equal(rerun.code, 0, rerun.stderr);
    for (const name of Object.keys(leftovers)) {
      assert.ok(!existsSync(join(repoDir, name)), `${name} was removed`);
    }
    for (const name of Object.keys(resumable)) {
      assert.ok(existsSync(join(repoDir, name)), `${name} is kept`);
    }
    assert.deepEqual(
      filesUnder(repoDir).filter((file) => !(file in resumable)),
      [RECORD_FILE, ...recordedFiles(repoDir)].sort(),
    );
  });
});
