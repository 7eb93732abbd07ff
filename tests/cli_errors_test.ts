import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { QWEN, QWEN_FILE, standardHub } from "./support/fixtures.ts";
import { deadEndpoint } from "./support/dead_endpoint.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { NO_PROXIES } from "./support/forward_proxy.ts";

describe("errors say what was wrong, then what to do", () => {
  const bed = useHubTestBed(standardHub(), { env: NO_PROXIES });
  const { cli, newDir } = bed;

  it("names a missing or misplaced option value in its own words, never the parser's", async () => {
    const dir = newDir();
    const cases: [string[], string][] = [
      [["list", "--dir"], "error: missing value for --dir\nhint: give it as --dir DIR"],
      [["list", "--dir", "-q"], 'error: missing value for --dir: "-q" is an option\n'],
      [["--dir", "list"], 'error: missing value for --dir: "list" is a command\n'],
      [["list", "--dir="], "error: missing value for --dir: it is empty\n"],
      [["list", "--quiet=yes"], "error: --quiet takes no value\n"],
      [
        ["download", QWEN.id, "--connections", "0", "--dir", dir],
        'error: invalid --connections "0": expected a whole number from 1 to 64\n',
      ],
      [["download", "nope", "--dir", dir], 'error: invalid repo id "nope": '],
    ];
    for (const [args, expected] of cases) {
      const result = await cli(args);
      assert.equal(result.code, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.ok(result.stderr.startsWith(expected), `${args.join(" ")}:\n${result.stderr}`);
      assert.doesNotMatch(result.stderr, /Option '|ambiguous|Usage:/, args.join(" "));
      assert.equal(result.stdout, "", "no help instead of the error");
    }
  });

  it("says what the Hub cannot find, in plain words, then what to do", async () => {
    const repo = await cli(["files", "acme/nope"]);
    assert.equal(repo.code, 3, repo.stderr);
    assert.match(repo.stderr, /^error: cannot find repository acme\/nope on the Hub\nhint: \S/m);
    const revision = await cli(["files", QWEN.id, "--revision", "no-such-branch"]);
    assert.equal(revision.code, 3, revision.stderr);
    assert.match(
      revision.stderr,
      new RegExp(
        `^error: cannot find revision no-such-branch of ${QWEN.id} on the Hub\nhint: `,
        "m",
      ),
    );
  });

  it("fails at once, without retries, when the endpoint's name does not resolve or nothing listens", async () => {
    const unresolved = await cli([
      "files",
      QWEN.id,
      "--endpoint",
      "http://rkllm-hub.invalid:8080",
      "--retries",
      "4",
    ]);
    assert.equal(unresolved.code, 5, unresolved.stderr);
    assert.match(unresolved.stderr, /^error: cannot resolve rkllm-hub\.invalid:8080: /m);
    assert.match(unresolved.stderr, /^hint: is this machine offline\? .*--endpoint/m);
    assert.doesNotMatch(unresolved.stderr, /retrying/);

    const refused = await cli(["files", QWEN.id, "--endpoint", await deadEndpoint()]);
    assert.equal(refused.code, 5, refused.stderr);
    assert.match(
      refused.stderr,
      /^error: cannot connect to 127\.0\.0\.1:\d+: the connection was refused$/m,
    );
    assert.doesNotMatch(refused.stderr, /retrying/);
  });

  it("shows each retry of a request: when, which of how many, and why", async () => {
    bed.hub.addFault({ origin: "hub", pathIncludes: "/api/models/", status: 503, times: 1 });
    const result = await cli(["files", QWEN.id, "--retries", "2"]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^retrying in [\d.]+ s \(2\/3\): .*503/m);
  });

  it("shows a file's retry in the same words as a request's: wait, which of how many, why", async () => {
    // resolve's size disagrees with the listing once: the file's identity check retries.
    bed.hub.addFault({
      origin: "hub",
      method: "HEAD",
      pathIncludes: `/${QWEN_FILE}`,
      headers: { "X-Linked-Size": "1" },
      times: 1,
    });
    bed.hub.addFault({ origin: "hub", pathIncludes: "/tree/", status: 503, times: 1 });
    const result = await cli(["download", QWEN.id, "--dir", newDir(), "--progress=plain"]);
    assert.equal(result.code, 0, result.stderr);
    const retries = result.stderr.split("\n").filter((line) => line.startsWith("retrying"));
    assert.equal(retries.length, 2, result.stderr);
    for (const line of retries) {
      assert.match(line, /^retrying \S+ in \d+(\.\d)? s \(2\/\d+\): \S/, line);
    }
    assert.ok(retries.some((line) => line.includes(QWEN_FILE)), result.stderr);
  });
});
