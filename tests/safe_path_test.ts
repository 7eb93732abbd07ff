/**
 * The one walk below a store's root: every part is looked at with `lstat`, and
 * a symbolic link at any level (`adv/small/sub -> /elsewhere`) is refused with
 * a typed error, as are paths that leave the root; the root itself may be a link.
 */
import { after, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ModelManagerError } from "../src/errors.ts";
import { RuntimeDetector } from "../src/runtime/detect_runtime.ts";
import { isNotFound } from "../src/runtime/runtime.ts";
import {
  ensureDirectoryInside,
  isLinkRefusal,
  lstatInside,
  openInside,
  readInside,
  type SafePlace,
} from "../src/store/safe_path.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

const runtime = RuntimeDetector.current();

describe("paths inside a store", () => {
  const root = makeTempDir();
  after(() => removeDir(root));
  const store = join(root, "store");
  const elsewhere = join(root, "elsewhere");
  mkdirSync(join(store, "adv", "small"), { recursive: true });
  mkdirSync(elsewhere, { recursive: true });
  writeFileSync(join(elsewhere, "secret.txt"), "secret");
  writeFileSync(join(store, "adv", "small", "config.json"), "{}");
  symlinkSync(elsewhere, join(store, "adv", "small", "sub"));
  symlinkSync(join(elsewhere, "secret.txt"), join(store, "adv", "small", "linked.json"));
  symlinkSync(store, join(root, "store-link"));

  const refusedAsLink = (error: unknown) =>
    error instanceof ModelManagerError && error.code === "storage" && isLinkRefusal(error);

  it("refuses a linked directory on the way and a linked file at the end", async () => {
    const through = { root: store, path: "adv/small/sub/secret.txt" };
    await assert.rejects(lstatInside(runtime, through), refusedAsLink);
    await assert.rejects(openInside(runtime, through), refusedAsLink);
    await assert.rejects(readInside(runtime, through), refusedAsLink);
    const linked = { root: store, path: "adv/small/linked.json" };
    await assert.rejects(openInside(runtime, linked), refusedAsLink);
  });

  it("refuses paths that would leave the root", async () => {
    for (const path of ["../elsewhere/secret.txt", "/etc/passwd", "adv//small", "adv/./small"]) {
      await assert.rejects(
        lstatInside(runtime, { root: store, path }),
        (error: unknown) => error instanceof ModelManagerError && error.code === "storage",
        path,
      );
    }
  });

  it("takes the root as given, even a link, and answers a missing file as missing", async () => {
    const place: SafePlace = { root: join(root, "store-link"), path: "adv/small/config.json" };
    assert.equal(new TextDecoder().decode(await readInside(runtime, place)), "{}");
    const missing = await lstatInside(runtime, { root: store, path: "adv/none/config.json" });
    assert.equal(missing.stat, undefined);
    await assert.rejects(
      openInside(runtime, { root: store, path: "adv/small/none.json" }),
      (error: unknown) => isNotFound(error),
    );
  });

  it("refuses a file larger than the reader allows", async () => {
    await assert.rejects(
      readInside(runtime, { root: store, path: "adv/small/config.json" }, { maxBytes: 1 }),
      (error: unknown) => error instanceof ModelManagerError && error.code === "integrity",
    );
  });

  it("creates directories one level at a time, and refuses to create one through a link", async () => {
    const made = await ensureDirectoryInside(runtime, {
      root: store,
      path: "adv/small/new/deeper",
    });
    assert.equal(made, join(store, "adv", "small", "new", "deeper"));
    await assert.rejects(
      ensureDirectoryInside(runtime, { root: store, path: "adv/small/sub/planted" }),
      (error: unknown) => error instanceof ModelManagerError && error.code === "storage",
    );
  });
});
