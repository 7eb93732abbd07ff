/**
 * Error messages say what was wrong, starting lower-case, with no trailing period
 * (STYLE.md, "Error Messages"): `cannot find repository acme/nope on the Hub`,
 * never an instruction such as `find acme/nope on the Hub (404)` or `use X`.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { errorForResponse, type RequestContext } from "../src/http/hub_errors.ts";

const CONTEXT: RequestContext = {
  repo: "acme/nope",
  endpoint: "https://huggingface.co",
  hasToken: false,
  action: "read the repo info",
};

async function messageFor(
  status: number,
  options: { code?: string; body?: string; context?: Partial<RequestContext> } = {},
): Promise<string> {
  const headers: Record<string, string> = options.code ? { "X-Error-Code": options.code } : {};
  const response = new Response(options.body ?? "{}", { status, headers });
  return (await errorForResponse(response, { ...CONTEXT, ...options.context })).message;
}

describe("the Hub's errors, in plain words", () => {
  it("says which repository, revision or file the Hub cannot find", async () => {
    assert.equal(
      await messageFor(404, { code: "RepoNotFound" }),
      "cannot find repository acme/nope on the Hub",
    );
    assert.equal(
      await messageFor(404, { code: "RevisionNotFound", context: { revision: "v9" } }),
      "cannot find revision v9 of acme/nope on the Hub",
    );
    assert.equal(
      await messageFor(404, { code: "EntryNotFound", context: { file: "model.rkllm" } }),
      "cannot find file model.rkllm in acme/nope on the Hub",
    );
  });

  it("says what kept it from the repository: the gate, a disabled repo, the token", async () => {
    assert.equal(
      await messageFor(403, { code: "GatedRepo", body: '{"error":"Access restricted"}' }),
      "cannot access gated repository acme/nope: no token was sent (403)",
    );
    assert.equal(
      await messageFor(403, { body: '{"error":"Access to this resource is disabled."}' }),
      "repository acme/nope is disabled on the Hub",
    );
    assert.match(
      await messageFor(401, { body: '{"error":"Invalid credentials in Authorization header"}' }),
      /^cannot read the repo info of acme\/nope: the Hub rejected the token \(401: /,
    );
    assert.equal(
      await messageFor(403, { body: '{"error":"Forbidden"}' }),
      "cannot read the repo info of acme/nope: access denied (403: Forbidden)",
    );
  });

  it("says the Hub rate-limited or failed the request", async () => {
    assert.equal(
      await messageFor(429, { body: '{"error":"slow down"}' }),
      "cannot read the repo info of acme/nope: rate limited by the Hub (429: slow down)",
    );
    assert.equal(
      await messageFor(503, { body: "Service Unavailable", context: { file: "model.rkllm" } }),
      "cannot read the repo info model.rkllm in acme/nope: the server answered 503 (Service Unavailable)",
    );
    assert.equal(
      await messageFor(418, { body: "", context: { repo: undefined, action: "search the Hub" } }),
      "cannot search the Hub: the server answered 418",
    );
  });
});

/** Each literal message given to the error constructors in src/. */
function sourceMessages(): { file: string; message: string }[] {
  const found: { file: string; message: string }[] = [];
  const constructors =
    /(?:new ModelManagerError\(\s*"[a-z_]+",|usageError\(|retryableError\(|unexpectedAnswer\()\s*(["`])((?:(?!\1)[^\\]|\\.)*)\1/gs;
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) {
        for (const match of readFileSync(path, "utf8").matchAll(constructors)) {
          found.push({ file: path, message: match[2] });
        }
      }
    }
  };
  walk(new URL("../src", import.meta.url).pathname);
  return found;
}

describe("every error message in src/", () => {
  const messages = sourceMessages();

  it("finds the messages it checks", () => {
    assert.ok(messages.length > 50, `found ${messages.length}`);
  });

  it("starts lower-case and ends without a period", () => {
    for (const { file, message } of messages) {
      assert.match(message, /^(?:[a-z"(]|\$\{)/, `${file}: ${message}`);
      assert.doesNotMatch(message, /\.$/, `${file}: ${message}`);
    }
  });

  it("says what was wrong, not what to do (no instruction, no bare action)", () => {
    const instruction = /(?:^|: )(?:find|use|choose|give|get|run|refuse|follow|try|set) /;
    for (const { file, message } of messages) {
      assert.doesNotMatch(message, instruction, `${file}: ${message}`);
    }
  });
});
