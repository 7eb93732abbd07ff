/**
 * `scripts/setup_python.sh` (the first step of `npm test`) on a machine whose Python package
 * index cannot be reached: it says what failed and names the switch that skips the referee tests,
 * leaves the reason for them to skip with and lets the run go on; where the referee is required
 * (.ci/run) it fails; with the switch set it installs nothing.
 */
import { after, describe } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { ROOT } from "./support/cli_process.ts";
import { deadEndpoint } from "./support/dead_endpoint.ts";
import { skipWhen } from "./support/skips.ts";
import { makeTempDir, removeDir } from "./support/temp_dir.ts";
import { it } from "./support/test_timeout.ts";

const SCRIPT = join(ROOT, "scripts", "setup_python.sh");

/** Whether `python3` can make a venv here (else the script would reach for apt-get). */
function canMakeVenv(): boolean {
  try {
    execFileSync("python3", ["-c", "import ensurepip, venv"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Runs the script with `env` over a pip configuration-free environment; killed after 2 min. */
function setupPython(
  env: Record<string, string>,
): Promise<{ code: number; stderr: string }> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) =>
      !/^(PIP_|SKIP_PYTHON_REFEREE$|RKLLM_PYTHON_VENV$|RKLLM_REQUIRE_PYTHON_REFEREE$)/.test(name)
    ),
  );
  return new Promise((resolve) => {
    execFile("bash", [SCRIPT], {
      env: { ...base, PIP_CONFIG_FILE: "/dev/null", PIP_DEFAULT_TIMEOUT: "10", ...env },
      timeout: 120_000,
      killSignal: "SIGKILL",
    }, (error, _stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 137) : 0;
      resolve({ code, stderr });
    });
  });
}

describe("setup:python without a reachable Python package index", () => {
  const root = makeTempDir("rkllm-setup-python-");
  after(() => removeDir(root));

  const unreachable = skipWhen(
    "tests/setup_python_test.ts (unreachable index)",
    !canMakeVenv() && "needs python3 with venv and ensurepip",
  );

  it("says what failed, names SKIP_PYTHON_REFEREE=1, leaves the reason and goes on (exit 0)", {
    skip: unreachable,
  }, async () => {
    const venv = join(root, "unreachable");
    const result = await setupPython({
      PIP_INDEX_URL: `${await deadEndpoint()}/simple`,
      RKLLM_PYTHON_VENV: venv,
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /pip cannot install huggingface_hub/);
    assert.match(result.stderr, /SKIP_PYTHON_REFEREE=1/);
    assert.ok(!existsSync(join(venv, "bin", "python")), "the failed venv is removed");
    assert.match(
      readFileSync(join(venv, "UNAVAILABLE"), "utf8"),
      /^setup:python could not install huggingface_hub: pip cannot install/,
    );
  });

  it("fails with exit 3 where the referee is required (RKLLM_REQUIRE_PYTHON_REFEREE=1)", {
    skip: unreachable,
  }, async () => {
    const venv = join(root, "required");
    const result = await setupPython({
      PIP_INDEX_URL: `${await deadEndpoint()}/simple`,
      RKLLM_PYTHON_VENV: venv,
      RKLLM_REQUIRE_PYTHON_REFEREE: "1",
    });
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /SKIP_PYTHON_REFEREE=1/);
    assert.ok(!existsSync(join(venv, "bin", "python")), "the failed venv is removed");
  });

  it("with SKIP_PYTHON_REFEREE=1 installs nothing and exits 0", async () => {
    const venv = join(root, "skipped");
    const result = await setupPython({
      PIP_INDEX_URL: `${await deadEndpoint()}/simple`,
      RKLLM_PYTHON_VENV: venv,
      SKIP_PYTHON_REFEREE: "1",
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /SKIP_PYTHON_REFEREE=1/);
    assert.ok(!existsSync(venv));
  });
});
