/**
 * A pull-through of `serve --upstream` and a `download` of the same file into the
 * same store at the same time never write the same partial file at once: both end
 * with the verified file, and the store's record holds it.
 */
import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ModelManager } from "../src/model_manager.ts";
import { type ServeHandle, serveStore } from "../src/serve/serve_store.ts";
import {
  deterministicBytes,
  type HubRepoSpec,
  type HubServer,
  sha256Hex,
  startHubServer,
} from "./support/hub_server.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";
import { waitFor } from "./support/download_harness.ts";

const MIB = 1024 * 1024;

/** A repository with one 4 MiB model file. */
function repoOf(name: string, seed: number): HubRepoSpec {
  return {
    id: `fleet/${name}-rk3588`,
    files: [
      { path: "config.json", content: '{"model_type":"qwen2"}' },
      { path: `${name}-rk3588-w8a8.rkllm`, content: deterministicBytes(4 * MIB + 3, seed) },
    ],
  };
}
const PULL_FIRST = repoOf("PullFirst", 91);
const DOWNLOAD_FIRST = repoOf("DownloadFirst", 92);

describe("serve --upstream and download of the same file at once", () => {
  let hub: HubServer;
  let root: string;
  let storeDir: string;
  let mirror: ServeHandle;

  before(async () => {
    hub = await startHubServer({ repos: [PULL_FIRST, DOWNLOAD_FIRST] });
    root = makeTempDir();
    storeDir = join(root, "store");
    mirror = await serveStore(storeDir, {
      port: 0,
      upstream: hub.endpoint,
      pullAny: true,
      onWarning: () => {},
      idleTimeoutMs: 5000,
    });
  });
  after(async () => {
    await mirror?.close();
    await hub?.close();
    removeDir(root);
  });

  /** The pull and the download of the model file of `repo`, the second started while the first writes. */
  async function race(repo: HubRepoSpec, options: { pullFirst: boolean }) {
    const file = repo.files[1].path;
    const expected = sha256Hex(repo.files[1].content as Uint8Array);
    // Slow enough that the second writer starts while the first one is writing.
    hub.addFault({ origin: "cdn", pathIncludes: file, bytesPerSecond: 4 * MIB });
    const destination = join(storeDir, repo.id, file);
    const manager = new ModelManager({
      modelsDir: storeDir,
      endpoint: hub.endpoint,
      retry: { attempts: 2, baseDelayMs: 10 },
    });
    const pull = () =>
      fetch(`${mirror.url}/${repo.id}/resolve/main/${file}`).then(async (response) => {
        assert.equal(response.status, 200);
        return new Uint8Array(await response.arrayBuffer());
      });
    const download = () => manager.downloadWithPlan(repo.id, file, { connections: 4 });
    const first = options.pullFirst ? pull() : download();
    await waitFor(() => existsSync(`${destination}.part`), "the first to write its partial file");
    const second = options.pullFirst ? download() : pull();
    const [pulled, downloaded] = await Promise.all(
      options.pullFirst ? [first, second] : [second, first],
    ) as [Uint8Array, Awaited<ReturnType<typeof download>>];
    hub.clearFaults();

    assert.equal(sha256Hex(pulled), expected, "the client of the mirror got the file");
    assert.equal(downloaded.model.path, destination);
    assert.equal(sha256Hex(readFileSync(destination)), expected, "the store holds it");
    assert.ok(!existsSync(`${destination}.part`), "no partial file is left");
    const [verified] = await manager.verifyModel(file);
    assert.equal(verified.ok, true, JSON.stringify(verified));
  }

  it("a download started during a pull: both end with the verified file, recorded", async () => {
    await race(PULL_FIRST, { pullFirst: true });
  });

  it("a pull started during a download: both end with the verified file, recorded", async () => {
    await race(DOWNLOAD_FIRST, { pullFirst: false });
  });
});
