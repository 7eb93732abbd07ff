/**
 * Repositories and helpers shared by the CLI experience tests (cli_variant_choice_test.ts,
 * cli_output_test.ts, cli_help_test.ts): a repository with a branch, a file large enough
 * for ranged downloads, and search results.
 *
 * @module
 */
import { deterministicBytes, type HubRepoSpec } from "./hub_server.ts";
import { standardHub } from "./fixtures.ts";
import type { HubServerOptions } from "./hub_server.ts";

export const MIB = 1024 * 1024;
export const MULTI_RK3588 = "TinyLlama-1.1B-Chat-v1.0-rk3588-w8a8-opt-0-hybrid-ratio-0.5.rkllm";
export const MULTI_RK3576 = "TinyLlama-1.1B-Chat-v1.0-rk3576-w4a16-opt-1-hybrid-ratio-0.0.rkllm";
export const QWEN_TECHNICAL = [
  "config.json",
  "generation_config.json",
  "tokenizer_config.json",
  "tokenizer.json",
];

/** A repository whose branch `v2` holds another variant than `main`. */
export const REVISED: HubRepoSpec = {
  id: "tester/Phi-3-mini-rk3588",
  files: [
    {
      path: "config.json",
      content: JSON.stringify({ model_type: "phi3", max_position_embeddings: 4096 }),
    },
    { path: "Phi-3-mini-rk3588-w8a8.rkllm", content: deterministicBytes(40_000, 31) },
  ],
  revisions: {
    v2: {
      sha: "2b".repeat(20),
      files: [
        {
          path: "config.json",
          content: JSON.stringify({ model_type: "phi3", max_position_embeddings: 131072 }),
        },
        { path: "Phi-3-mini-rk3588-w4a16.rkllm", content: deterministicBytes(30_000, 32) },
      ],
    },
  },
};

/** A file above the parallel threshold (64 MiB), so it downloads in ranged segments. */
export const LARGE: HubRepoSpec = {
  id: "tester/Large-rk3588",
  files: [
    { path: "config.json", content: JSON.stringify({ model_type: "llama" }) },
    { path: "Large-7B-rk3588-w8a8.rkllm", source: { size: 66 * MIB, seed: 66 } },
  ],
};

function stub(id: string, downloads: number): HubRepoSpec {
  return { id, downloads, files: [{ path: "config.json", content: "{}" }] };
}

/** Search results: RKLLM conversions with different downloads, and repos that are none. */
export const SEARCHABLE: HubRepoSpec[] = [
  stub("bob/Qwen2.5-7B-Instruct-rk3576-w4a16", 9000),
  stub("alice/Qwen2.5-1.5B-Instruct-rk3588-1.1.4", 500),
  stub("carol/qwen-chat-rkllm", 50),
  stub("Qwen/Qwen2.5-0.5B-Instruct", 1_000_000),
  stub("dave/Llama-3.2-1B-rk3588", 7000),
];

export function lines(text: string): string[] {
  return text.split("\n").filter(Boolean);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The Hub every CLI experience test runs against. */
export function experienceHub(): HubServerOptions {
  return {
    ...standardHub(),
    repos: [...standardHub().repos, REVISED, LARGE, ...SEARCHABLE],
  };
}
