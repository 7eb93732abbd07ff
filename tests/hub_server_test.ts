/**
 * The loopback Hub emulator speaks the protocol of `shared/hf-hub-protocol.md`: each
 * endpoint, error, pagination, Range, the cross-origin LFS redirect and the injected faults,
 * and the official `@huggingface/hub` client accepts it.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { connect } from "node:net";
import {
  downloadFile,
  fileDownloadInfo,
  HubApiError,
  listFiles,
  listModels,
  modelInfo,
} from "@huggingface/hub";
import {
  deterministicBytes,
  gitBlobSha1,
  sha256Hex,
  startHubServer,
} from "./support/hub_server.ts";
import type { HubFileSpec, HubServer } from "./support/hub_server.ts";
import { parseArguments } from "./support/hub_main.ts";

const encoder = new TextEncoder();
const CONFIG = '{"model_type":"qwen2","hidden_size":896}\n';
const NOTES = "converted with rkllm-toolkit 1.1.4\n";
const MODEL = deterministicBytes(300_000, 11);
const BIG = { size: 3 * 1024 * 1024 + 17, seed: 42 };
const V1_SHA = "a".repeat(40);
const PR_SHA = "b".repeat(40);
const VALID = "hf_valid_token";
const APPROVED = "hf_approved_token";

const modelFiles: HubFileSpec[] = [
  { path: "config.json", content: CONFIG },
  { path: "sub/notes.txt", content: NOTES },
  { path: "model.rkllm", content: MODEL },
  { path: "big.bin", source: BIG },
  { path: "tokenizer.json", content: '{"version":"1.0"}' },
];

let server: HubServer;
let mainSha: string;

function url(path: string): string {
  return `${server.endpoint}${path}`;
}

function bearer(token: string): Record<string, string> {
  return { Authorization: `Bearer ${token}` };
}

/** Status of a request whose body is read and dropped. */
async function statusOf(path: string, init: RequestInit = {}): Promise<number> {
  const response = await fetch(url(path), init);
  await response.arrayBuffer();
  return response.status;
}

async function bytesOf(response: Response): Promise<Uint8Array> {
  return new Uint8Array(await response.arrayBuffer());
}

/** Read a body chunk by chunk, counting what arrived even when the stream fails. */
async function readCounting(response: Response): Promise<{ received: number; failed: boolean }> {
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
function rawGet(target: string): Promise<RawAnswer> {
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

async function cdnLocation(path: string): Promise<string> {
  const response = await fetch(url(path), { redirect: "manual" });
  await response.arrayBuffer();
  return response.headers.get("location") ?? "";
}

async function assertHubError(
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

function pointerOf(content: Uint8Array): Uint8Array {
  return encoder.encode(
    `version https://git-lfs.github.com/spec/v1\noid sha256:${
      sha256Hex(content)
    }\nsize ${content.length}\n`,
  );
}

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
      { id: "owner/private-model", private: true, files: [{ path: "config.json", content: "{}" }] },
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

describe("test helpers", () => {
  it("hash like git and sha256sum", () => {
    assert.equal(
      gitBlobSha1(encoder.encode("hello\n")),
      "ce013625030ba8dba906f756967f9e9ca394464a",
    );
    assert.equal(
      sha256Hex(new Uint8Array()),
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });

  it("generate the same bytes for the same seed only", () => {
    const a = deterministicBytes(200_000, 3);
    assert.deepEqual(a, deterministicBytes(200_000, 3));
    assert.notDeepEqual(a.subarray(0, 64), deterministicBytes(64, 4));
    assert.deepEqual(deterministicBytes(100, 3), a.subarray(0, 100));
    assert.ok(new Set(a.subarray(0, 4096)).size > 200, "bytes look random");
  });
});

describe("repository info (§1)", () => {
  it("describes the default branch with siblings", async () => {
    const response = await fetch(url("/api/models/owner/model"));
    assert.equal(response.status, 200);
    const info = await response.json();
    assert.equal(info.id, "owner/model");
    assert.equal(info.modelId, "owner/model");
    assert.equal(info.author, "owner");
    assert.match(info._id, /^[0-9a-f]{24}$/);
    assert.match(info.sha, /^[0-9a-f]{40}$/);
    assert.equal(info.private, false);
    assert.equal(info.gated, false);
    assert.equal(info.disabled, false);
    assert.equal(info.downloads, 50);
    assert.deepEqual(info.tags, ["rkllm", "rk3588"]);
    assert.deepEqual(
      info.siblings.map((s: { rfilename: string }) => s.rfilename).sort(),
      ["big.bin", "config.json", "model.rkllm", "sub/notes.txt", "tokenizer.json"],
    );
    assert.equal(info.siblings[0].blobId, undefined);
  });

  it("adds blob ids, sizes and LFS sha256 with blobs=true", async () => {
    const info = await (await fetch(url("/api/models/owner/model/revision/main?blobs=true")))
      .json();
    const byName = new Map(info.siblings.map((s: { rfilename: string }) => [s.rfilename, s]));
    assert.deepEqual(byName.get("config.json"), {
      rfilename: "config.json",
      blobId: gitBlobSha1(encoder.encode(CONFIG)),
      size: encoder.encode(CONFIG).length,
    });
    const pointer = pointerOf(MODEL);
    assert.deepEqual(byName.get("model.rkllm"), {
      rfilename: "model.rkllm",
      blobId: gitBlobSha1(pointer),
      size: MODEL.length,
      lfs: { sha256: sha256Hex(MODEL), size: MODEL.length, pointerSize: pointer.length },
    });
    const big = byName.get("big.bin") as { lfs: { sha256: string } };
    assert.equal(big.lfs.sha256, sha256Hex(deterministicBytes(BIG.size, BIG.seed)));
  });

  it("answers for HEAD, branches, tags, encoded refs and commit shas", async () => {
    const shaAt = async (rev: string) =>
      (await (await fetch(url(`/api/models/owner/model/revision/${rev}`))).json()).sha;
    assert.equal(await shaAt("HEAD"), mainSha);
    assert.equal(await shaAt(mainSha), mainSha);
    assert.equal(await shaAt("v1"), V1_SHA);
    assert.equal(await shaAt(encodeURIComponent("refs/pr/1")), PR_SHA);
    assert.equal(await shaAt(PR_SHA), PR_SHA);
  });

  it("rejects an unknown revision", async () => {
    const response = await fetch(url("/api/models/owner/model/revision/nope"));
    await assertHubError(response, 404, "RevisionNotFound", "Invalid rev id: nope");
  });
});

describe("file listing (§2)", () => {
  async function listAll(
    path: string,
  ): Promise<{ entries: Record<string, unknown>[]; pages: number }> {
    const entries: Record<string, unknown>[] = [];
    let next: string | null = url(path);
    let pages = 0;
    while (next) {
      const response: Response = await fetch(next);
      assert.equal(response.status, 200);
      entries.push(...await response.json());
      pages++;
      const link = response.headers.get("link");
      next = link ? (/<([^>]+)>;\s*rel="next"/.exec(link)?.[1] ?? null) : null;
      if (next) assert.ok(next.startsWith(`${server.endpoint}/`), "Link is absolute");
    }
    return { entries, pages };
  }

  it("lists everything recursively, with directories, across pages", async () => {
    const { entries, pages } = await listAll("/api/models/owner/model/tree/main?recursive=true");
    assert.equal(pages, 3);
    assert.deepEqual(entries.map((e) => `${e.type}:${e.path}`), [
      "file:big.bin",
      "file:config.json",
      "file:model.rkllm",
      "directory:sub",
      "file:sub/notes.txt",
      "file:tokenizer.json",
    ]);
    const model = entries.find((e) => e.path === "model.rkllm");
    const pointer = pointerOf(MODEL);
    assert.deepEqual(model, {
      type: "file",
      oid: gitBlobSha1(pointer),
      size: MODEL.length,
      path: "model.rkllm",
      lfs: { oid: sha256Hex(MODEL), size: MODEL.length, pointerSize: pointer.length },
    });
    const notes = encoder.encode(NOTES);
    assert.deepEqual(entries.find((e) => e.path === "sub/notes.txt"), {
      type: "file",
      oid: gitBlobSha1(notes),
      size: notes.length,
      path: "sub/notes.txt",
    });
  });

  it("gives a directory the git tree id", async () => {
    const { entries } = await listAll("/api/models/owner/model/tree/main");
    const blobId = Buffer.from(gitBlobSha1(encoder.encode(NOTES)), "hex");
    const body = Buffer.concat([Buffer.from("100644 notes.txt\0"), blobId]);
    const treeId = createHash("sha1").update(`tree ${body.length}\0`).update(body).digest("hex");
    assert.deepEqual(entries.find((e) => e.path === "sub"), {
      type: "directory",
      oid: treeId,
      size: 0,
      path: "sub",
    });
    assert.ok(!entries.some((e) => e.path === "sub/notes.txt"), "not recursive by default");
  });

  it("lists a sub-folder, parses booleans case-insensitively and expands last commits", async () => {
    const { entries } = await listAll(
      "/api/models/owner/model/tree/main/sub?recursive=True&expand=TRUE",
    );
    assert.deepEqual(entries.map((e) => e.path), ["sub/notes.txt"]);
    assert.equal((entries[0].lastCommit as { id: string }).id, mainSha);
  });

  it("lists another revision by name", async () => {
    const { entries } = await listAll("/api/models/owner/model/tree/v1");
    assert.deepEqual(entries.map((e) => e.path), ["config.json"]);
  });

  it("answers EntryNotFound for a missing path and RevisionNotFound for a missing revision", async () => {
    const missing = await fetch(url("/api/models/owner/model/tree/main/nowhere"));
    assert.equal(missing.headers.get("x-repo-commit"), mainSha);
    await assertHubError(missing, 404, "EntryNotFound");
    await assertHubError(
      await fetch(url("/api/models/owner/model/tree/nope")),
      404,
      "RevisionNotFound",
    );
  });
});

describe("resolve a small file (§3, §4)", () => {
  const path = "/owner/model/resolve/main/config.json";
  const content = encoder.encode(CONFIG);

  it("answers 200 with the body, quoted blob ETag and the commit", async () => {
    const response = await fetch(url(path), { headers: { "Accept-Encoding": "gzip, br" } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("etag"), `"${gitBlobSha1(content)}"`);
    assert.equal(response.headers.get("x-repo-commit"), mainSha);
    assert.equal(response.headers.get("content-length"), String(content.length));
    assert.equal(response.headers.get("accept-ranges"), "bytes");
    assert.equal(response.headers.get("content-encoding"), null);
    assert.deepEqual(await bytesOf(response), content);
  });

  it("answers HEAD with the same headers and no body", async () => {
    const response = await fetch(url(path), { method: "HEAD" });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-length"), String(content.length));
    assert.equal(response.headers.get("etag"), `"${gitBlobSha1(content)}"`);
    assert.equal((await bytesOf(response)).length, 0);
    assert.equal(server.requests.at(-1)?.bodyBytes, 0);
  });

  it("serves ranges, suffix ranges and refuses unsatisfiable ones", async () => {
    const ranged = await fetch(url(path), { headers: { Range: "bytes=2-9" } });
    assert.equal(ranged.status, 206);
    assert.equal(ranged.headers.get("content-range"), `bytes 2-9/${content.length}`);
    assert.equal(ranged.headers.get("content-length"), "8");
    assert.deepEqual(await bytesOf(ranged), content.subarray(2, 10));

    const open = await fetch(url(path), { headers: { Range: "bytes=10-" } });
    assert.equal(open.status, 206);
    assert.deepEqual(await bytesOf(open), content.subarray(10));

    const suffix = await fetch(url(path), { headers: { Range: "bytes=-5" } });
    assert.equal(
      suffix.headers.get("content-range"),
      `bytes ${content.length - 5}-${content.length - 1}/${content.length}`,
    );
    assert.deepEqual(await bytesOf(suffix), content.subarray(content.length - 5));

    const beyond = await fetch(url(path), { headers: { Range: `bytes=${content.length}-` } });
    assert.equal(beyond.status, 416);
    assert.equal(beyond.headers.get("content-range"), `bytes */${content.length}`);
    await beyond.arrayBuffer();
  });

  it("pins files to a commit and serves other revisions", async () => {
    const pinned = await fetch(url(`/owner/model/resolve/${mainSha}/config.json`));
    assert.equal(await pinned.text(), CONFIG);
    const v1 = await fetch(url("/owner/model/resolve/v1/config.json"));
    assert.equal(v1.headers.get("x-repo-commit"), V1_SHA);
    assert.equal(await v1.text(), '{"v":1}');
    const pr = await fetch(
      url(`/owner/model/resolve/${encodeURIComponent("refs/pr/1")}/config.json`),
    );
    assert.equal(await pr.text(), '{"pr":1}');
  });

  it("serves a nested path and the raw LFS pointer", async () => {
    assert.equal(await (await fetch(url("/owner/model/resolve/main/sub/notes.txt"))).text(), NOTES);
    const raw = await fetch(url("/owner/model/raw/main/model.rkllm"));
    assert.deepEqual(await bytesOf(raw), pointerOf(MODEL));
  });
});

describe("resolve an LFS file through the CDN (§3, §4)", () => {
  async function redirectOf(path: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(url(path), { ...init, redirect: "manual" });
    await response.arrayBuffer();
    return response;
  }

  it("redirects 302 to a signed URL on another origin with the linked headers", async () => {
    const response = await redirectOf("/owner/model/resolve/main/model.rkllm", { method: "HEAD" });
    assert.equal(response.status, 302);
    assert.equal(response.headers.get("x-repo-commit"), mainSha);
    assert.equal(response.headers.get("x-linked-etag"), `"${sha256Hex(MODEL)}"`);
    assert.equal(response.headers.get("x-linked-size"), String(MODEL.length));
    assert.equal(response.headers.get("etag"), `"${gitBlobSha1(pointerOf(MODEL))}"`);
    const location = new URL(response.headers.get("location") ?? "");
    assert.equal(location.origin, server.cdnOrigin);
    assert.notEqual(location.origin, server.endpoint);
    assert.match(location.search, /^\?expires=\d+&sig=[0-9a-f]+$/);
  });

  it("serves the bytes from the CDN, with ranges", async () => {
    const full = await fetch(url("/owner/model/resolve/main/model.rkllm"));
    assert.equal(full.status, 200);
    assert.equal(new URL(full.url).origin, server.cdnOrigin);
    assert.equal(full.headers.get("content-length"), String(MODEL.length));
    assert.deepEqual(await bytesOf(full), MODEL);

    const part = await fetch(url("/owner/model/resolve/main/model.rkllm"), {
      headers: { Range: "bytes=1000-1999" },
    });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), `bytes 1000-1999/${MODEL.length}`);
    assert.deepEqual(await bytesOf(part), MODEL.subarray(1000, 2000));

    const tail = await fetch(url("/owner/model/resolve/main/model.rkllm"), {
      headers: { Range: "bytes=-10" },
    });
    assert.deepEqual(await bytesOf(tail), MODEL.subarray(MODEL.length - 10));

    const stale = await fetch(url("/owner/model/resolve/main/model.rkllm"), {
      headers: { Range: `bytes=${MODEL.length + 5}-` },
    });
    assert.equal(stale.status, 416);
    assert.equal(stale.headers.get("content-range"), `bytes */${MODEL.length}`);
    await stale.arrayBuffer();
  });

  it("serves a lazily generated file that matches deterministicBytes", async () => {
    const expected = deterministicBytes(BIG.size, BIG.seed);
    const response = await fetch(url("/owner/model/resolve/main/big.bin"), {
      headers: { Range: "bytes=1000000-" },
    });
    assert.equal(response.status, 206);
    assert.deepEqual(await bytesOf(response), expected.subarray(1_000_000));
  });

  it("refuses a tampered or expired signature with 403", async () => {
    const redirect = await redirectOf("/owner/model/resolve/main/model.rkllm");
    const location = redirect.headers.get("location") ?? "";
    const tampered = await fetch(
      location.replace(/sig=([0-9a-f])/, (_m, c) => `sig=${c === "0" ? "1" : "0"}`),
    );
    assert.equal(tampered.status, 403);
    await tampered.arrayBuffer();
    const otherExpiry = await fetch(location.replace(/expires=\d+/, "expires=9999999999"));
    assert.equal(otherExpiry.status, 403);
    await otherExpiry.arrayBuffer();

    server.expireSignedUrls();
    const old = await fetch(location);
    assert.equal(old.status, 403);
    await old.arrayBuffer();
    const renewed = await fetch(url("/owner/model/resolve/main/model.rkllm"));
    assert.equal(renewed.status, 200);
    await renewed.arrayBuffer();
  });

  it("expires signed URLs after their lifetime", async () => {
    const shortLived = await startHubServer({
      repos: [{ id: "o/r", files: [{ path: "m.rkllm", content: "abc" }] }],
      signedUrlTtlSeconds: -1,
    });
    try {
      const response = await fetch(`${shortLived.endpoint}/o/r/resolve/main/m.rkllm`);
      assert.equal(response.status, 403);
      assert.match(await response.text(), /expired/);
    } finally {
      await shortLived.close();
    }
  });

  it("records headers, so a test sees that Authorization stays on the hub", async () => {
    const before = server.requests.length;
    const response = await fetch(url("/owner/model/resolve/main/model.rkllm"), {
      headers: bearer(VALID),
    });
    await response.arrayBuffer();
    const seen = server.requests.slice(before);
    assert.deepEqual(seen.map((r) => [r.origin, r.status]), [["hub", 302], ["cdn", 200]]);
    assert.equal(seen[0].headers.authorization, `Bearer ${VALID}`);
    assert.equal(seen[1].headers.authorization, undefined);
    assert.equal(seen[1].bodyBytes, MODEL.length);
  });
});

describe("errors (§5)", () => {
  it("hides missing and private repos: 401 anonymous, 404 with a token", async () => {
    for (const id of ["owner/missing", "owner/private-model"]) {
      await assertHubError(await fetch(url(`/api/models/${id}`)), 401, "RepoNotFound");
      await assertHubError(
        await fetch(url(`/${id}/resolve/main/config.json`)),
        401,
        "RepoNotFound",
      );
    }
    await assertHubError(
      await fetch(url("/owner/missing/resolve/main/config.json"), { headers: bearer(VALID) }),
      404,
      "RepoNotFound",
    );
    const privateFile = "/owner/private-model/resolve/main/config.json";
    assert.equal(await statusOf(privateFile, { headers: bearer(VALID) }), 200);
    const visible = await fetch(url("/api/models/owner/private-model"), { headers: bearer(VALID) });
    assert.equal(visible.status, 200);
    assert.equal((await visible.json()).private, true);
    await assertHubError(
      await fetch(url("/api/models/owner/missing/tree/main"), { headers: bearer(VALID) }),
      404,
      "RepoNotFound",
    );
  });

  it("rejects an unknown token", async () => {
    const response = await fetch(url("/api/models/owner/model"), { headers: bearer("hf_wrong") });
    await assertHubError(response, 401, null, "Invalid credentials in Authorization header");
  });

  it("gates downloads: 401 anonymous, 403 unapproved, allowed when approved", async () => {
    const info = await fetch(url("/api/models/owner/gated-model"));
    assert.equal((await info.json()).gated, "manual");
    const path = "/owner/gated-model/resolve/main/config.json";
    await assertHubError(await fetch(url(path)), 401, "GatedRepo");
    await assertHubError(await fetch(url(path), { headers: bearer(VALID) }), 403, "GatedRepo");
    const approved = await fetch(url(path), { headers: bearer(APPROVED) });
    assert.equal(approved.status, 200);
    assert.equal(await approved.text(), "{}");
  });

  it("refuses a disabled repo with the exact message", async () => {
    await assertHubError(
      await fetch(url("/api/models/owner/disabled-model")),
      403,
      null,
      "Access to this resource is disabled.",
    );
  });

  it("answers EntryNotFound with the commit and RevisionNotFound on resolve", async () => {
    const missing = await fetch(url("/owner/model/resolve/main/nope.rkllm"));
    assert.equal(missing.headers.get("x-repo-commit"), mainSha);
    await assertHubError(missing, 404, "EntryNotFound");
    const head = await fetch(url("/owner/model/resolve/main/nope.rkllm"), { method: "HEAD" });
    assert.equal(head.status, 404);
    assert.equal(head.headers.get("x-error-code"), "EntryNotFound");
    await head.arrayBuffer();
    await assertHubError(
      await fetch(url("/owner/model/resolve/nope/config.json")),
      404,
      "RevisionNotFound",
      "Invalid rev id: nope",
    );
  });
});

describe("renamed repository (§3)", () => {
  it("answers 307 with a relative Location, which fetch follows", async () => {
    const redirect = await fetch(url("/owner/old-name/resolve/main/config.json?x=1"), {
      redirect: "manual",
    });
    assert.equal(redirect.status, 307);
    assert.equal(redirect.headers.get("location"), "/owner/new-name/resolve/main/config.json?x=1");
    await redirect.arrayBuffer();
    const api = await fetch(url("/api/models/owner/old-name/revision/main"), {
      redirect: "manual",
    });
    assert.equal(api.headers.get("location"), "/api/models/owner/new-name/revision/main");
    await api.arrayBuffer();
    const followed = await fetch(url("/owner/old-name/resolve/main/config.json"));
    assert.equal(await followed.text(), CONFIG);
  });
});

describe("search (§7)", () => {
  it("matches text case-insensitively, filters tags and sorts by downloads", async () => {
    const response = await fetch(
      url("/api/models?search=RK3588&filter=rkllm&sort=downloads&direction=-1&limit=10"),
    );
    const ids = (await response.json()).map((m: { id: string }) => m.id);
    assert.deepEqual(ids, ["bob/qwen-rk3588-large", "alice/Qwen-RK3588-small"]);
    const ascending = await fetch(url("/api/models?search=qwen&sort=downloads&direction=1"));
    const ordered = (await ascending.json()).map((m: { downloads: number }) => m.downloads);
    assert.deepEqual(ordered, [10, 300]);
  });

  it("paginates with an absolute Link and hides private repos from anonymous callers", async () => {
    const seen: string[] = [];
    let next: string | null = url("/api/models?search=owner/");
    while (next) {
      const response: Response = await fetch(next);
      const page = await response.json();
      assert.ok(page.length <= 2);
      seen.push(...page.map((m: { id: string }) => m.id));
      next = /<([^>]+)>; rel="next"/.exec(response.headers.get("link") ?? "")?.[1] ?? null;
    }
    assert.ok(seen.includes("owner/model") && seen.includes("owner/gated-model"));
    assert.ok(!seen.includes("owner/private-model"));
    const withToken = await fetch(url("/api/models?search=private"), { headers: bearer(VALID) });
    assert.deepEqual((await withToken.json()).map((m: { id: string }) => m.id), [
      "owner/private-model",
    ]);
  });
});

describe("faults", () => {
  const cdnModel = "model.rkllm";

  it("answers a status with its headers a given number of times, after skipping some", async () => {
    server.addFault({
      pathIncludes: "tokenizer.json",
      skip: 1,
      times: 1,
      status: 429,
      headers: { "Retry-After": "1", "RateLimit": '"api";r=0;t=1' },
    });
    try {
      const path = "/owner/model/resolve/main/tokenizer.json";
      assert.equal(await statusOf(path), 200);
      const limited = await fetch(url(path));
      assert.equal(limited.headers.get("retry-after"), "1");
      assert.equal(limited.headers.get("ratelimit"), '"api";r=0;t=1');
      await assertHubError(limited, 429, null);
      assert.equal(await statusOf(path), 200);
    } finally {
      server.clearFaults();
    }
  });

  it("filters by origin, method and Range", async () => {
    server.addFault({ origin: "cdn", method: "GET", rangeRequestsOnly: true, status: 503 });
    try {
      const plain = await fetch(url("/owner/model/resolve/main/model.rkllm"));
      assert.equal(plain.status, 200);
      await plain.arrayBuffer();
      const ranged = await fetch(url("/owner/model/resolve/main/model.rkllm"), {
        headers: { Range: "bytes=0-9" },
      });
      assert.equal(ranged.status, 503);
      assert.equal(server.requests.at(-1)?.origin, "cdn");
      await ranged.arrayBuffer();
      const head = await fetch(url("/owner/model/resolve/main/config.json"), {
        method: "HEAD",
        headers: { Range: "bytes=0-9" },
      });
      assert.equal(head.status, 206);
    } finally {
      server.clearFaults();
    }
  });

  it("resets the connection after N body bytes", async () => {
    const location = await cdnLocation("/owner/model/resolve/main/model.rkllm");
    server.addFault({ origin: "cdn", pathIncludes: cdnModel, times: 2, resetAfterBytes: 70_000 });
    const raw = await rawGet(location);
    assert.equal(raw.statusLine, "HTTP/1.1 200 OK");
    assert.match(raw.headers, new RegExp(`^content-length: ${MODEL.length}$`, "im"));
    assert.equal(raw.error, "ECONNRESET");
    assert.ok(raw.bodyBytes <= 70_000);
    assert.equal(server.requests.at(-1)?.bodyBytes, 70_000);

    const response = await fetch(url("/owner/model/resolve/main/model.rkllm"));
    const { received, failed } = await readCounting(response);
    assert.ok(failed || received < MODEL.length, "fetch does not get the body whole");
    const retry = await fetch(url("/owner/model/resolve/main/model.rkllm"));
    assert.deepEqual(await bytesOf(retry), MODEL, "the fault was used up");
    server.clearFaults();
  });

  it("ends a body short of its Content-Length and closes cleanly", async () => {
    const location = await cdnLocation("/owner/model/resolve/main/model.rkllm");
    server.addFault({ origin: "cdn", times: 2, shortAfterBytes: 1000 });
    const raw = await rawGet(location);
    assert.match(raw.headers, new RegExp(`^content-length: ${MODEL.length}$`, "im"));
    assert.equal(raw.bodyBytes, 1000);
    assert.equal(raw.error, null);

    const response = await fetch(url("/owner/model/resolve/main/model.rkllm"));
    assert.equal(Number(response.headers.get("content-length")), MODEL.length);
    const { received, failed } = await readCounting(response);
    assert.ok(failed || received < MODEL.length, "fetch does not get the body whole");
    assert.ok(received <= 1000);
    server.clearFaults();
  });

  it("stalls for a while and then finishes the body", async () => {
    server.addFault({ origin: "cdn", times: 1, stallAfterBytes: 1000, stallMs: 300 });
    const started = Date.now();
    const response = await fetch(url("/owner/model/resolve/main/model.rkllm"));
    assert.deepEqual(await bytesOf(response), MODEL);
    assert.ok(Date.now() - started >= 280, "the stall was felt");
    server.clearFaults();
  });

  it("stalls before the first body byte, after sending the headers", async () => {
    server.addFault({ origin: "cdn", times: 1, stallMs: 300 });
    const started = Date.now();
    const response = await fetch(url("/owner/model/resolve/main/model.rkllm"));
    const headersAfter = Date.now() - started;
    assert.equal(response.status, 200);
    assert.deepEqual(await bytesOf(response), MODEL);
    assert.ok(headersAfter < 250, `headers took ${headersAfter}ms`);
    assert.ok(Date.now() - started >= 280, "the stall was felt");
    server.clearFaults();
  });

  it("stalls until the client gives up, and keeps serving others", async () => {
    server.addFault({ origin: "cdn", times: 1, stallAfterBytes: 5000 });
    const controller = new AbortController();
    const response = await fetch(url("/owner/model/resolve/main/model.rkllm"), {
      signal: controller.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let received = 0;
    while (received < 5000) received += (await reader.read()).value?.length ?? 0;
    const pending = reader.read();
    const outcome = await Promise.race([
      pending.then(() => "data", () => "error"),
      new Promise((resolve) => setTimeout(() => resolve("silent"), 200)),
    ]);
    assert.equal(outcome, "silent");
    controller.abort();
    await pending.catch(() => {});
    const next = await fetch(url("/owner/model/resolve/main/config.json"));
    assert.equal(await next.text(), CONFIG);
    server.clearFaults();
  });

  it("ignores Range and answers 200 with the whole body", async () => {
    server.addFault({ origin: "cdn", times: 1, ignoreRange: true });
    const response = await fetch(url("/owner/model/resolve/main/model.rkllm"), {
      headers: { Range: "bytes=100-" },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-range"), null);
    assert.deepEqual(await bytesOf(response), MODEL);
    server.clearFaults();
  });

  it("corrupts the body without changing its length", async () => {
    server.addFault({ origin: "cdn", times: 1, corrupt: true });
    const body = await bytesOf(await fetch(url("/owner/model/resolve/main/model.rkllm")));
    assert.equal(body.length, MODEL.length);
    assert.notEqual(sha256Hex(body), sha256Hex(MODEL));
    server.clearFaults();
  });

  it("caps the body rate", async () => {
    server.addFault({ origin: "cdn", times: 1, bytesPerSecond: 500_000 });
    const started = Date.now();
    const body = await bytesOf(await fetch(url("/owner/model/resolve/main/model.rkllm")));
    const seconds = (Date.now() - started) / 1000;
    assert.equal(body.length, MODEL.length);
    assert.ok(seconds >= 0.45, `took ${seconds}s for 300 kB at 500 kB/s`);
    server.clearFaults();
  });

  it("adds headers to the normal answer, e.g. a weak ETag", async () => {
    server.addFault({ origin: "hub", pathIncludes: "config.json", headers: { etag: 'W/"weak"' } });
    const response = await fetch(url("/owner/model/resolve/main/config.json"));
    assert.equal(response.headers.get("etag"), 'W/"weak"');
    assert.equal(await response.text(), CONFIG);
    server.clearFaults();
  });

  it("counts bytes served per path", async () => {
    const before = server.bytesServed(cdnModel);
    const response = await fetch(url("/owner/model/resolve/main/model.rkllm"), {
      headers: { Range: "bytes=0-99" },
    });
    await response.arrayBuffer();
    assert.equal(server.bytesServed(cdnModel) - before, 100);
    assert.ok(server.bytesServed() >= server.bytesServed(cdnModel));
  });

  it("survives clients that disconnect in the middle of a large body", async () => {
    const big = await startHubServer({
      repos: [{
        id: "o/big",
        files: [{ path: "big.rkllm", source: { size: 256 * 1024 * 1024, seed: 1 } }],
      }],
    });
    try {
      for (let i = 0; i < 3; i++) {
        const controller = new AbortController();
        const response = await fetch(`${big.endpoint}/o/big/resolve/main/big.rkllm`, {
          signal: controller.signal,
        });
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        await reader.read();
        controller.abort();
        await reader.read().catch(() => {});
      }
      const part = await fetch(`${big.endpoint}/o/big/resolve/main/big.rkllm`, {
        headers: { Range: "bytes=200000000-200000099" },
      });
      assert.equal(part.status, 206);
      assert.equal((await bytesOf(part)).length, 100);
      assert.ok(
        big.bytesServed("big.rkllm") < 256 * 1024 * 1024,
        "aborted bodies were not sent whole",
      );
    } finally {
      await big.close();
    }
  });
});

describe("changing repositories", () => {
  it("replaces a repo with setRepo, with a new commit and content", async () => {
    const local = await startHubServer({
      repos: [{ id: "o/r", files: [{ path: "m.txt", content: "first" }] }],
    });
    try {
      const first = await fetch(`${local.endpoint}/o/r/resolve/main/m.txt`);
      const firstCommit = first.headers.get("x-repo-commit");
      assert.equal(await first.text(), "first");
      local.setRepo({ id: "o/r", files: [{ path: "m.txt", content: "second" }] });
      const second = await fetch(`${local.endpoint}/o/r/resolve/main/m.txt`);
      assert.notEqual(second.headers.get("x-repo-commit"), firstCommit);
      assert.equal(await second.text(), "second");
    } finally {
      await local.close();
    }
  });

  it("closes even while a client holds a stalled connection", async () => {
    const local = await startHubServer({
      repos: [{ id: "o/r", files: [{ path: "m.bin", content: "x".repeat(10_000), lfs: false }] }],
      faults: [{ stallAfterBytes: 10 }],
    });
    const response = await fetch(`${local.endpoint}/o/r/resolve/main/m.bin`);
    const reading = readCounting(response);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await local.close();
    const { received, failed } = await reading;
    assert.ok(failed || received < 10_000);
  });
});

describe("command line", () => {
  it("parses repos, large lazy files and rates", () => {
    const options = parseArguments([
      "--port",
      "0",
      "--sample",
      "--large",
      "me/big:dir/model.rkllm:2G",
      "--bytes-per-second",
      "1000",
    ]);
    assert.equal(options.port, 0);
    assert.equal(options.bytesPerSecond, 1000);
    const big = options.repos.find((repo) => repo.id === "me/big");
    assert.equal(big?.files[0].path, "dir/model.rkllm");
    assert.equal(big?.files[0].source?.size, 2 * 1024 ** 3);
    assert.ok(
      options.repos.some((repo) => repo.id === "limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4"),
    );
    assert.throws(() => parseArguments(["--nope"]), /unknown option/);
    assert.throws(() => parseArguments([]), /add --sample/);
  });
});

describe("the official @huggingface/hub client accepts the emulator", () => {
  it("reads model info", async () => {
    const info = await modelInfo({
      name: "owner/model",
      hubUrl: server.endpoint,
      additionalFields: ["sha", "tags"],
    });
    assert.equal(info.name, "owner/model");
    assert.equal(info.sha, mainSha);
    assert.equal(info.downloads, 50);
    assert.equal(info.gated, false);
    assert.deepEqual(info.tags, ["rkllm", "rk3588"]);
    const gated = await modelInfo({ name: "owner/gated-model", hubUrl: server.endpoint });
    assert.equal(gated.gated, "manual");
  });

  it("reports hub errors with status and message", async () => {
    await assert.rejects(
      modelInfo({ name: "owner/missing", hubUrl: server.endpoint }),
      (error: unknown) =>
        error instanceof HubApiError && error.statusCode === 401 &&
        error.message.startsWith("Repository not found"),
    );
  });

  it("lists files across pages", async () => {
    const before = server.requests.length;
    const entries = [];
    for await (
      const entry of listFiles({ repo: "owner/model", hubUrl: server.endpoint, recursive: true })
    ) entries.push(entry);
    const pages = server.requests.slice(before).filter((r) => r.path.includes("/tree/"));
    assert.equal(pages.length, 3);
    assert.deepEqual(entries.map((e) => e.path), [
      "big.bin",
      "config.json",
      "model.rkllm",
      "sub",
      "sub/notes.txt",
      "tokenizer.json",
    ]);
    assert.equal(entries.find((e) => e.path === "model.rkllm")?.lfs?.oid, sha256Hex(MODEL));
    const sub = [];
    for await (
      const entry of listFiles({ repo: "owner/model", hubUrl: server.endpoint, path: "sub" })
    ) {
      sub.push(entry.path);
    }
    assert.deepEqual(sub, ["sub/notes.txt"]);
  });

  it("gets download info for small and LFS files, null for missing ones", async () => {
    const small = await fileDownloadInfo({
      repo: "owner/model",
      path: "config.json",
      hubUrl: server.endpoint,
    });
    assert.equal(small?.size, encoder.encode(CONFIG).length);
    assert.equal(small?.etag, `"${gitBlobSha1(encoder.encode(CONFIG))}"`);
    const lfs = await fileDownloadInfo({
      repo: "owner/model",
      path: "model.rkllm",
      hubUrl: server.endpoint,
    });
    assert.equal(lfs?.size, MODEL.length);
    assert.equal(lfs?.etag, `"${sha256Hex(MODEL)}"`);
    assert.equal(
      await fileDownloadInfo({ repo: "owner/model", path: "nope.json", hubUrl: server.endpoint }),
      null,
    );
  });

  it("downloads small and LFS files, pinned to a revision", async () => {
    const config = await downloadFile({
      repo: "owner/model",
      path: "config.json",
      hubUrl: server.endpoint,
    });
    assert.equal(await config?.text(), CONFIG);
    const model = await downloadFile({
      repo: "owner/model",
      path: "model.rkllm",
      revision: mainSha,
      hubUrl: server.endpoint,
    });
    assert.deepEqual(new Uint8Array(await (model as Blob).arrayBuffer()), MODEL);
    const v1 = await downloadFile({
      repo: "owner/model",
      path: "config.json",
      revision: "v1",
      hubUrl: server.endpoint,
    });
    assert.equal(await v1?.text(), '{"v":1}');
  });

  it("downloads from a gated repo with a token, which never reaches the CDN", async () => {
    const before = server.requests.length;
    const blob = await downloadFile({
      repo: "owner/gated-model",
      path: "m.rkllm",
      hubUrl: server.endpoint,
      accessToken: APPROVED,
    });
    assert.deepEqual(
      new Uint8Array(await (blob as Blob).arrayBuffer()),
      deterministicBytes(5000, 5),
    );
    const seen = server.requests.slice(before);
    assert.ok(seen.some((r) => r.origin === "cdn"));
    for (const record of seen) {
      assert.equal(
        record.headers.authorization,
        record.origin === "hub" ? `Bearer ${APPROVED}` : undefined,
        `${record.origin} ${record.path}`,
      );
    }
    await assert.rejects(
      downloadFile({ repo: "owner/gated-model", path: "m.rkllm", hubUrl: server.endpoint }),
      (error: unknown) => error instanceof HubApiError && error.statusCode === 401,
    );
  });

  it("searches models across pages", async () => {
    const names = [];
    for await (
      const model of listModels({
        search: { query: "qwen", tags: ["rkllm"] },
        hubUrl: server.endpoint,
      })
    ) names.push(model.name);
    assert.deepEqual(names.sort(), [
      "alice/Qwen-RK3588-small",
      "bob/qwen-rk3588-large",
      "carol/Qwen-rk3576",
    ]);
  });
});
