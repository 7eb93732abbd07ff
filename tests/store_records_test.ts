/**
 * What the store makes of what it finds on disk: registry records with wrong
 * field types, files it did not make (which `clean` leaves alone and lists), and
 * the leftovers of a killed run (removed once the model is complete again).
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { QWEN, QWEN_FILE } from "./support/fixtures.ts";
import { parseJson } from "./support/cli_process.ts";
import { managerFor, pathIn } from "./support/download_harness.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";

const RECORD_FILE = ".rkllm-models.json";

/** Downloads QWEN into a fresh store and answers the store and the record's path. */
async function downloaded(bed: ReturnType<typeof useHubTestBed>) {
  const dir = bed.newDir();
  const result = await bed.cli(["download", QWEN.id, "--dir", dir, "-q"]);
  assert.equal(result.code, 0, result.stderr);
  const recordPath = join(pathIn(dir, QWEN, QWEN_FILE), "..", RECORD_FILE);
  return { dir, recordPath, record: JSON.parse(readFileSync(recordPath, "utf8")) };
}

describe("registry records with wrong field types", () => {
  const bed = useHubTestBed({ repos: [QWEN] });

  it("lists the model with a warning instead of crashing when a date is a number", async () => {
    const { dir, recordPath, record } = await downloaded(bed);
    record.files[QWEN_FILE].downloadedAt = 1_700_000_000;
    writeFileSync(recordPath, JSON.stringify(record));
    const human = await bed.cli(["list", "--dir", dir]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /Qwen2\.5-0\.5B-Instruct/);
    assert.match(
      human.stderr,
      /warning: ignored the registry record .+: files\[".+"\]\.downloadedAt is a number, expected a string/,
    );
    const json = await bed.cli(["list", "--dir", dir, "--json"]);
    assert.equal(json.code, 0, json.stderr);
    const [model] = parseJson(json.stdout);
    assert.equal(model.recorded, false, "handled like a corrupt record");
    assert.equal(model.downloadedAt, undefined);
  });

  it("ignores records with other wrong types or paths leading out of the directory", async () => {
    const { dir, recordPath, record } = await downloaded(bed);
    const { manager, warnings } = managerFor(bed.hub, dir);
    const wrongs = [
      { ...record, files: [] },
      { ...record, revision: 7 },
      { ...record, files: { [QWEN_FILE]: { ...record.files[QWEN_FILE], size: "12" } } },
      { ...record, files: { ...record.files, "../../outside.rkllm": record.files[QWEN_FILE] } },
      { ...record, files: { [QWEN_FILE]: null } },
    ];
    for (const wrong of wrongs) {
      writeFileSync(recordPath, JSON.stringify(wrong));
      warnings.length = 0;
      const [model] = await manager.listModels();
      assert.equal(model.recorded, false, JSON.stringify(wrong).slice(0, 200));
      assert.equal(warnings.length, 1, warnings.join("\n"));
      assert.match(warnings[0], /^ignored the registry record /);
    }
    // A download rewrites the record whole.
    const again = await bed.cli(["download", QWEN.id, "--dir", dir, "-q"]);
    assert.equal(again.code, 0, again.stderr);
    warnings.length = 0;
    assert.equal((await manager.listModels())[0].recorded, true);
    assert.deepEqual(warnings, []);
  });
});
