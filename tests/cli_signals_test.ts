/**
 * A CLI process stopped by SIGTERM (a service manager, `kill`, a container
 * stopping) ends like one stopped by Ctrl-C: progress saved, lock released,
 * and the status a shell expects (143).
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
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
    const said = stopped.stderr.match(
      /^terminated: kept ([\d.]+) (KiB|MiB) of (\S+); resume with: rkllm-models download /m,
    );
    assert.ok(said, `the CLI handled SIGTERM and said what it kept:\n${stopped.stderr}`);
    assert.equal(said[3], BIG_FILE);
    const keptBytes = Number(said[1]) * (said[2] === "MiB" ? MIB : 1024);
    const destination = pathIn(dir, BIG, BIG_FILE);
    // The line may lag the last bytes written, never claim more than the saved state holds.
    assert.ok(keptBytes > 0, said[0]);
    assert.ok(
      keptBytes <= savedBytes(destination) + 0.05 * MIB,
      `${said[0]} vs ${savedBytes(destination)}`,
    );
    assert.ok(!existsSync(join(destination, "..", LOCK_FILE)), "the lock was released");
    assert.ok(savedBytes(destination) >= MIB, "the partial state was saved on the way out");
    bed.hub.clearFaults();

    const rerun = await bed.cli(["download", BIG.id, "--dir", dir]);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stderr, /resuming/);
  });
});
