/**
 * The emulator's modes answer as huggingface.co does in 2026 (`shared/hf-hub-protocol.md`
 * §3, §5, §9), each only when its option is set: the headers, statuses, URLs and bodies a
 * client meets, checked on the wire with fetch.
 */
import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import {
  deterministicBytes,
  gitBlobSha1,
  type HubServer,
  type HubServerOptions,
  sha256Hex,
  startHubServer,
} from "./support/hub_server.ts";
import type { HubRepoSpec } from "./support/hub_server.ts";
import { parseArguments } from "./support/hub_main.ts";
import { testClock } from "./support/hub/clock.ts";

const encoder = new TextEncoder();
const CONFIG = '{"model_type":"qwen3"}\n';
const MODEL = deterministicBytes(200_000, 77);
const REPO: HubRepoSpec = {
  id: "owner/model",
  files: [
    { path: "config.json", content: CONFIG },
    { path: "sub/notes.txt", content: "notes\n" },
    { path: "model.rkllm", content: MODEL },
  ],
};
const GATED: HubRepoSpec = {
  id: "owner/gated",
  gated: "manual",
  files: [{ path: "config.json", content: CONFIG }, { path: "m.rkllm", content: MODEL }],
};
const APPROVED = "hf_approved";

/** Start an emulator for the block's tests, closed after them. */
function useHub(options: Omit<HubServerOptions, "repos">): () => HubServer {
  let hub: HubServer | undefined;
  before(async () => {
    hub = await startHubServer({ repos: [REPO, GATED], ...options });
  });
  after(() => hub?.close());
  return () => hub ?? assert.fail("the emulator is not started");
}

async function fetchManual(target: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(target, { redirect: "manual", ...init });
  await response.arrayBuffer();
  return response;
}

async function commitOf(hub: HubServer, id = REPO.id): Promise<string> {
  return (await (await fetch(`${hub.endpoint}/api/models/${id}`)).json()).sha;
}

function rateLimitOf(response: Response): { r: number; t: number } {
  const match = /^"api";r=(\d+);t=(\d+)$/.exec(response.headers.get("ratelimit") ?? "");
  assert.ok(match, `RateLimit: ${response.headers.get("ratelimit")}`);
  return { r: Number(match[1]), t: Number(match[2]) };
}

describe("without a mode, the emulator answers as before", () => {
  const hub = useHub({});

  it("sends no RateLimit, no Xet headers, answers small files in place, and has no alias", async () => {
    const small = await fetchManual(`${hub().endpoint}/${REPO.id}/resolve/main/config.json`);
    assert.equal(small.status, 200);
    assert.equal(small.headers.get("ratelimit"), null);
    const lfs = await fetchManual(`${hub().endpoint}/${REPO.id}/resolve/main/model.rkllm`);
    assert.equal(lfs.status, 302);
    assert.equal(lfs.headers.get("x-xet-hash"), null);
    assert.match(lfs.headers.get("location") ?? "", /^http:\/\/127\.0\.0\.1:\d+\/lfs\//);
    assert.equal(hub().aliasOrigin, "");
  });
});

describe("rateLimit: RateLimit and RateLimit-Policy on every answer", () => {
  const hub = useHub({ rateLimit: { limit: 5, windowSeconds: 300 } });

  it("reports r counting down on successes, redirects, errors and 5xx, then answers 429 with r=0", async () => {
    const { endpoint } = hub();
    hub().addFault({ pathIncludes: "/tokenizer", status: 503 });
    const answers = [
      await fetchManual(`${endpoint}/api/models/${REPO.id}`),
      await fetchManual(`${endpoint}/${REPO.id}/resolve/main/model.rkllm`),
      await fetchManual(`${endpoint}/${REPO.id}/resolve/main/nope.json`),
      await fetchManual(`${endpoint}/${REPO.id}/resolve/main/tokenizer.json`),
      await fetchManual(`${endpoint}/${REPO.id}/resolve/main/config.json`),
    ];
    assert.deepEqual(answers.map((a) => a.status), [200, 302, 404, 503, 200]);
    assert.deepEqual(answers.map((a) => rateLimitOf(a).r), [4, 3, 2, 1, 0]);
    for (const answer of answers) {
      const { t } = rateLimitOf(answer);
      assert.ok(t > 0 && t <= 300, `t=${t}`);
      assert.equal(answer.headers.get("ratelimit-policy"), '"fixed window";"api";q=5;w=300');
    }
    const limited = await fetchManual(`${endpoint}/api/models/${REPO.id}`);
    assert.equal(limited.status, 429);
    assert.equal(rateLimitOf(limited).r, 0);
    const cdn = await fetchManual(answers[1].headers.get("location") ?? "");
    assert.equal(cdn.status, 200);
    assert.equal(cdn.headers.get("ratelimit"), null, "the CDN is not the Hub");
  });
});

describe("rateLimit: a new window", () => {
  const clock = testClock();
  const hub = useHub({ rateLimit: { limit: 1, windowSeconds: 10 }, clock });

  it("starts once the window has run out, with its quota whole again", async () => {
    const url = `${hub().endpoint}/api/models/${REPO.id}`;
    const first = await fetchManual(url);
    assert.deepEqual(rateLimitOf(first), { r: 0, t: 10 });
    clock.advance(9_000);
    const limited = await fetchManual(url);
    assert.equal(limited.status, 429);
    assert.deepEqual(rateLimitOf(limited), { r: 0, t: 1 });
    clock.advance(1_000);
    const fresh = await fetchManual(url);
    assert.equal(fresh.status, 200);
    assert.deepEqual(rateLimitOf(fresh), { r: 0, t: 10 });
  });
});

describe("aliasHost: a host that redirects every request to the Hub", () => {
  const hub = useHub({ aliasHost: {} });
  const permanent = useHub({ aliasHost: { status: 308 } });

  it("answers an absolute 307 to the same path and query on the hub, without Hub metadata", async () => {
    const { aliasOrigin, endpoint } = hub();
    assert.match(aliasOrigin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(aliasOrigin, endpoint);
    for (
      const path of [
        `/api/models/${REPO.id}/tree/main?recursive=true&expand=false`,
        `/${REPO.id}/resolve/main/config.json`,
        `/${REPO.id}/resolve/main/model.rkllm`,
      ]
    ) {
      for (const method of ["GET", "HEAD"]) {
        const answer = await fetchManual(aliasOrigin + path, { method });
        assert.equal(answer.status, 307, `${method} ${path}`);
        assert.equal(answer.headers.get("location"), endpoint + path);
        for (const name of ["x-repo-commit", "x-linked-size", "x-linked-etag", "etag"]) {
          assert.equal(answer.headers.get(name), null, `${name} on ${method} ${path}`);
        }
      }
    }
    const followed = await fetch(`${aliasOrigin}/${REPO.id}/resolve/main/model.rkllm`);
    assert.deepEqual(new Uint8Array(await followed.arrayBuffer()), MODEL);
    assert.ok(hub().requests.some((r) => r.origin === "alias"));
  });

  it("answers 308 when asked to", async () => {
    const { aliasOrigin, endpoint } = permanent();
    const answer = await fetchManual(`${aliasOrigin}/api/models/${REPO.id}`);
    assert.equal(answer.status, 308);
    assert.equal(answer.headers.get("location"), `${endpoint}/api/models/${REPO.id}`);
  });
});

describe("resolveCache: small public files through a relative 307", () => {
  const hub = useHub({ resolveCache: true, tokens: { approvedFor: { [GATED.id]: [APPROVED] } } });

  it("redirects resolve to /api/resolve-cache/..., whose own Content-Length is its short body", async () => {
    const { endpoint } = hub();
    const commit = await commitOf(hub());
    const oid = gitBlobSha1(encoder.encode(CONFIG));
    for (const method of ["GET", "HEAD"]) {
      const answer = await fetchManual(`${endpoint}/${REPO.id}/resolve/main/config.json`, {
        method,
      });
      assert.equal(answer.status, 307);
      const location = answer.headers.get("location") ?? "";
      assert.ok(
        location.startsWith(`/api/resolve-cache/models/${REPO.id}/${commit}/config.json?`),
        location,
      );
      assert.ok(location.endsWith(`&etag=%22${oid}%22`), location);
      assert.notEqual(Number(answer.headers.get("content-length")), encoder.encode(CONFIG).length);
      assert.equal(
        answer.headers.get("content-length"),
        String(encoder.encode(`Temporary Redirect. Redirecting to ${location}`).length),
      );
    }
  });

  it("serves the file there with its commit, quoted git sha1, length and ranges", async () => {
    const { endpoint } = hub();
    const commit = await commitOf(hub());
    const oid = gitBlobSha1(encoder.encode(CONFIG));
    const redirect = await fetchManual(`${endpoint}/${REPO.id}/resolve/main/config.json`);
    const cached = new URL(redirect.headers.get("location") ?? "", endpoint).href;
    const whole = await fetch(cached);
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get("x-repo-commit"), commit);
    assert.equal(whole.headers.get("etag"), `"${oid}"`);
    assert.equal(whole.headers.get("content-length"), String(encoder.encode(CONFIG).length));
    assert.equal(whole.headers.get("accept-ranges"), "bytes");
    assert.equal(await whole.text(), CONFIG);
    const part = await fetch(cached, { headers: { Range: "bytes=2-5" } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), `bytes 2-5/${encoder.encode(CONFIG).length}`);
    assert.equal(await part.text(), CONFIG.slice(2, 6));
    const head = await fetchManual(cached, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get("etag"), `"${oid}"`);
    const nested = await fetch(`${endpoint}/${REPO.id}/resolve/${commit}/sub/notes.txt`);
    assert.equal(await nested.text(), "notes\n");
  });

  it("keeps LFS files on the 302, and gated files in place", async () => {
    const { endpoint } = hub();
    const lfs = await fetchManual(`${endpoint}/${REPO.id}/resolve/main/model.rkllm`);
    assert.equal(lfs.status, 302);
    const gated = await fetchManual(`${endpoint}/${GATED.id}/resolve/main/config.json`, {
      headers: { Authorization: `Bearer ${APPROVED}` },
    });
    assert.equal(gated.status, 200);
    const missing = await fetchManual(
      `${endpoint}/api/resolve-cache/models/${REPO.id}/${await commitOf(hub())}/nope.json`,
    );
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get("x-error-code"), "EntryNotFound");
  });
});

describe("xet: Xet-backed files", () => {
  const hub = useHub({ xet: true });

  it("lists xetHash beside lfs for LFS files only", async () => {
    const tree = await (await fetch(
      `${hub().endpoint}/api/models/${REPO.id}/tree/main?recursive=true`,
    )).json();
    const model = tree.find((entry: { path: string }) => entry.path === "model.rkllm");
    assert.match(model.xetHash, /^[0-9a-f]{64}$/);
    assert.equal(model.lfs.oid, sha256Hex(MODEL));
    const config = tree.find((entry: { path: string }) => entry.path === "config.json");
    assert.equal(config.xetHash, undefined);
  });

  it("answers resolve with Xet headers and a signed bridge URL that serves the bytes by Range", async () => {
    const { endpoint, cdnOrigin } = hub();
    const commit = await commitOf(hub());
    const answer = await fetchManual(`${endpoint}/${REPO.id}/resolve/main/model.rkllm`);
    assert.equal(answer.status, 302);
    assert.equal(answer.headers.get("x-linked-etag"), `"${sha256Hex(MODEL)}"`);
    assert.equal(answer.headers.get("x-linked-size"), String(MODEL.length));
    assert.match(answer.headers.get("x-xet-hash") ?? "", /^[0-9a-f]{64}$/);
    assert.match(answer.headers.get("content-type") ?? "", /^text\/plain/);
    assert.equal(
      answer.headers.get("link"),
      `<${endpoint}/api/models/${REPO.id}/xet-read-token/${commit}>; rel="xet-auth", ` +
        `<${cdnOrigin}/v1/reconstructions/${answer.headers.get("x-xet-hash")}>; ` +
        `rel="xet-reconstruction-info"`,
    );
    const location = answer.headers.get("location") ?? "";
    const bridge = new RegExp(
      `^${cdnOrigin}/xet-bridge-us/[0-9a-f]{24}/${sha256Hex(MODEL)}` +
        "\\?X-Amz-Expires=3600&Policy=[^&]+&Signature=[0-9a-f]+&Key-Pair-Id=\\w+$",
    );
    assert.match(location, bridge);
    assert.deepEqual(new Uint8Array(await (await fetch(location)).arrayBuffer()), MODEL);
    const part = await fetch(location, { headers: { Range: "bytes=100-199" } });
    assert.equal(part.status, 206);
    assert.deepEqual(new Uint8Array(await part.arrayBuffer()), MODEL.subarray(100, 200));
  });

  it("refuses bridge URLs that were tampered with or have expired", async () => {
    const { endpoint } = hub();
    const answer = await fetchManual(`${endpoint}/${REPO.id}/resolve/main/model.rkllm`);
    const location = new URL(answer.headers.get("location") ?? "");
    const tampered = new URL(location);
    tampered.pathname = tampered.pathname.replace(/[0-9a-f]{24}/, "0".repeat(24));
    assert.equal((await fetchManual(tampered.href)).status, 403);
    hub().expireSignedUrls();
    const expired = await fetchManual(location.href);
    assert.equal(expired.status, 403);
    assert.match(expired.headers.get("content-type") ?? "", /xml/);
  });
});

describe("cdnHeadStatus: a CDN that refuses HEAD", () => {
  const forbidding = useHub({ cdnHeadStatus: 403, xet: true });
  const disallowing = useHub({ cdnHeadStatus: 405 });

  it("answers HEAD of a signed URL with 403 or 405 while GET works", async () => {
    for (const [hub, status] of [[forbidding, 403], [disallowing, 405]] as const) {
      const answer = await fetchManual(`${hub().endpoint}/${REPO.id}/resolve/main/model.rkllm`);
      const location = answer.headers.get("location") ?? "";
      assert.equal((await fetchManual(location, { method: "HEAD" })).status, status);
      const body = await fetch(location);
      assert.equal(body.status, 200);
      assert.deepEqual(new Uint8Array(await body.arrayBuffer()), MODEL);
    }
  });
});

describe("maskGatedHashes: a gated repo listed without access", () => {
  const hub = useHub({
    maskGatedHashes: true,
    xet: true,
    tokens: { approvedFor: { [GATED.id]: [APPROVED] } },
  });

  it("masks oid, lfs.oid and xetHash as * and keeps the sizes, unless the token is approved", async () => {
    const url = `${hub().endpoint}/api/models/${GATED.id}/tree/main`;
    const masked = await (await fetch(url)).json();
    for (const entry of masked) {
      assert.equal(entry.oid, "*", entry.path);
      if (entry.lfs) {
        assert.equal(entry.lfs.oid, "*");
        assert.equal(entry.xetHash, "*");
        assert.equal(entry.lfs.size, MODEL.length);
      }
    }
    const open = await (await fetch(url, { headers: { Authorization: `Bearer ${APPROVED}` } }))
      .json();
    const model = open.find((entry: { path: string }) => entry.path === "m.rkllm");
    assert.equal(model.lfs.oid, sha256Hex(MODEL));
    const publicTree = await (await fetch(`${hub().endpoint}/api/models/${REPO.id}/tree/main`))
      .json();
    assert.ok(publicTree.every((entry: { oid: string }) => /^[0-9a-f]{40}$/.test(entry.oid)));
  });
});

describe("cdnForbiddenPaths: a CDN 403 that stays 403", () => {
  const hub = useHub({ cdnForbiddenPaths: ["model.rkllm"] });

  it("refuses the file however fresh the URL, saying so the way CloudFront does", async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const answer = await fetchManual(`${hub().endpoint}/${REPO.id}/resolve/main/model.rkllm`);
      const refused = await fetch(answer.headers.get("location") ?? "");
      assert.equal(refused.status, 403);
      assert.equal(refused.headers.get("x-cache"), "Error from cloudfront");
      assert.match(await refused.text(), /<Code>AccessDenied<\/Code>/);
    }
  });
});

describe("cdnRangeBlockBytes: a 206 that starts before the asked byte", () => {
  const hub = useHub({ cdnRangeBlockBytes: 64 * 1024 });

  it("starts at the block boundary below the asked start and sends the bytes from there", async () => {
    const answer = await fetchManual(`${hub().endpoint}/${REPO.id}/resolve/main/model.rkllm`);
    const location = answer.headers.get("location") ?? "";
    const part = await fetch(location, { headers: { Range: "bytes=70000-80000" } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), `bytes 65536-80000/${MODEL.length}`);
    assert.deepEqual(new Uint8Array(await part.arrayBuffer()), MODEL.subarray(65536, 80001));
    const aligned = await fetch(location, { headers: { Range: "bytes=131072-" } });
    assert.equal(
      aligned.headers.get("content-range"),
      `bytes 131072-${MODEL.length - 1}/${MODEL.length}`,
    );
    await aligned.arrayBuffer();
  });
});

describe("the standalone emulator's flags", () => {
  it("--real-hub switches on the modes of huggingface.co in 2026, --alias the alias host", () => {
    const options = parseArguments(["--sample", "--real-hub", "--alias", "308"]);
    assert.equal(options.cdnHostname, "127.0.0.2");
    assert.deepEqual(options.rateLimit, {});
    assert.equal(options.resolveCache, true);
    assert.equal(options.xet, true);
    assert.equal(options.cdnHeadStatus, 403);
    assert.deepEqual(options.aliasHost, { status: 308 });
    assert.throws(() => parseArguments(["--sample", "--alias", "302"]), /307 or 308/);
    assert.equal(parseArguments(["--sample"]).xet, undefined);
  });
});
