/**
 * The emulator's API: repository info, file listing, search and renamed repositories, as
 * `shared/hf-hub-protocol.md` describes them; and the test helpers it relies on.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createHash } from "node:crypto";
import { deterministicBytes, gitBlobSha1, sha256Hex } from "./support/hub_server.ts";
import {
  assertHubError,
  bearer,
  BIG,
  CONFIG,
  encoder,
  mainSha,
  MODEL,
  NOTES,
  pointerOf,
  PR_SHA,
  server,
  url,
  useSharedHub,
  V1_SHA,
  VALID,
} from "./support/hub_server_fixture.ts";

useSharedHub();

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
