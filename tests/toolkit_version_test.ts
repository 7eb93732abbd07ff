import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import {
  predatesCompatibleToolkit,
  toolkitVersionInMeta,
  toolkitVersionInName,
  toolkitVersionOf,
} from "../src/store/toolkit_version.ts";
import { memTotalOf } from "../src/runtime/board_memory.ts";

describe("the toolkit version a publisher states", () => {
  it("reads it from repository, branch and file names seen on the Hub", () => {
    const cases: [string, string | undefined][] = [
      ["Qwen2.5-0.5B-Instruct-rk3588-1.1.4", "1.1.4"],
      ["Tinnyllama-1.1B-rk3588-rkllm-1.1.4", "1.1.4"],
      ["DeepSeek-R1-Distill-Qwen-1.5B-rk3588-1.1.2", "1.1.2"],
      ["Qwen3-1.7B-rk3588-1.2.1", "1.2.1"],
      ["Qwen2.5-3B-Instruct-RK3588-1.1.4", "1.1.4"],
      ["Qwen3-4B-rk3588-w8a8-RKLLM-v1.2.3", "1.2.3"],
      ["gemma-3-1b-it-rk3576-w4a16-grq-v1.2.3-RKLLM.rkllm", "1.2.3"],
      ["w8a8-toolkitv1.1.4", "1.1.4"],
      ["w8a8_g512-toolkitv1.1.4", "1.1.4"],
      ["chatglm3-6b-rk3588-rkllm-1.0.1.rkllm", "1.0.1"],
      // Names that state no toolkit version: model sizes, chips and ratios are not versions.
      ["Qwen2.5-1.5B-rk3588", undefined],
      ["Qwen2.5-0.5B-Instruct-rk3588-w8a8-opt-0-hybrid-ratio-0.0.rkllm", undefined],
      ["DeepSeek-R1-Distill-Qwen-1.5B_w8a8_g128_rk3588.rkllm", undefined],
      ["InternVL3_5-2B-RKLLM", undefined],
      ["Qwen-rk3588-1.5B", undefined],
    ];
    for (const [name, version] of cases) assert.equal(toolkitVersionInName(name), version, name);
  });

  it("reads it from meta.json fields", () => {
    assert.equal(toolkitVersionInMeta({ rkllm_toolkit_version: "1.2.1b1" }), "1.2.1b1");
    assert.equal(toolkitVersionInMeta({ "toolkit-version": "v1.1.4" }), "1.1.4");
    assert.equal(
      toolkitVersionInMeta({ toolkit: { name: "rkllm-toolkit", version: "1.2.0" } }),
      "1.2.0",
    );
    assert.equal(toolkitVersionInMeta({ model: "qwen", version: "3" }), undefined);
    assert.equal(toolkitVersionInMeta(["1.1.4"]), undefined);
  });

  it("trusts meta.json, then the file name, then the branch, then the repository name", () => {
    const repo = "limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4";
    assert.deepEqual(toolkitVersionOf({ repo, file: "q.rkllm" }), {
      version: "1.1.4",
      source: "repository name",
    });
    assert.deepEqual(toolkitVersionOf({ repo, branch: "w8a8-toolkitv1.2.0" })?.source, "branch");
    assert.deepEqual(toolkitVersionOf({ repo, file: "q-RKLLM-v1.2.3.rkllm" })?.version, "1.2.3");
    assert.deepEqual(
      toolkitVersionOf({ repo, file: "q-RKLLM-v1.2.3.rkllm", meta: { toolkit_version: "1.2.2" } }),
      { version: "1.2.2", source: "meta.json" },
    );
    // A commit is not a branch name.
    assert.equal(toolkitVersionOf({ branch: "1234567890".repeat(4) }), undefined);
  });

  it("tells conversions older than toolkit 1.1.0", () => {
    assert.equal(predatesCompatibleToolkit("1.0.1"), true);
    assert.equal(predatesCompatibleToolkit("0.9"), true);
    assert.equal(predatesCompatibleToolkit("1.1.0"), false);
    assert.equal(predatesCompatibleToolkit("1.1.4"), false);
    assert.equal(predatesCompatibleToolkit("1.2.1b1"), false);
  });

  it("reads the total memory from /proc/meminfo", () => {
    assert.equal(memTotalOf("MemTotal:        8039632 kB\nMemFree:  1 kB\n"), 8039632 * 1024);
    assert.equal(memTotalOf("MemFree:  1 kB\n"), undefined);
  });
});
