/**
 * The emulator every `hub_server_*_test.ts` file checks, with its repositories (a model
 * with branches and a PR ref, a private, a gated, a disabled and a renamed one, search
 * stubs), and the helpers those tests share. A test file calls {@linkcode useSharedHub}
 * once at its top level; `server` and `mainSha` are set before its first test.
 *
 * @module
 */
import { after, before } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import { deterministicBytes, sha256Hex, startHubServer } from "./hub_server.ts";
import type { HubFileSpec, HubServer } from "./hub_server.ts";

export const encoder = new TextEncoder();
export const CONFIG = '{"model_type":"qwen2","hidden_size":896}\n';
export const NOTES = "converted with rkllm-toolkit 1.1.4\n";
export const MODEL = deterministicBytes(300_000, 11);
export const BIG = { size: 3 * 1024 * 1024 + 17, seed: 42 };
export const V1_SHA = "a".repeat(40);
export const PR_SHA = "b".repeat(40);
export const VALID = "hf_valid_token";
export const APPROVED = "hf_approved_token";

export const modelFiles: HubFileSpec[] = [
  { path: "config.json", content: CONFIG },
  { path: "sub/notes.txt", content: NOTES },
  { path: "model.rkllm", content: MODEL },
  { path: "big.bin", source: BIG },
  { path: "tokenizer.json", content: '{"version":"1.0"}' },
];

export let server: HubServer;
export let mainSha: string;

export function url(path: string): string {
  return `${server.endpoint}${path}`;
}

export function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/** Status of a request whose body is read and dropped. */
export async function statusOf(path: string, init: RequestInit = {}): Promise<number> {
  const response = await fetch(url(path), init);
  await response.arrayBuffer();
  return response.status;
}

export async function bytesOf(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

/** Read a body chunk by chunk, counting what arrived even when the stream fails. */
export async function readCounting(
  response: Response,
): Promise<{ received: number; failed: boolean }> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { received, failed: false };
      received += value.length;
    }
  } catch {
    return { received, failed: true };
  }
}

interface RawAnswer {
  statusLine: string;
  headers: string;
  bodyBytes: number;
  /** Socket error code, e.g. "ECONNRESET"; null when the server closed cleanly. */
  error: string | null;
}

/**
 * One GET over a bare socket, to see exactly what the server put on the wire: fetch
 * implementations differ in how much of a broken body they hand over (Bun may drop it all).
 */
export function rawGet(target: string): Promise<RawAnswer> {
  const { hostname, port, pathname, search, host } = new URL(target);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Uint8Array[] = [];
    let error: string | null = null;
    socket.on("connect", () => {
      socket.write(
        `GET ${pathname}${search} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      );
    });
    socket.on("data", (chunk: Uint8Array) => chunks.push(chunk));
    socket.on("error", (e: Error & { code?: string }) => error = e.code ?? String(e));
    socket.on("close", () => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf("\r\n\r\n");
      const head = all.subarray(0, end).toString("latin1").split("\r\n");
      resolve({
        statusLine: head[0],
        headers: head.slice(1).join("\n"),
        bodyBytes: all.length - end - 4,
        error,
      });
    });
  });
}

export async function cdnLocation(path: string): Promise<string> {
  const response = await fetch(url(path), { redirect: "manual" });
  await response.arrayBuffer();
  return response.headers.get("location") ?? "";
}

export async function assertHubError(
  response: Response,
  status: number,
  code: string | null,
  message?: string,
): Promise<void> {
  assert.equal(response.status, status);
  assert.equal(response.headers.get("x-error-code"), code);
  const body = await response.json();
  assert.equal(typeof body.error, "string");
  assert.equal(response.headers.get("x-error-message"), body.error);
  if (message !== undefined) assert.equal(body.error, message);
}

export function pointerOf(content: Uint8Array): Uint8Array {
  return encoder.encode(
    `version https://git-lfs.github.com/spec/v1\noid sha256:${
      sha256Hex(content)
    }\nsize ${content.length}\n`,
  );
}

export function useSharedHub(): void {
  before(async () => {
    server = await startHubServer({
      pageSize: 2,
      tokens: { valid: [VALID], approvedFor: { "owner/gated-model": [APPROVED] } },
      repos: [
        {
          id: "owner/model",
          files: modelFiles,
          tags: ["rkllm", "rk3588"],
          downloads: 50,
          likes: 3,
          revisions: {
            v1: { sha: V1_SHA, files: [{ path: "config.json", content: '{"v":1}' }] },
            "refs/pr/1": { sha: PR_SHA, files: [{ path: "config.json", content: '{"pr":1}' }] },
          },
        },
        {
          id: "owner/private-model",
          private: true,
          files: [{ path: "config.json", content: "{}" }],
        },
        {
          id: "owner/gated-model",
          gated: "manual",
          files: [
            { path: "config.json", content: "{}" },
            { path: "m.rkllm", content: deterministicBytes(5000, 5) },
          ],
        },
        {
          id: "owner/disabled-model",
          disabled: true,
          files: [{ path: "config.json", content: "{}" }],
        },
        {
          id: "owner/new-name",
          renamedFrom: "owner/old-name",
          files: [{ path: "config.json", content: CONFIG }],
        },
        { id: "alice/Qwen-RK3588-small", downloads: 10, tags: ["rkllm"], files: [] },
        { id: "bob/qwen-rk3588-large", downloads: 900, tags: ["rkllm", "rk3588"], files: [] },
        { id: "carol/Qwen-rk3576", downloads: 300, tags: ["rkllm", "rk3576"], files: [] },
        { id: "dave/llama-gguf", downloads: 5000, tags: ["gguf"], files: [] },
      ],
    });
    mainSha = (await (await fetch(url("/api/models/owner/model"))).json()).sha;
  });

  after(async () => {
    await server.close();
  });
}
