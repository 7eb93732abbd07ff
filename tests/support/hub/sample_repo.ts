/**
 * The sample repository: a realistic RKLLM model repository, for demos and tests that need
 * "a model on the Hub" without caring which.
 *
 * @module
 */
import type { HubRepoSpec } from "./types.ts";

const MIB = 1024 * 1024;

/**
 * A small RKLLM repository like those on the Hub: a few MiB `.rkllm` plus the technical files.
 *
 * @example
 * ```ts
 * const server = await startHubServer({ repos: [sampleRepo()] });
 * ```
 */
export function sampleRepo(): HubRepoSpec {
  const config = {
    architectures: ["Qwen2ForCausalLM"],
    hidden_size: 896,
    max_position_embeddings: 32768,
    model_type: "qwen2",
    num_attention_heads: 14,
    num_hidden_layers: 24,
    torch_dtype: "bfloat16",
    vocab_size: 151936,
  };
  const generation = { bos_token_id: 151643, eos_token_id: [151645, 151643], top_p: 0.8 };
  const tokenizerConfig = { model_max_length: 131072, tokenizer_class: "Qwen2Tokenizer" };
  const tokenizer = {
    version: "1.0",
    added_tokens: [{ id: 151643, content: "<|endoftext|>", special: true }],
    model: { type: "BPE", vocab: { "!": 0, '"': 1, "#": 2 }, merges: ["Ġ Ġ"] },
  };
  return {
    id: "limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4",
    downloads: 1234,
    likes: 5,
    tags: ["rkllm", "rk3588", "qwen2", "text-generation"],
    files: [
      { path: ".gitattributes", content: "*.rkllm filter=lfs diff=lfs merge=lfs -text\n" },
      { path: "README.md", content: "# Qwen2.5-0.5B-Instruct for RK3588 (RKLLM 1.1.4)\n" },
      { path: "config.json", content: JSON.stringify(config, null, 2) },
      { path: "generation_config.json", content: JSON.stringify(generation, null, 2) },
      { path: "tokenizer_config.json", content: JSON.stringify(tokenizerConfig, null, 2) },
      { path: "tokenizer.json", content: JSON.stringify(tokenizer) },
      {
        path: "Qwen2.5-0.5B-Instruct-rk3588-w8a8-opt-0-hybrid-ratio-0.0.rkllm",
        source: { size: 3 * MIB + 12345, seed: 3588 },
      },
    ],
  };
}
