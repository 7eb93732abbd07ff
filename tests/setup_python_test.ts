/**
 * `scripts/setup_python.sh` (the first step of `npm test`) on a machine whose Python package
 * index cannot be reached: it fails, naming the switch that skips the referee tests, and with
 * that switch set it installs nothing and lets the run go on.
 */
import { after, describe } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
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
      !/^(PIP_|SKIP_PYTHON_REFEREE$|RKLLM_PYTHON_VENV$)/.test(name)
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

  it("fails with exit 3, naming SKIP_PYTHON_REFEREE=1, and leaves no half-made venv", {
    skip: skipWhen(
      "tests/setup_python_test.ts (unreachable index)",
      !canMakeVenv() && "needs python3 with venv and ensurepip",
    ),
  }, async () => {
    const venv = join(root, "unreachable");
    const result = await setupPython({
      PIP_INDEX_URL: `${await deadEndpoint()}/simple`,
      RKLLM_PYTHON_VENV: venv,
    });
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, /SKIP_PYTHON_REFEREE=1/);
    assert.ok(!existsSync(venv), "the failed venv is removed");
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
