/**
 * The modes in which the emulator answers as huggingface.co does in 2026, the transient faults
 * any client must ride out, and a repository shaped like a real RKLLM conversion: shared by
 * the referee tests (the official clients) and the tests of our own CLI against each mode.
 *
 * @module
 */
import type { FaultSpec, HubRepoSpec, HubServerOptions } from "./hub_server.ts";

/** Emulator options that make one mode; `repos` is added by the test. */
export type ModeOptions = Omit<HubServerOptions, "repos">;

/** One way the emulator may answer. */
export interface HubMode {
  /** What the mode imitates, as test names show it. */
  name: string;
  /** The options that switch it on. */
  options: ModeOptions;
}

/** One fault injected into an otherwise plain emulator. */
export interface TransientFault {
  /** What goes wrong, as test names show it. */
  name: string;
  /** The fault. */
  fault: FaultSpec;
}

/**
 * The CDN on a second loopback address, as it is another host behind huggingface.co: the
 * official Python client follows HEAD redirects within a host, so a CDN on the Hub's own
 * address would be asked for the Hub's metadata.
 */
export const CDN_HOSTNAME = "127.0.0.2";

/** The modes in which the real Hub answers today; every official client must succeed in each. */
export const REAL_HUB_MODES: HubMode[] = [
  { name: "plain", options: {} },
  { name: "RateLimit on every answer", options: { rateLimit: {} } },
  { name: "resolve-cache 307 for small files", options: { resolveCache: true } },
  { name: "Xet headers and bridge URLs", options: { xet: true } },
  { name: "a CDN that refuses HEAD with 403", options: { cdnHeadStatus: 403 } },
  { name: "a CDN that refuses HEAD with 405", options: { cdnHeadStatus: 405 } },
  {
    name: "all of huggingface.co in 2026 at once",
    options: { rateLimit: {}, resolveCache: true, xet: true, cdnHeadStatus: 403 },
  },
];

/** Faults that go away when asked again; every client retries or resumes past them. */
export const TRANSIENT_FAULTS: TransientFault[] = [
  {
    name: "one connection closed after 64 KiB of the model's body",
    fault: { origin: "cdn", method: "GET", times: 1, shortAfterBytes: 64 * 1024 },
  },
  {
    name: "one 503 from resolve, carrying RateLimit t=300",
    fault: {
      origin: "hub",
      pathIncludes: "/resolve/",
      times: 1,
      status: 503,
      headers: {
        "RateLimit": '"api";r=480;t=300',
        "RateLimit-Policy": '"fixed window";"api";q=500;w=300',
      },
    },
  },
];

/**
 * A reset (TCP RST) in the middle of a body: our client resumes past it; the official Python
 * client (huggingface_hub 2.0) does not retry the `ReadError` it raises, so it is not a referee case.
 */
export const BODY_RESET_FAULT: TransientFault = {
  name: "one connection reset in the middle of the model's body",
  fault: { origin: "cdn", method: "GET", times: 1, resetAfterBytes: 64 * 1024 },
};

/** The model file of {@link REFEREE_REPO}. */
export const REFEREE_MODEL = "Qwen3-0.6B-rk3588-w8a8-opt-0-hybrid-ratio-0.0.rkllm";

/** A repository shaped like a real Qwen3 RKLLM conversion: tokenizer companions beside one model. */
export const REFEREE_REPO: HubRepoSpec = {
  id: "rk-community/Qwen3-0.6B-rk3588-1.2.0",
  files: [
    { path: ".gitattributes", content: "*.rkllm filter=lfs diff=lfs merge=lfs -text\n" },
    { path: "README.md", content: "# Qwen3-0.6B for RK3588 (RKLLM 1.2.0)\n" },
    { path: "config.json", content: '{"model_type":"qwen3","hidden_size":1024}\n' },
    { path: "generation_config.json", content: '{"eos_token_id":[151645,151643]}\n' },
    { path: "tokenizer_config.json", content: '{"tokenizer_class":"Qwen2Tokenizer"}\n' },
    { path: "tokenizer.json", content: '{"version":"1.0","model":{"type":"BPE"}}\n' },
    {
      path: "chat_template.jinja",
      content: "{% for m in messages %}{{ m.content }}{% endfor %}\n",
    },
    { path: REFEREE_MODEL, source: { size: 600_000 + 7, seed: 3590 } },
  ],
};

/**
 * Emulator options for a mode, with the CDN on its own host and the referee repo served.
 *
 * @example
 * ```ts
 * const options = hubOptionsFor(REAL_HUB_MODES[1].options);
 * ```
 */
export function hubOptionsFor(mode: ModeOptions, repos = [REFEREE_REPO]): HubServerOptions {
  return { cdnHostname: CDN_HOSTNAME, ...mode, repos };
}
