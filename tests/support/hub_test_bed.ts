/**
 * The loopback Hub and scratch directory that the tests of one `describe` block
 * share, with the CLI pointed at that Hub.
 *
 * @module
 */
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { after, before, beforeEach } from "node:test";
import { type CliResult, runCli, startCli } from "./cli_process.ts";
import {
  type HubServer,
  type HubServerOptions,
  type RequestRecord,
  startHubServer,
} from "./hub_server.ts";
import { makeTempDir, removeDir } from "./temp_dir.ts";

/** Environment variables for a CLI process; `undefined` unsets one. */
export type Environment = Record<string, string | undefined>;

/**
 * A running loopback Hub, a scratch directory and the CLI aimed at both. The
 * functions do not depend on `this`, so a test may destructure them.
 */
export interface HubTestBed {
  /** The running Hub (from the first test of the block on). */
  readonly hub: HubServer;
  /** A scratch directory, the CLI's working directory, removed after the block. */
  readonly root: string;
  /** A fresh path below {@linkcode HubTestBed.root} (`models-N`, or `<prefix>-N`), not created. */
  newDir(prefix?: string): string;
  /** Runs `cleanup` after the block's tests, before `root` is removed (e.g. to unmount a disk). */
  defer(cleanup: () => void): void;
  /**
   * Runs the CLI to completion with `HF_ENDPOINT` set to the Hub, in `root`;
   * `env` adds to or overrides the environment, `options.input` is written to stdin.
   */
  cli(args: string[], env?: Environment, options?: { input?: string }): Promise<CliResult>;
  /** Starts the CLI as {@linkcode HubTestBed.cli} runs it, for tests that kill or race it. */
  startCli(args: string[], env?: Environment): ChildProcess;
  /**
   * Runs the CLI as {@linkcode HubTestBed.cli} does and answers what it did and
   * which requests reached `server` (default: the Hub) meanwhile.
   */
  observed(
    args: string[],
    env?: Environment,
    server?: HubServer,
  ): Promise<CliResult & { requests: RequestRecord[] }>;
}

/**
 * Sets up a {@linkcode HubTestBed} for the `describe` block it is called in: it
 * registers hooks that start the Hub and make the scratch directory before the
 * block's tests, remove the faults left by a test before the next one, and close
 * the Hub and remove the directory after them.
 *
 * @param options What the Hub serves.
 * @param settings `env`: variables every CLI run gets (before a test's own).
 * @example
 * ```ts ignore
 * describe("downloads", () => {
 *   const bed = useHubTestBed({ repos: [sampleRepo()] });
 *   it("downloads a model", async () => {
 *     const result = await bed.cli(["download", sampleRepo().id, "--dir", bed.newDir()]);
 *     assert.equal(result.code, 0);
 *   });
 * });
 * ```
 */
export function useHubTestBed(
  options: HubServerOptions,
  settings: { env?: Environment } = {},
): HubTestBed {
  let hub: HubServer | undefined;
  let root: string | undefined;
  let count = 0;
  const cleanups: (() => void)[] = [];
  before(async () => {
    hub = await startHubServer(options);
    root = makeTempDir();
  });
  beforeEach(() => hub?.clearFaults());
  after(async () => {
    await hub?.close();
    cleanups.forEach((cleanup) => cleanup());
    if (root) removeDir(root);
  });

  function started(): { hub: HubServer; root: string } {
    if (!hub || !root) throw new Error("use the test bed inside a test, after its block started");
    return { hub, root };
  }
  function cliOptions(env: Environment = {}): { env: Environment; cwd: string } {
    const bed = started();
    return { env: { HF_ENDPOINT: bed.hub.endpoint, ...settings.env, ...env }, cwd: bed.root };
  }
  async function cli(
    args: string[],
    env?: Environment,
    { input }: { input?: string } = {},
  ): Promise<CliResult> {
    return await runCli(args, { ...cliOptions(env), input });
  }

  return {
    get hub() {
      return started().hub;
    },
    get root() {
      return started().root;
    },
    newDir: (prefix = "models") => join(started().root, `${prefix}-${count++}`),
    defer(cleanup) {
      cleanups.push(cleanup);
    },
    cli,
    startCli: (args, env) => startCli(args, cliOptions(env)),
    async observed(args, env, server = started().hub) {
      const before = server.requests.length;
      const result = await cli(args, env);
      return { ...result, requests: server.requests.slice(before) };
    },
  };
}
