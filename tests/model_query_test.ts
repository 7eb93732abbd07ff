/** How a query finds one local model: exact names first, then ever looser matches. */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { findModel } from "../src/store/model_query.ts";
import type { ModelInfo } from "../src/store/model_catalog.ts";
import { ModelManagerError } from "../src/errors.ts";

function model(repo: string, file: string): ModelInfo {
  return { repo, file, name: file.replace(/\.rkllm$/, "") } as ModelInfo;
}

const QWEN = model("alice/Qwen2.5-0.5B-rk3588", "Qwen2.5-0.5B-rk3588-w8a8.rkllm");
const QWEN_W4 = model("alice/Qwen2.5-0.5B-rk3588", "Qwen2.5-0.5B-rk3588-w4a16.rkllm");
const LLAMA = model("bob/Llama-3.2-1B", "Llama-3.2-1B-rk3576-w4a16.rkllm");
const ALL = [QWEN, QWEN_W4, LLAMA];

function ambiguity(query: string): string[] {
  try {
    findModel(ALL, query);
  } catch (error) {
    assert.ok(error instanceof ModelManagerError && error.code === "ambiguous");
    return error.choices as string[];
  }
  assert.fail(`"${query}" was not ambiguous`);
}

describe("findModel", () => {
  it("finds a model by its exact name, with or without .rkllm, or by repo/file", () => {
    assert.equal(findModel(ALL, "Qwen2.5-0.5B-rk3588-w8a8"), QWEN);
    assert.equal(findModel(ALL, "Qwen2.5-0.5B-rk3588-w8a8.rkllm"), QWEN);
    assert.equal(findModel(ALL, `${QWEN_W4.repo}/${QWEN_W4.file}`), QWEN_W4);
  });

  it("finds the only model of a repository, in any case", () => {
    assert.equal(findModel(ALL, "bob/Llama-3.2-1B"), LLAMA);
    assert.equal(findModel(ALL, "BOB/llama-3.2-1b"), LLAMA);
  });

  it("finds a model by the start of its name, then by a part of its name or repo", () => {
    const tiny = model("dave/TinyLlama-1.1B", "TinyLlama-1.1B-rk3588-w8a8.rkllm");
    assert.equal(findModel([...ALL, tiny], "llama"), LLAMA, "the name that starts with it wins");
    assert.equal(findModel([...ALL, tiny], "tinyllama"), tiny);
    assert.equal(findModel(ALL, "w8a8"), QWEN);
    assert.equal(findModel(ALL, "bob/"), LLAMA);
  });

  it("prefers an exact name over a looser match that would be ambiguous", () => {
    const prefix = model("carol/x", "Qwen2.5-0.5B-rk3588-w8a8-long.rkllm");
    assert.equal(findModel([...ALL, prefix], "Qwen2.5-0.5B-rk3588-w8a8"), QWEN);
  });

  it("lists every candidate when the query matches several at the same level", () => {
    assert.deepEqual(ambiguity("qwen"), [
      `${QWEN.repo}/${QWEN.file}`,
      `${QWEN_W4.repo}/${QWEN_W4.file}`,
    ]);
    assert.equal(ambiguity("alice/Qwen2.5-0.5B-rk3588").length, 2);
  });

  it("answers undefined when nothing matches, and refuses an empty query", () => {
    assert.equal(findModel(ALL, "mistral"), undefined);
    assert.throws(
      () => findModel(ALL, "  "),
      (error: unknown) => error instanceof ModelManagerError && error.code === "usage",
    );
  });
});
