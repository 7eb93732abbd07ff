import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { isSafeRepoPath, parseRepoId } from "../src/hub/repo_id.ts";
import { ModelManagerError } from "../mod.ts";

describe("repo ids and repository paths", () => {
  it("accepts Hub repo ids and splits them", () => {
    assert.deepEqual(parseRepoId("limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4"), {
      owner: "limcheekin",
      name: "Qwen2.5-0.5B-Instruct-rk3588-1.1.4",
      id: "limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4",
    });
    assert.equal(parseRepoId(" a_b/c.d ").id, "a_b/c.d");
  });

  it("accepts names starting with _, as the Hub does ([\\w\\-.]{1,96})", () => {
    assert.equal(parseRepoId("_lab/_model-rk3588").name, "_model-rk3588");
    assert.equal(parseRepoId(`o/${"a".repeat(96)}`).name.length, 96);
    assert.throws(() => parseRepoId(`o/${"a".repeat(97)}`));
  });

  it("rejects malformed ids with a usage error and an example", () => {
    for (
      const bad of [
        "a",
        "a/b/c",
        "../x",
        "x/..",
        "a b/c",
        "",
        "/x",
        "x/",
        "-a/b",
        "a/b.git",
        "a--b/c",
        "a/b\u0000",
      ]
    ) {
      assert.throws(() => parseRepoId(bad), (error: unknown) => {
        assert.ok(error instanceof ModelManagerError);
        assert.equal(error.code, "usage");
        assert.match(error.hint, /owner\/name, for example/);
        return true;
      }, bad);
    }
  });

  it("accepts only safe relative paths from listings", () => {
    for (const good of ["config.json", "sub/dir/model.rkllm", "a..b.rkllm", ".gitattributes"]) {
      assert.ok(isSafeRepoPath(good), good);
    }
    for (
      const bad of [
        "",
        "/etc/passwd",
        "../x",
        "a/../../x",
        "a/./b",
        "a//b",
        "a\\b",
        "C:/x",
        "a/\u0001",
        "x/..",
      ]
    ) {
      assert.ok(!isSafeRepoPath(bad), JSON.stringify(bad));
    }
  });
});
