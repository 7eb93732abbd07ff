/**
 * The emulator's file downloads: resolve of small files, LFS files through the signed CDN
 * redirect, ranges, and the Hub's error answers.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import {
  deterministicBytes,
  gitBlobSha1,
  sha256Hex,
  startHubServer,
} from "./support/hub_server.ts";
import {
  APPROVED,
  assertHubError,
  bearer,
  BIG,
  bytesOf,
  CONFIG,
  encoder,
  mainSha,
  MODEL,
  NOTES,
  pointerOf,
  server,
  statusOf,
  url,
  useSharedHub,
  V1_SHA,
  VALID,
} from "./support/hub_server_fixture.ts";

useSharedHub();

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
