/**
 * Hashing while downloading: a file whose bytes arrive in order is hashed as
 * they land, so once the last byte arrived nothing is read back from disk to
 * check it (the `done` event counts the bytes read back, `rereadBytes`). A
 * regression to a full read-back at the end shows up there.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import type { DownloadEvent } from "../mod.ts";
import { bytesOf } from "./support/fixtures.ts";
import {
  assertSameBytes,
  BIG,
  BIG_FILE,
  managerFor,
  pathIn,
  resetOnceAfter,
} from "./support/download_harness.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";

const MIB = 1024 * 1024;
/** Several planned pieces, taken one after another by a single connection: bytes arrive in order. */
const IN_ORDER = { connections: 1, parallelThreshold: MIB };

function doneOf(events: DownloadEvent[], file: string): Extract<DownloadEvent, { event: "done" }> {
  const done = events.find((event) => event.event === "done" && event.file === file);
  assert.ok(done?.event === "done", `a done event for ${file}`);
  return done;
}

describe("hashing a file as it downloads", () => {
  const bed = useHubTestBed({ repos: [BIG] });

  it("reads nothing back once the last byte of an in-order download arrived", async () => {
    const dir = bed.newDir();
    const { manager, events } = managerFor(bed.hub, dir);
    await manager.downloadModel(BIG.id, undefined, IN_ORDER);
    assertSameBytes(pathIn(dir, BIG, BIG_FILE), bytesOf(BIG, BIG_FILE), "the model");
    const starts = events.filter((event) => event.event === "start" && event.file === BIG_FILE);
    assert.ok(starts.length === 1 && starts[0].event === "start" && starts[0].connections === 1);
    assert.equal(doneOf(events, BIG_FILE).rereadBytes, 0, "every byte was hashed as it landed");
    assert.ok(!events.some((event) => event.event === "verify"), "no verify pass");
  });

  it("reads nothing back when a retry continues an in-order download", async () => {
    const dir = bed.newDir();
    // The connection drops after 1 MiB (part of a write batch lost with it); the retry
    // continues from the bytes on disk, still in order.
    bed.hub.addFault({ ...resetOnceAfter(MIB + 100_000), pathIncludes: BIG_FILE });
    const { manager, events } = managerFor(bed.hub, dir);
    await manager.downloadModel(BIG.id, undefined, IN_ORDER);
    assertSameBytes(pathIn(dir, BIG, BIG_FILE), bytesOf(BIG, BIG_FILE), "the model");
    assert.ok(events.some((event) => event.event === "retry"), "the reset was retried");
    assert.equal(doneOf(events, BIG_FILE).rereadBytes, 0, "every byte was hashed as it landed");
  });
});
