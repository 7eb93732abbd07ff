import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { chipOfCompatible, detectBoardChip } from "../src/runtime/board.ts";
import { RuntimeDetector } from "../src/runtime/detect_runtime.ts";
import { chooseModelFile } from "../src/manager/choose_model_file.ts";
import { PLATFORMS } from "../src/store/model_variant.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

describe("board detection", () => {
  it("reads the chip from a device tree's compatible list", () => {
    assert.equal(chipOfCompatible("radxa,rock-5b\0rockchip,rk3588\0", PLATFORMS), "rk3588");
    assert.equal(chipOfCompatible("xunlong,orangepi-5\0rockchip,rk3588s\0", PLATFORMS), "rk3588");
    assert.equal(chipOfCompatible("rockchip,rk3576-evb\0rockchip,rk3576\0", PLATFORMS), "rk3576");
    assert.equal(chipOfCompatible("raspberrypi,5-model-b\0brcm,bcm2712\0", PLATFORMS), undefined);
    assert.equal(chipOfCompatible("rockchip,rk3399\0", PLATFORMS), undefined);
  });

  it("answers undefined where there is no device tree, and the chip from a fake one", async () => {
    const dir = makeTempDir();
    try {
      const runtime = RuntimeDetector.current();
      const path = join(dir, "compatible");
      writeFileSync(path, "friendlyarm,nanopi-r6s\0rockchip,rk3588s\0");
      assert.equal(await detectBoardChip(runtime, PLATFORMS, { path }), "rk3588");
      const missing = join(dir, "missing");
      assert.equal(await detectBoardChip(runtime, PLATFORMS, { path: missing }), undefined);
    } finally {
      removeDir(dir);
    }
  });

  it("prefers the board's chip among several variants, and files naming no chip still qualify", () => {
    const file = (path: string) => ({ path, size: 1, lfs: true });
    const files = [file("m-rk3576-w8a8.rkllm"), file("m-rk3588-w8a8.rkllm")];
    assert.equal(
      chooseModelFile("o/n", files, { preferPlatform: "rk3588" }).path,
      "m-rk3588-w8a8.rkllm",
    );
    assert.equal(
      chooseModelFile("o/n", [files[0], file("m-w8a8.rkllm")], {
        preferPlatform: "rk3588",
      }).path,
      "m-w8a8.rkllm",
    );
    assert.equal(
      chooseModelFile("o/n", [files[0]], { preferPlatform: "rk3588" }).path,
      "m-rk3576-w8a8.rkllm",
      "a preference never leaves nothing to choose",
    );
    assert.throws(() =>
      chooseModelFile("o/n", [...files, file("m-rk3588-w4a16.rkllm")], {
        preferPlatform: "rk3588",
      })
    );
  });
});
