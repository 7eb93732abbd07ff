import { after, before, describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  normalizeEndpoint,
  resolveEndpoint,
  resolveModelsDir,
  resolveToken,
} from "../src/config/settings.ts";
import { readUserConfig, userConfigPath } from "../src/config/user_config.ts";
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

  it("takes the models directory from the option, RKLLM_MODELS_DIR, the user config, then the per-user default", () => {
    const runtime = withEnv({ RKLLM_MODELS_DIR: "/data/models" });
    const userConfig = { modelsDir: "/from/config" };
    assert.equal(resolveModelsDir(runtime, "relative/dir"), join(runtime.cwd(), "relative/dir"));
    assert.equal(resolveModelsDir(runtime, undefined, { userConfig }), "/data/models");
    assert.equal(resolveModelsDir(withEnv({}), undefined, { userConfig }), "/from/config");
    assert.equal(
      resolveModelsDir(withEnv({ XDG_DATA_HOME: "/xdg/data" }), undefined, { userConfig: {} }),
      "/xdg/data/rkllm-models/models",
    );
    const home = { ...withEnv({}), homeDir: () => "/home/pi" };
    assert.equal(
      resolveModelsDir(home, undefined, { userConfig: {} }),
      "/home/pi/.local/share/rkllm-models/models",
    );
    assert.equal(
      resolveModelsDir(home, undefined, { userConfig: { modelsDir: "~/models" } }),
      "/home/pi/models",
    );
  });

  it("reads the user config file from $XDG_CONFIG_HOME and refuses unknown keys", () => {
    const config = join(dir, "xdg-config");
    mkdirSync(join(config, "rkllm-models"), { recursive: true });
    const file = join(config, "rkllm-models", "config.json");
    writeFileSync(file, JSON.stringify({ endpoint: "https://hf-mirror.com", connections: 2 }));
    const runtime = withEnv({ XDG_CONFIG_HOME: config });
    assert.equal(userConfigPath(runtime), file);
    assert.deepEqual(readUserConfig(runtime), {
      endpoint: "https://hf-mirror.com",
      connections: 2,
    });
    assert.equal(resolveEndpoint(runtime), "https://hf-mirror.com");
    assert.equal(
      resolveEndpoint(withEnv({ XDG_CONFIG_HOME: config, HF_ENDPOINT: "http://x" })),
      "http://x",
    );
    writeFileSync(file, JSON.stringify({ modelDir: "/typo" }));
    assert.throws(
      () => readUserConfig(runtime),
      (error) =>
        error instanceof ModelManagerError && error.code === "config" &&
        /unknown key "modelDir"/.test(error.message),
    );
    assert.deepEqual(readUserConfig(withEnv({ XDG_CONFIG_HOME: join(dir, "none") })), {});
  });
});
