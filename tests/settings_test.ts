import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  normalizeEndpoint,
  resolveEndpoint,
  resolveModelsDir,
  resolveToken,
} from "../src/config/settings.ts";
import { RuntimeDetector } from "../src/runtime/detect_runtime.ts";
import type { Runtime } from "../src/runtime/runtime.ts";
import { ModelManagerError } from "../mod.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";

/** The real runtime with a fixed environment. */
function withEnv(env: Record<string, string>): Runtime {
  return { ...RuntimeDetector.current(), env: (name: string) => env[name] };
}

describe("settings from options and the environment", () => {
  let dir: string;
  before(() => {
    dir = makeTempDir();
  });
  after(() => removeDir(dir));

  it("takes the token from --token, HF_TOKEN, HUGGING_FACE_HUB_TOKEN, HF_TOKEN_PATH, then $HF_HOME/token", async () => {
    const home = join(dir, "hf-home");
    mkdirSync(home);
    writeFileSync(join(home, "token"), "from-home\n");
    writeFileSync(join(dir, "token-path"), "from-token-path\n");
    const all = {
      HF_TOKEN: "from-hf-token",
      HUGGING_FACE_HUB_TOKEN: "from-legacy",
      HF_TOKEN_PATH: join(dir, "token-path"),
      HF_HOME: home,
    };
    assert.equal(await resolveToken(withEnv(all), "from-option"), "from-option");
    assert.equal(await resolveToken(withEnv(all)), "from-hf-token");
    assert.equal(await resolveToken(withEnv({ ...all, HF_TOKEN: "" })), "from-legacy");
    assert.equal(
      await resolveToken(withEnv({ HF_TOKEN_PATH: all.HF_TOKEN_PATH, HF_HOME: home })),
      "from-token-path",
    );
    assert.equal(await resolveToken(withEnv({ HF_HOME: home })), "from-home");
    assert.equal(await resolveToken(withEnv({ HF_HOME: join(dir, "nowhere") })), undefined);
  });

  it("takes the endpoint from the option, then HF_ENDPOINT, and checks it", () => {
    assert.equal(resolveEndpoint(withEnv({})), "https://huggingface.co");
    assert.equal(
      resolveEndpoint(withEnv({ HF_ENDPOINT: "https://hf-mirror.com/" })),
      "https://hf-mirror.com",
    );
    assert.equal(
      resolveEndpoint(withEnv({ HF_ENDPOINT: "https://x" }), "http://127.0.0.1:8080"),
      "http://127.0.0.1:8080",
    );
    assert.equal(
      normalizeEndpoint("https://proxy.example/artifactory/api/huggingfaceml/hf//"),
      "https://proxy.example/artifactory/api/huggingfaceml/hf",
    );
    for (const bad of ["not a url", "ftp://host", "file:///tmp"]) {
      assert.throws(
        () => normalizeEndpoint(bad),
        (error) => error instanceof ModelManagerError && error.code === "config",
      );
    }
  });

  it("takes the models directory from the option, then RKLLM_MODELS_DIR, then ./models", () => {
    const runtime = withEnv({ RKLLM_MODELS_DIR: "/data/models" });
    assert.equal(resolveModelsDir(runtime, "relative/dir"), join(runtime.cwd(), "relative/dir"));
    assert.equal(resolveModelsDir(runtime), "/data/models");
    assert.equal(resolveModelsDir(withEnv({})), join(runtime.cwd(), "models"));
  });
});
