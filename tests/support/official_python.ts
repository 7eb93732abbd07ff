/**
 * Runs the official Python Hub client (`huggingface_hub`, installed in `.venv/` by
 * `scripts/setup_python.sh`) against an emulator, through `official_python.py`.
 *
 * @module
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { ROOT } from "./cli_process.ts";
import { makeTempDir, removeDir } from "./temp_dir.ts";

/** The interpreter of the virtual environment that `scripts/setup_python.sh` makes. */
export const VENV_PYTHON = join(ROOT, ".venv", "bin", "python");

/** Why `scripts/setup_python.sh` could not make `.venv/`, when it said so in this file. */
const UNAVAILABLE = join(ROOT, ".venv", "UNAVAILABLE");

/**
 * Why the tests that run the official Python client are skipped: `SKIP_PYTHON_REFEREE=1`
 * (which also makes `scripts/setup_python.sh` install nothing), or the reason that script left
 * when pip could not install the client; false when they run. A `.venv/` missing for any other
 * reason is not one: those tests then fail, saying how to make it. Pass it to `skipWhen`.
 */
export const skipPythonReferee: string | false = process.env.SKIP_PYTHON_REFEREE === "1"
  ? "SKIP_PYTHON_REFEREE=1 is set: the official Python client is not installed or run"
  : !existsSync(VENV_PYTHON) && existsSync(UNAVAILABLE) &&
    readFileSync(UNAVAILABLE, "utf8").trim();

/** What the script asks the client to do. */
export interface PythonRequest {
  /** `"owner/name"`. */
  repo: string;
  /** Files fetched one by one with `hf_hub_download`. */
  files?: string[];
  /** Also fetch the whole repository with `snapshot_download`. */
  snapshot?: boolean;
  /** Token passed to the client. */
  token?: string;
  /** List the client's `time.sleep` calls in `sleeps`, each shortened to at most 0.1 s. */
  recordSleeps?: boolean;
}

/** What the client did. */
export interface PythonAnswer {
  /** Version of `huggingface_hub`. */
  version: string;
  /** Local path of each file of `files`. */
  files: Record<string, string>;
  /** Local folder of the snapshot. */
  snapshot?: string;
  /** The waits the client asked for, in seconds (`recordSleeps` only). */
  sleeps?: number[];
  /** What failed: the exception's class, the HTTP status if any, its message. */
  error?: { type: string; status: number | null; message: string };
}

/** Options of {@link runOfficialPython}. */
export interface RunPythonOptions {
  /** `HF_HOME` of the client, where its caches go; default: a temporary folder removed afterwards. */
  home?: string;
  /** Kill the client after this long; default 60 s. */
  timeoutMs?: number;
}

const SCRIPT = fileURLToPath(new URL("./official_python.py", import.meta.url));
const ENV_DROPPED = /^(HF_|HUGGING_FACE_|HTTPS?_PROXY$|ALL_PROXY$|NO_PROXY$|PYTHON)/i;

/**
 * Run the client with `HF_ENDPOINT` set to `endpoint` and `HF_HOME` set to `options.home`, and
 * read its answer. Fails the test, saying how to install it, when `.venv/` has no Python.
 *
 * @example
 * ```ts ignore
 * const answer = await runOfficialPython(hub.endpoint, { repo: "owner/name", snapshot: true });
 * ```
 */
export async function runOfficialPython(
  endpoint: string,
  request: PythonRequest,
  options: RunPythonOptions = {},
): Promise<PythonAnswer> {
  if (!existsSync(VENV_PYTHON)) {
    assert.fail(
      `the official Python client is missing: ${VENV_PYTHON} does not exist; run ` +
        "`bash scripts/setup_python.sh` (or `npm run setup:python`) to make .venv/, " +
        "or set SKIP_PYTHON_REFEREE=1 to skip these tests",
    );
  }
  const home = options.home ?? makeTempDir("rkllm-hf-home-");
  try {
    const output = await runScript(JSON.stringify(request), {
      home,
      endpoint,
      timeoutMs: options.timeoutMs ?? 60_000,
    });
    const last = output.stdout.trim().split("\n").pop() ?? "";
    try {
      return JSON.parse(last);
    } catch {
      return assert.fail(`the Python client answered no JSON:\n${output.stdout}\n${output.stderr}`);
    }
  } finally {
    if (options.home === undefined) removeDir(home);
  }
}

function runScript(
  argument: string,
  settings: { home: string; endpoint: string; timeoutMs: number },
): Promise<{ stdout: string; stderr: string }> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !ENV_DROPPED.test(name)) env[name] = value;
  }
  Object.assign(env, {
    HF_ENDPOINT: settings.endpoint,
    HF_HOME: settings.home,
    HF_HUB_DISABLE_TELEMETRY: "1",
    HF_HUB_DISABLE_PROGRESS_BARS: "1",
    HF_HUB_DISABLE_IMPLICIT_TOKEN: "1",
    // The emulator speaks no Xet protocol (no CAS behind /xet-read-token): with Xet off, the
    // client downloads Xet-backed files over plain HTTP through the bridge URL, as any client
    // without hf_xet does.
    HF_HUB_DISABLE_XET: "1",
    HF_HUB_ETAG_TIMEOUT: "10",
    HF_HUB_DOWNLOAD_TIMEOUT: "10",
  });
  const child = spawn(VENV_PYTHON, [SCRIPT, argument], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => stdout += text);
  child.stderr.setEncoding("utf8").on("data", (text: string) => stderr += text);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), settings.timeoutMs);
    child.on("error", reject);
    child.on("close", (_code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL") {
        reject(
          new Error(`the Python client did not finish in ${settings.timeoutMs} ms:\n${stderr}`),
        );
      } else resolve({ stdout, stderr });
    });
  });
}
