import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { parseModelVariant } from "../mod.ts";
import { pairedEncoders } from "../src/store/model_variant.ts";

describe("parseModelVariant", () => {
  it("parses the full RKLLM naming pattern", () => {
    assert.deepEqual(
      parseModelVariant("Qwen2.5-0.5B-Instruct-rk3588-w8a8-opt-0-hybrid-ratio-0.0.rkllm"),
      {
        baseModel: "Qwen2.5-0.5B-Instruct",
        platform: "rk3588",
        quantization: "w8a8",
        optimization: 0,
        hybridRatio: 0,
      },
    );
    assert.deepEqual(
      parseModelVariant("TinyLlama-1.1B-Chat-v1.0-rk3588-w8a8-opt-0-hybrid-ratio-0.5.rkllm"),
      {
        baseModel: "TinyLlama-1.1B-Chat-v1.0",
        platform: "rk3588",
        quantization: "w8a8",
        optimization: 0,
        hybridRatio: 0.5,
      },
    );
  });

  it("parses grouped quantisations, other chips and extra suffixes", () => {
    assert.deepEqual(
      parseModelVariant(
        "DeepSeek-R1-Distill-Qwen-1.5B-rk3576-w4a16_g128-opt-1-hybrid-ratio-1.0-ctx4096.rkllm",
      ),
      {
        baseModel: "DeepSeek-R1-Distill-Qwen-1.5B",
        platform: "rk3576",
        quantization: "w4a16_g128",
        optimization: 1,
        hybridRatio: 1,
        suffix: "ctx4096",
      },
    );
    const withRuntime = parseModelVariant("Phi-3-mini-rk3588-1.2.0-w8a8.rkllm");
    assert.equal(withRuntime.platform, "rk3588");
    assert.equal(withRuntime.quantization, "w8a8");
    assert.equal(withRuntime.baseModel, "Phi-3-mini");
    assert.equal(withRuntime.suffix, "1.2.0");
    assert.equal(parseModelVariant("model_RV1126B_W4A16.rkllm").platform, "rv1126b");
  });

  it("leaves out what the name does not say, and never throws", () => {
    assert.deepEqual(parseModelVariant("my-model.rkllm"), {});
    assert.deepEqual(parseModelVariant(""), {});
    assert.deepEqual(parseModelVariant("qwen-w8a8.rkllm"), {
      baseModel: "qwen",
      quantization: "w8a8",
    });
    assert.equal(
      parseModelVariant("rk35880-model.rkllm").platform,
      undefined,
      "rk35880 is not rk3588",
    );
    assert.equal(parseModelVariant("subdir/x-rk3562-w8a8_g256.rkllm").quantization, "w8a8_g256");
  });

  it("parses names off the pattern: _-separated, group sizes, the chip anywhere, suffixes", () => {
    assert.deepEqual(parseModelVariant("DeepSeek-R1-Distill-Qwen-1.5B_w8a8_g128_rk3588.rkllm"), {
      baseModel: "DeepSeek-R1-Distill-Qwen-1.5B",
      platform: "rk3588",
      quantization: "w8a8_g128",
    });
    assert.deepEqual(
      parseModelVariant("Qwen3-1.7B-rk3588-w8a8-opt-0-hybrid-ratio-0.0-16k.rkllm"),
      {
        baseModel: "Qwen3-1.7B",
        platform: "rk3588",
        quantization: "w8a8",
        optimization: 0,
        hybridRatio: 0,
        suffix: "16k",
      },
    );
    assert.deepEqual(parseModelVariant("Qwen2.5-3B-abliterated-16k-rk3588.rkllm"), {
      baseModel: "Qwen2.5-3B-abliterated-16k",
      platform: "rk3588",
    });
    assert.deepEqual(parseModelVariant("internvl3_5-2b-instruct_w8a8_rk3588.rkllm"), {
      baseModel: "internvl3_5-2b-instruct",
      platform: "rk3588",
      quantization: "w8a8",
    });
    assert.deepEqual(parseModelVariant("Qwen_rk3576_w4a16_g64_opt_1_hybrid_ratio_0.5.rkllm"), {
      baseModel: "Qwen",
      platform: "rk3576",
      quantization: "w4a16_g64",
      optimization: 1,
      hybridRatio: 0.5,
    });
    assert.deepEqual(parseModelVariant("x-w8a8-opt-1-RK3562.rkllm"), {
      baseModel: "x",
      platform: "rk3562",
      quantization: "w8a8",
      optimization: 1,
    });
    assert.deepEqual(parseModelVariant("internvl3_5-2b_vision_rk3576.rknn"), {
      baseModel: "internvl3_5-2b_vision",
      platform: "rk3576",
    });
  });
});

describe("pairedEncoders", () => {
  const encoders = ["vl_vision_rk3588.rknn", "vl_vision_rk3576.rknn", "config.json"];

  it("pairs a model with the .rknn files for its chip", () => {
    assert.deepEqual(pairedEncoders("vl-instruct_w8a8_rk3576.rkllm", encoders), [
      "vl_vision_rk3576.rknn",
    ]);
  });

  it("pairs it with all of them when none names its chip, or it names no chip", () => {
    assert.deepEqual(pairedEncoders("vl-instruct_w8a8_rk3562.rkllm", encoders), [
      "vl_vision_rk3588.rknn",
      "vl_vision_rk3576.rknn",
    ]);
    assert.deepEqual(pairedEncoders("vl-instruct.rkllm", encoders), [
      "vl_vision_rk3588.rknn",
      "vl_vision_rk3576.rknn",
    ]);
    assert.deepEqual(pairedEncoders("plain-rk3588-w8a8.rkllm", ["config.json"]), []);
  });
});
