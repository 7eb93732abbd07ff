/**
 * Symbolic links planted in a models directory that someone else can write to
 * (a shared `/data/models` on a board, a mirror's store): nothing outside the
 * store is ever created, written or deleted through them, and `list`, `remove`
 * and `clean` report them. The models directory itself may be a link.
 */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { QWEN, QWEN_FILE } from "./support/fixtures.ts";
import { finished, parseJson } from "./support/cli_process.ts";
import { pathIn } from "./support/download_harness.ts";
import { useHubTestBed } from "./support/hub_test_bed.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";
import { RuntimeDetector } from "../src/runtime/detect_runtime.ts";
import { errorCodeOf, type OpenOptions } from "../src/runtime/runtime.ts";
import { writeFileAtomic } from "../src/store/atomic_write.ts";

const STORAGE_EXIT = 7;
const [OWNER, NAME] = QWEN.id.split("/");

/** A fresh models directory and, beside it, a directory outside the store. */
function storeAndOutside(bed: ReturnType<typeof useHubTestBed>) {
  const models = bed.newDir();
  const outside = bed.newDir("outside");
  mkdirSync(join(models, OWNER, NAME), { recursive: true });
  mkdirSync(outside, { recursive: true });
  return { models, outside, repoDir: join(models, OWNER, NAME) };
}

/** The files below `dir`, with their contents, to show nothing changed there. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[path] = readFileSync(path, "utf8");
  }
  return files;
}

describe("symbolic links planted in the store", () => {
  const bed = useHubTestBed({ repos: [QWEN] });

  it("never creates the target of a dangling link planted as the model's .part file", async () => {
    const { models, outside, repoDir } = storeAndOutside(bed);
    const target = join(outside, "created-through-the-link");
    symlinkSync(target, join(repoDir, `${QWEN_FILE}.part`));
    const result = await bed.cli(["download", QWEN.id, "--dir", models]);
    assert.equal(result.code, STORAGE_EXIT, result.stderr);
    assert.match(result.stderr, /\.part for .+: it is a symbolic link, and rkllm-models never/);
    assert.ok(!existsSync(target), "nothing was created outside the store");
  });

  it("never truncates nor writes a file outside that the .part file links to", async () => {
    const { models, outside, repoDir } = storeAndOutside(bed);
    const precious = join(outside, "precious.txt");
    writeFileSync(precious, "the user's precious file");
    symlinkSync(precious, join(repoDir, `${QWEN_FILE}.part`));
    const result = await bed.cli(["download", QWEN.id, "--dir", models, "--json"]);
    assert.equal(result.code, STORAGE_EXIT, result.stderr);
    assert.equal(parseJson(result.stdout).error.code, "storage");
    assert.equal(readFileSync(precious, "utf8"), "the user's precious file");
    assert.ok(lstatSync(join(repoDir, `${QWEN_FILE}.part`)).isSymbolicLink(), "the link is kept");
  });

  it("refuses a planted lock file link instead of following it", async () => {
    const { models, outside, repoDir } = storeAndOutside(bed);
    const target = join(outside, "lock-target");
    symlinkSync(target, join(repoDir, ".rkllm-models.lock"));
    const child = bed.startCli(["download", QWEN.id, "--dir", models]);
    // Following a dangling lock link waits forever for a holder that is not there.
    const deadline = setTimeout(() => child.kill("SIGKILL"), 90_000);
    const result = await finished(child).finally(() => clearTimeout(deadline));
    assert.notEqual(result.code, 137, "still waiting for the lock after 90 s");
    assert.equal(result.code, STORAGE_EXIT, result.stderr);
    assert.match(result.stderr, /take the lock .+: it is a symbolic link/);
    assert.ok(!existsSync(target));
  });

  it("refuses to write into a symlinked owner directory, and list, remove and clean report it", async () => {
    const models = bed.newDir();
    const outside = bed.newDir("outside");
    mkdirSync(join(outside, NAME), { recursive: true });
    writeFileSync(join(outside, NAME, "config.json"), "the user's config");
    writeFileSync(join(outside, NAME, "own-rk3588-w8a8.rkllm"), "the user's model");
    mkdirSync(models);
    symlinkSync(outside, join(models, OWNER));
    const before = snapshot(outside);

    const download = await bed.cli(["download", QWEN.id, "--dir", models]);
    assert.equal(download.code, STORAGE_EXIT, download.stderr);
    assert.ok(
      download.stderr.includes(`write into ${join(models, OWNER)}: it is a symbolic link`),
      download.stderr,
    );
    await assertReportedAndUntouched(bed, models, join(models, OWNER), OWNER);
    assert.deepEqual(snapshot(outside), before, "nothing outside was written or deleted");
  });

  it("refuses to write into a symlinked repo directory, and list, remove and clean report it", async () => {
    const models = bed.newDir();
    const outside = bed.newDir("outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "config.json"), "the user's config");
    writeFileSync(join(outside, QWEN_FILE), "the user's own copy");
    mkdirSync(join(models, OWNER), { recursive: true });
    symlinkSync(outside, join(models, OWNER, NAME));
    const before = snapshot(outside);

    const download = await bed.cli(["download", QWEN.id, "--dir", models]);
    assert.equal(download.code, STORAGE_EXIT, download.stderr);
    assert.ok(
      download.stderr.includes(`write into ${join(models, OWNER, NAME)}: it is a symbolic link`),
      download.stderr,
    );
    await assertReportedAndUntouched(bed, models, join(models, OWNER, NAME), QWEN.id);
    assert.deepEqual(snapshot(outside), before, "nothing outside was written or deleted");
  });

  it("works in a models directory that is itself a link, as a store on another disk is", async () => {
    const real = bed.newDir("other-disk");
    mkdirSync(real);
    const models = bed.newDir("models-link");
    symlinkSync(real, models);
    const download = await bed.cli(["download", QWEN.id, "--dir", models, "--json"]);
    assert.equal(download.code, 0, download.stderr);
    assert.ok(existsSync(pathIn(real, QWEN, QWEN_FILE)), "the model is on the other disk");
    const list = await bed.cli(["list", "--dir", models, "--json"]);
    assert.equal(parseJson(list.stdout).length, 1);
    assert.doesNotMatch(list.stderr, /symbolic link/);
    const clean = await bed.cli(["clean", "--yes", "--dir", models, "--json"]);
    assert.equal(clean.code, 0, clean.stderr);
    assert.deepEqual(parseJson(clean.stdout).leftAlone, []);
    assert.deepEqual(readdirSync(real), []);
    assert.ok(lstatSync(models).isSymbolicLink(), "the models directory link stays");
  });
});

describe("the runtime adapter's writes", () => {
  it("never open a symbolic link for writing, dangling or not, and atomic writes replace the link", async () => {
    const runtime = RuntimeDetector.current();
    const root = makeTempDir();
    try {
      const precious = join(root, "precious.txt");
      writeFileSync(precious, "precious");
      symlinkSync(precious, join(root, "to-existing"));
      symlinkSync(join(root, "nowhere"), join(root, "dangling"));
      const attempts: [string, OpenOptions][] = [
        ["to-existing", { write: true }],
        ["to-existing", { write: true, create: true }],
        ["to-existing", { write: true, create: true, truncate: true }],
        ["dangling", { write: true, create: true }],
        ["dangling", { write: true, createNew: true }],
      ];
      for (const [name, options] of attempts) {
        await assert.rejects(runtime.open(join(root, name), options), (error: unknown) => {
          assert.match(errorCodeOf(error) ?? "", /^(ELOOP|EEXIST)$/, String(error));
          return true;
        });
      }
      assert.equal(readFileSync(precious, "utf8"), "precious");
      assert.ok(!existsSync(join(root, "nowhere")));
      await writeFileAtomic(runtime, { path: join(root, "to-existing"), data: "replaced" });
      assert.equal(readFileSync(join(root, "to-existing"), "utf8"), "replaced");
      assert.ok(!lstatSync(join(root, "to-existing")).isSymbolicLink());
      assert.equal(readFileSync(precious, "utf8"), "precious");
    } finally {
      removeDir(root);
    }
  });
});

/** `list` notes the link, `remove` names it, `clean` lists it as left alone and follows nothing. */
async function assertReportedAndUntouched(
  bed: ReturnType<typeof useHubTestBed>,
  models: string,
  link: string,
  query: string,
): Promise<void> {
  const list = await bed.cli(["list", "--dir", models]);
  assert.equal(list.code, 0, list.stderr);
  assert.ok(list.stderr.includes(`left alone: ${link} is a symbolic link`), list.stderr);

  const remove = await bed.cli(["remove", query, "--dir", models]);
  assert.equal(remove.code, STORAGE_EXIT, remove.stderr);
  assert.ok(remove.stderr.includes(`${link} is a symbolic link`), remove.stderr);

  const clean = await bed.cli(["clean", "--yes", "--dir", models, "--json"]);
  assert.equal(clean.code, 0, clean.stderr);
  const report = parseJson(clean.stdout);
  assert.deepEqual(report.removedFiles, []);
  assert.deepEqual(report.leftAlone, [{ path: link, kind: "symlink", size: 0 }]);
  assert.ok(lstatSync(link).isSymbolicLink(), "the link itself stays");
}
