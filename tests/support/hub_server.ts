/**
 * A loopback emulator of the Hugging Face Hub download protocol
 * (`/work/shared/hf-hub-protocol.md`), for tests and benchmarks.
 *
 * Two listeners: the hub origin (API, `resolve`, errors) and a "CDN" origin that serves
 * LFS bodies behind signed, expiring URLs, so a cross-origin 302 is as real as on
 * huggingface.co. Faults can be injected per request to exercise retry and resume logic.
 *
 * This module is the emulator's public face; the parts live in `./hub/`:
 * `types.ts` (what tests describe and get back), `emulator.ts` (listeners and lifecycle),
 * `hub_routes.ts`, `hub_api.ts`, `hub_resolve.ts` and `repo_access.ts` (the hub origin),
 * `cdn.ts` (the CDN origin), `faults.ts`, `responses.ts` and `body_stream.ts` (answers and
 * injected faults), `prepared_repo.ts`, `git_objects.ts` and `byte_source.ts` (content).
 * The modes that imitate huggingface.co as it answers in 2026 (see `HubServerOptions`) live in
 * `rate_limit.ts` (`RateLimit` headers), `alias.ts` (an `hf.co`-like alias host),
 * `xet_bridge.ts` (Xet headers and bridge URLs), `hub_resolve.ts` (the resolve-cache 307) and
 * `cdn.ts` (HEAD refused, 403s that stay, block-aligned 206s).
 *
 * @example
 * ```ts
 * import { sampleRepo, startHubServer } from "./hub_server.ts";
 *
 * const server = await startHubServer({ repos: [sampleRepo()] });
 * server.addFault({ origin: "cdn", times: 1, resetAfterBytes: 65536 });
 * // ... point the client at server.endpoint ...
 * await server.close();
 * ```
 *
 * @module
 */
export type {
  AliasHostSpec,
  FaultSpec,
  HubFileSpec,
  HubRepoSpec,
  HubServer,
  HubServerOptions,
  LazySource,
  RateLimitSpec,
  RequestRecord,
} from "./hub/types.ts";
export { deterministicBytes } from "./hub/byte_source.ts";
export { gitBlobSha1, sha256Hex } from "./hub/git_objects.ts";
export { sampleRepo } from "./hub/sample_repo.ts";
export { startHubServer } from "./hub/emulator.ts";
