/**
 * A CLI process stopped by SIGTERM (a service manager, `kill`, a container
 * stopping) ends like one stopped by Ctrl-C: progress saved, lock released,
 * and the status a shell expects (143).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { finished } from "./support/cli_process.ts";
import {
  BIG,
  BIG_FILE,
  bodyBytes,
  pathIn,
  savedBytes,
  waitFor,
} from "./support/download_harness.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";

const MIB = 1024 * 1024;
const LOCK_FILE = ".rkllm-models.lock";

describe("SIGTERM", () => {
  const bed = useHubTestBed({ repos: [BIG] });

  it("stops a download with exit 143, its progress saved and its lock released", async () => {
    const dir = bed.newDir();
    bed.hub.addFault({ origin: "cdn", bytesPerSecond: 2 * MIB });
    const from = bed.hub.requests.length;
    const served = () =>
      bodyBytes(bed.hub.requests.slice(from).filter((request) => request.path.endsWith(BIG_FILE)));
    const child = bed.startCli(["download", BIG.id, "--dir", dir]);
    const exited = finished(child);
    await waitFor(() => served() >= 2 * MIB, "the download to be under way");
    child.kill("SIGTERM");
    const stopped = await exited;
    // Deno's child_process reports an exit status of 143 as the signal; the message shows who ended it.
    assert.equal(stopped.code, 143, stopped.stderr);
    assert.match(
      stopped.stderr,
      /^terminated: the partial download is kept; resume with: rkllm-models download /m,
      "the CLI handled SIGTERM",
    );
    const destination = pathIn(dir, BIG, BIG_FILE);
    assert.ok(!existsSync(join(destination, "..", LOCK_FILE)), "the lock was released");
    assert.ok(savedBytes(destination) >= MIB, "the partial state was saved on the way out");
    bed.hub.clearFaults();

    const rerun = await bed.cli(["download", BIG.id, "--dir", dir]);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stderr, /resuming/);
  });
});
