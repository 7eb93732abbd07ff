/**
 * The official clients referee the emulator: in every mode that imitates huggingface.co as it
 * answers in 2026, the Python `huggingface_hub` (`hf_hub_download`, `snapshot_download`) and
 * the JS `@huggingface/hub` (`listFiles`, `fileDownloadInfo`, `downloadFile`) download
 * byte-identical files, ride out transient faults, and fail where the real Hub would make them
 * fail. So the emulator cannot drift from what the real clients accept.
 *
 * The Python client lives in `.venv/` (`bash scripts/setup_python.sh`); without it its tests
 * fail saying so, unless `SKIP_PYTHON_REFEREE=1` skips them.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { downloadFile, fileDownloadInfo, HubApiError, listFiles } from "@huggingface/hub";
import { bytesOf } from "./support/fixtures.ts";
import {
  type FaultSpec,
  gitBlobSha1,
  type HubServer,
  type HubServerOptions,
  sha256Hex,
  startHubServer,
} from "./support/hub_server.ts";
import {
  type PythonAnswer,
  runOfficialPython,
  skipPythonReferee,
} from "./support/official_python.ts";
import { skipWhen } from "./support/skips.ts";
import {
  hubOptionsFor,
  REAL_HUB_MODES,
  REFEREE_MODEL,
  REFEREE_REPO,
  TRANSIENT_FAULTS,
} from "./support/real_hub_modes.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

const REPO = REFEREE_REPO.id;
const SMALL = "config.json";
const TOKEN = "hf_referee_token";

if (skipPythonReferee) console.log(`skipping the Python referee: ${skipPythonReferee}`);

/** Run `test` with a fresh emulator and a scratch folder (the Python client's `HF_HOME`). */
async function withHub(
  options: HubServerOptions,
  test: (hub: HubServer, home: string) => Promise<void>,
): Promise<void> {
  const hub = await startHubServer(options);
  const home = makeTempDir("rkllm-hf-home-");
  try {
    await test(hub, home);
  } finally {
    await hub.close();
    removeDir(home);
  }
}

function assertPythonGotEveryFile(answer: PythonAnswer): void {
  assert.equal(answer.error, undefined, JSON.stringify(answer.error));
  for (const [path, local] of Object.entries(answer.files)) {
    assert.deepEqual(new Uint8Array(readFileSync(local)), bytesOf(REFEREE_REPO, path), path);
  }
  const snapshot = answer.snapshot ?? assert.fail("no snapshot folder");
  for (const file of REFEREE_REPO.files) {
    assert.deepEqual(
      new Uint8Array(readFileSync(join(snapshot, file.path))),
      bytesOf(REFEREE_REPO, file.path),
      `snapshot ${file.path}`,
    );
  }
}

function assertTokenStayedOnTheHub(hub: HubServer): void {
  const leaked = hub.requests.filter((r) => r.origin === "cdn" && r.headers.authorization);
  assert.deepEqual(leaked.map((r) => r.path), [], "the token reached the CDN");
}

/** Whether a request shows the fault: its status answered, or a body cut where it says. */
function faultApplied(hub: HubServer, fault: FaultSpec): boolean {
  const cut = fault.shortAfterBytes ?? fault.resetAfterBytes;
  return hub.requests.some((r) =>
    fault.status !== undefined ? r.status === fault.status : r.bodyBytes === cut
  );
}

/** The requests of a mode that show it was in play. */
function assertModeSeen(hub: HubServer, options: HubServerOptions): void {
  const paths = hub.requests.map((r) => `${r.origin} ${r.method} ${r.path}`);
  if (options.resolveCache) {
    assert.ok(paths.some((p) => p.includes("/api/resolve-cache/")), "no resolve-cache");
  }
  if (options.xet) {
    assert.ok(paths.some((p) => p.startsWith("cdn GET /xet-bridge-us/")), "no bridge");
  }
  if (!options.xet) assert.ok(paths.some((p) => p.startsWith("cdn GET /lfs/")), "no CDN download");
}

describe("the official Python client (huggingface_hub) accepts the emulator", {
  skip: skipWhen("tests/official_clients_test.ts", skipPythonReferee),
}, () => {
  const request = { repo: REPO, files: [SMALL, REFEREE_MODEL], snapshot: true, token: TOKEN };

  for (const mode of REAL_HUB_MODES) {
    it(`hf_hub_download and snapshot_download, byte-identical: ${mode.name}`, async () => {
      const options = hubOptionsFor(mode.options);
      await withHub(options, async (hub, home) => {
        assertPythonGotEveryFile(await runOfficialPython(hub.endpoint, request, { home }));
        assertModeSeen(hub, options);
        assertTokenStayedOnTheHub(hub);
      });
    });
  }

  for (const { name, fault } of TRANSIENT_FAULTS) {
    it(`rides out ${name}`, async () => {
      await withHub({ ...hubOptionsFor({ rateLimit: {} }), faults: [fault] }, async (hub, home) => {
        const answer = await runOfficialPython(hub.endpoint, { ...request, recordSleeps: true }, {
          home,
        });
        assertPythonGotEveryFile(answer);
        assert.ok(faultApplied(hub, fault), "the fault never applied");
        // Every answer says t=300 (the window's reset), which is no reason to wait that long.
        const longest = Math.max(0, ...(answer.sleeps ?? assert.fail("no sleeps recorded")));
        assert.ok(longest < 300, `the client waited ${longest} s, as if t=300 were a delay`);
      });
    });
  }

  it("fails on a CDN 403 that stays 403", async () => {
    const options = { ...hubOptionsFor({}), cdnForbiddenPaths: [REFEREE_MODEL] };
    await withHub(options, async (hub) => {
      const answer = await runOfficialPython(hub.endpoint, { repo: REPO, files: [REFEREE_MODEL] });
      assert.equal(answer.error?.status, 403, JSON.stringify(answer));
      assert.equal(answer.error?.type, "HfHubHTTPError");
    });
  });
});

describe("the official JS client (@huggingface/hub) accepts the emulator", () => {
  for (const mode of REAL_HUB_MODES) {
    it(`listFiles, fileDownloadInfo and downloadFile: ${mode.name}`, async () => {
      await withHub(hubOptionsFor(mode.options), async (hub) => {
        const hubUrl = hub.endpoint;
        const entries = [];
        for await (const entry of listFiles({ repo: REPO, hubUrl, recursive: true })) {
          entries.push(entry);
        }
        assert.deepEqual(
          entries.map((entry) => entry.path).sort(),
          REFEREE_REPO.files.map((file) => file.path).sort(),
        );
        const model = bytesOf(REFEREE_REPO, REFEREE_MODEL);
        const small = bytesOf(REFEREE_REPO, SMALL);
        assert.equal(entries.find((e) => e.path === REFEREE_MODEL)?.lfs?.oid, sha256Hex(model));
        const smallInfo = await fileDownloadInfo({ repo: REPO, path: SMALL, hubUrl });
        assert.equal(smallInfo?.size, small.length);
        assert.equal(smallInfo?.etag, `"${gitBlobSha1(small)}"`);
        const modelInfo = await fileDownloadInfo({ repo: REPO, path: REFEREE_MODEL, hubUrl });
        assert.equal(modelInfo?.size, model.length);
        assert.equal(modelInfo?.etag, `"${sha256Hex(model)}"`);
        for (const [path, bytes] of [[SMALL, small], [REFEREE_MODEL, model]] as const) {
          const blob = await downloadFile({ repo: REPO, path, hubUrl, accessToken: TOKEN });
          assert.deepEqual(new Uint8Array(await (blob as Blob).arrayBuffer()), bytes, path);
        }
        assertTokenStayedOnTheHub(hub);
      });
    });
  }

  it("fails on a CDN 403 that stays 403", async () => {
    const options = { ...hubOptionsFor({}), cdnForbiddenPaths: [REFEREE_MODEL] };
    await withHub(options, async (hub) => {
      await assert.rejects(
        downloadFile({ repo: REPO, path: REFEREE_MODEL, hubUrl: hub.endpoint }),
        (error: unknown) => error instanceof HubApiError && error.statusCode === 403,
      );
    });
  });
});
