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

/** The companion files of a real repository: technical files and tokenizer companions. */
function companionSpecs(modelType: string) {
  return [
    { path: "added_tokens.json", content: JSON.stringify({ "<think>": 151667 }) },
    {
      path: "chat_template.jinja",
      content: "{%- for message in messages %}<|im_start|>{{ message.role }}\n{%- endfor %}\n",
    },
    { path: "config.json", content: JSON.stringify({ model_type: modelType }) },
    { path: "generation_config.json", content: JSON.stringify({ top_p: 0.95 }) },
    { path: "merges.txt", content: "#version: 0.2\nĠ Ġ\n" },
    { path: "special_tokens_map.json", content: JSON.stringify({ eos_token: "<|im_end|>" }) },
    { path: "tokenizer.json", content: JSON.stringify({ version: "1.0" }) },
    { path: "tokenizer_config.json", content: JSON.stringify({ model_max_length: 40960 }) },
    { path: "vocab.json", content: JSON.stringify({ "!": 0, '"': 1 }) },
  ];
}

/** The variants of {@linkcode QWEN3}: plain w8a8, the same with `-16k`, two group sizes, RK3576. */
export const QWEN3_FILES = {
  w8a8: "Qwen3-1.7B-rk3588-w8a8-opt-0-hybrid-ratio-0.0.rkllm",
  w8a8_16k: "Qwen3-1.7B-rk3588-w8a8-opt-0-hybrid-ratio-0.0-16k.rkllm",
  w8a8_g128: "Qwen3-1.7B-rk3588-w8a8_g128-opt-0-hybrid-ratio-0.0.rkllm",
  w8a8_g256: "Qwen3-1.7B-rk3588-w8a8_g256-opt-0-hybrid-ratio-0.0.rkllm",
  rk3576: "Qwen3-1.7B-rk3576-w4a16_g64-opt-1-hybrid-ratio-0.0.rkllm",
};

/** A repository shaped like a real Qwen3 conversion: tokenizer companions and several variants. */
export const QWEN3: HubRepoSpec = {
  id: "dulimov/Qwen3-1.7B-rk3588-1.2.1",
  files: [
    { path: ".gitattributes", content: "*.rkllm filter=lfs diff=lfs merge=lfs -text\n" },
    { path: "README.md", content: "# Qwen3-1.7B for RK3588\n" },
    ...companionSpecs("qwen3"),
    ...Object.values(QWEN3_FILES).map((path, index) => ({
      path,
      content: deterministicBytes(40_000 + 1000 * index, 300 + index),
    })),
  ],
};

/** The model and encoder files of {@linkcode INTERNVL}. */
export const INTERNVL_FILES = {
  rk3588: "internvl3_5-2b-instruct_w8a8_rk3588.rkllm",
  rk3576: "internvl3_5-2b-instruct_w8a8_rk3576.rkllm",
  vision3588: "internvl3_5-2b_vision_rk3588.rknn",
  vision3576: "internvl3_5-2b_vision_rk3576.rknn",
};

/** A vision-language repository: a `.rkllm` and a `.rknn` vision encoder per chip. */
export const INTERNVL: HubRepoSpec = {
  id: "happyme531/InternVL3_5-2B-RKLLM",
  files: [
    { path: ".gitattributes", content: "*.rknn filter=lfs diff=lfs merge=lfs -text\n" },
    ...companionSpecs("internvl"),
    { path: INTERNVL_FILES.rk3588, content: deterministicBytes(60_000, 401) },
    { path: INTERNVL_FILES.rk3576, content: deterministicBytes(55_000, 402) },
    { path: INTERNVL_FILES.vision3588, content: deterministicBytes(30_000, 403), lfs: true },
    { path: INTERNVL_FILES.vision3576, content: deterministicBytes(25_000, 404), lfs: true },
  ],
};

/** The files of {@linkcode QWEN2VL}: two variants sharing one encoder that names no chip. */
export const QWEN2VL_FILES = {
  w8a8: "qwen2-vl-2b_w8a8_rk3588.rkllm",
  w4a16: "qwen2-vl-2b_w4a16_rk3588.rkllm",
  vision: "qwen2-vl-2b_vision.rknn",
};

/** A vision-language repository whose one encoder serves every variant. */
export const QWEN2VL: HubRepoSpec = {
  id: "someone/Qwen2-VL-2B-rkllm",
  files: [
    { path: "config.json", content: JSON.stringify({ model_type: "qwen2_vl" }) },
    { path: "chat_template.jinja", content: "{{ messages }}\n" },
    { path: QWEN2VL_FILES.w8a8, content: deterministicBytes(30_000, 501) },
    { path: QWEN2VL_FILES.w4a16, content: deterministicBytes(20_000, 502) },
    { path: QWEN2VL_FILES.vision, content: deterministicBytes(10_000, 503), lfs: true },
  ],
};
