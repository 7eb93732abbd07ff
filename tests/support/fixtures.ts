/**
 * Repositories the tests serve from the loopback Hub.
 *
 * @module
 */
import { deterministicBytes, type HubRepoSpec, sampleRepo } from "./hub_server.ts";

/** The example repository of `configs/models.json`, as the emulator's sample. */
export const QWEN = sampleRepo();
/** Its one model file. */
export const QWEN_FILE = "Qwen2.5-0.5B-Instruct-rk3588-w8a8-opt-0-hybrid-ratio-0.0.rkllm";

/** A repository with two variants and only some technical files. */
export const MULTI: HubRepoSpec = {
  id: "punchnox/Tinnyllama-1.1B-rk3588-rkllm-1.1.4",
  files: [
    {
      path: "config.json",
      content: JSON.stringify({ model_type: "llama", max_position_embeddings: 2048 }),
    },
    { path: "tokenizer.json", content: JSON.stringify({ version: "1.0" }) },
    {
      path: "TinyLlama-1.1B-Chat-v1.0-rk3588-w8a8-opt-0-hybrid-ratio-0.5.rkllm",
      content: deterministicBytes(200_000, 11),
    },
    {
      path: "TinyLlama-1.1B-Chat-v1.0-rk3576-w4a16-opt-1-hybrid-ratio-0.0.rkllm",
      content: deterministicBytes(150_000, 12),
    },
  ],
};

/** A gated repository. */
export const GATED: HubRepoSpec = {
  id: "gated-org/Llama-3.2-1B-rk3588",
  gated: "manual",
  files: [
    { path: "config.json", content: "{}" },
    { path: "Llama-3.2-1B-rk3588-w8a8.rkllm", content: deterministicBytes(50_000, 21) },
  ],
};

/** A repository without any `.rkllm` file. */
export const NO_MODELS: HubRepoSpec = {
  id: "someone/plain-transformers",
  files: [{ path: "config.json", content: "{}" }, {
    path: "model.safetensors",
    content: deterministicBytes(1000, 3),
  }],
};

/** Tokens the emulator knows: one approved for the gated repo, one not. */
export const TOKENS = {
  approved: "hf_approved_token_for_tests",
  unapproved: "hf_valid_but_not_approved",
};

/** The emulator options most tests use. */
export function standardHub() {
  return {
    repos: [QWEN, MULTI, GATED, NO_MODELS],
    tokens: {
      valid: [TOKENS.approved, TOKENS.unapproved],
      approvedFor: { [GATED.id]: [TOKENS.approved] },
    },
  };
}

/** The bytes of a file of a repository spec. */
export function bytesOf(repo: HubRepoSpec, path: string): Uint8Array {
  const file = repo.files.find((item) => item.path === path);
  if (!file) throw new Error(`no ${path} in ${repo.id}`);
  if (file.source) return deterministicBytes(file.source.size, file.source.seed);
  return typeof file.content === "string" ? new TextEncoder().encode(file.content) : file.content!;
}
