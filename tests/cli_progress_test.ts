import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { createProgressReporter, type ProgressMode } from "../src/cli/progress.ts";
import { Output } from "../src/cli/output.ts";
import type { Runtime } from "../src/runtime/runtime.ts";
import { ANSI_ESCAPE, stripAnsi } from "./support/pty.ts";
import { screenLines } from "./support/screen.ts";

/** An `Output` over a fake terminal that records what reaches stderr. */
function recordingOutput(env: Record<string, string> = { TERM: "xterm" }, tty = true) {
  const writes: string[] = [];
  const runtime = {
    isTTY: () => tty,
    env: (name: string) => env[name],
    print: (_stream: string, text: string) => {
      writes.push(text);
      return Promise.resolve();
    },
  } as unknown as Runtime;
  return { output: new Output(runtime), writes };
}

/** A clock the test moves by hand. */
function manualClock(start = 1_000_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

const MODEL = "Qwen2.5-0.5B-Instruct-rk3588-w8a8-opt-0-hybrid-ratio-0.0.rkllm";
// deno-lint-ignore no-control-regex
const FRAME_START = /\x1b\[\d+F\x1b\[J/;

/** Feeds a download of `total` bytes in `steps` progress events, `stepMs` apart. */
async function feed(
  mode: ProgressMode,
  options: { total: number; steps: number; stepMs: number; columns?: number },
) {
  const { output, writes } = recordingOutput();
  const clock = manualClock();
  const reporter = createProgressReporter(mode, output, {
    columns: options.columns ?? 100,
    now: clock.now,
  });
  reporter.handle({
    event: "start",
    file: MODEL,
    total: options.total,
    resumedBytes: 0,
    connections: 8,
  });
  reporter.handle({
    event: "start",
    file: "config.json",
    total: 200,
    resumedBytes: 0,
    connections: 1,
  });
  reporter.handle({ event: "progress", file: "config.json", bytes: 200, total: 200 });
  reporter.handle({
    event: "done",
    file: "config.json",
    total: 200,
    transferred: 200,
    skipped: false,
  });
  for (let step = 1; step <= options.steps; step++) {
    clock.advance(options.stepMs);
    const bytes = Math.round((options.total * step) / options.steps);
    reporter.handle({ event: "progress", file: MODEL, bytes, total: options.total });
  }
  reporter.handle({
    event: "done",
    file: MODEL,
    total: options.total,
    transferred: options.total,
    skipped: false,
  });
  reporter.finish();
  await output.flush();
  return { writes, elapsedMs: options.steps * options.stepMs };
}

describe("the progress reporter", () => {
  it("redraws the bars at most ten times a second however many events arrive", async () => {
    const { writes, elapsedMs } = await feed("bar", { total: 64 << 20, steps: 2000, stepMs: 1 });
    const frames = writes.join("").split(FRAME_START).length;
    assert.ok(frames >= 2, "it draws at all");
    assert.ok(
      frames <= (elapsedMs / 100) + 3,
      `${frames} frames in ${elapsedMs} ms of events`,
    );
  });

  it("draws one bar per file, whatever the number of connections, and one line for the small files", async () => {
    const columns = 90;
    const { writes } = await feed("bar", { total: 64 << 20, steps: 50, stepMs: 150, columns });
    const frames = writes.join("").split(FRAME_START).filter(Boolean);
    assert.ok(frames.length > 10);
    for (const frame of frames) {
      const lines = stripAnsi(frame).split("\n").filter(Boolean);
      assert.equal(lines.filter((line) => line === MODEL).length, 1, frame);
      const small = lines.filter((line) => line.startsWith("small files: ")).length;
      assert.ok(small === 1 || frame === frames[0], frame);
      for (const line of lines) assert.ok([...line].length < columns, `too wide: ${line}`);
    }
    const last = stripAnsi(frames[frames.length - 1]);
    assert.match(last, /^ {2}\[=+\] 100% 64\.0\/64\.0 MiB .*done in 8s$/m);
    assert.match(last, /^small files: 1 file, 200 B, done$/m);
  });

  for (const columns of [60, 80, 120]) {
    it(`keeps every name whole at ${columns} columns, and the screen shows the bars once`, async () => {
      const { writes } = await feed("bar", { total: 64 << 20, steps: 30, stepMs: 150, columns });
      // A terminal's line discipline turns "\n" into "\r\n".
      const raw = writes.join("").replaceAll("\n", "\r\n");
      const screen = screenLines(raw, columns).filter(Boolean);
      assert.equal(screen.filter((line) => line.includes(MODEL)).length, 1, screen.join("\n"));
      const others = screen.filter((line) => line !== MODEL);
      assert.ok(others.every((line) => [...line].length < columns), screen.join("\n"));
      assert.doesNotMatch(screen.join("\n"), /\S…\S/);
      // The state is whole too, with no wide gap between the percent and the size.
      assert.match(screen.join("\n"), /100% 64\.0\/64\.0 MiB +\S+ MiB\/s {2}done in \d+s/);
    });
  }

  it("writes a plain line every few seconds and one when a file is done, without escapes", async () => {
    const { writes } = await feed("plain", { total: 64 << 20, steps: 40, stepMs: 500 });
    const text = writes.join("");
    assert.doesNotMatch(text, ANSI_ESCAPE);
    const lines = text.split("\n").filter(Boolean);
    const periodic = lines.filter((line) => line.startsWith(`${MODEL}: `) && /ETA/.test(line));
    assert.equal(periodic.length, 4, text); // 20 s of events, one line per 5 s
    assert.match(
      text,
      new RegExp(
        `^downloading ${MODEL.replace(/\./g, "\\.")} \\(64\\.0 MiB, 8 connections\\)$`,
        "m",
      ),
    );
    assert.doesNotMatch(
      text,
      /^(downloading )?config\.json/m,
      "a small file has no line of its own",
    );
    assert.match(text, /^small files: config\.json \(1 file, 200 B\)$/m);
    assert.match(
      text,
      new RegExp(`^${MODEL.replace(/\./g, "\\.")}: 100% {2}64\\.0 MiB .*done in 20s$`, "m"),
    );
  });

  it("passes every event through as one JSON line, and prints nothing in none mode", async () => {
    const { writes } = await feed("json", { total: 1000, steps: 5, stepMs: 10 });
    const events = writes.join("").split("\n").filter(Boolean).map((line) => JSON.parse(line));
    assert.equal(events.length, 10); // 2 starts, config.json's progress and done, 5 progress, done
    assert.deepEqual(events[0], {
      event: "start",
      file: MODEL,
      total: 1000,
      resumedBytes: 0,
      connections: 8,
    });
    assert.deepEqual(events.at(-1), {
      event: "done",
      file: MODEL,
      total: 1000,
      transferred: 1000,
      skipped: false,
    });
    assert.deepEqual((await feed("none", { total: 1000, steps: 5, stepMs: 10 })).writes, []);
  });

  it("says who holds the lock it waits for, and which file to delete if that process is gone", async () => {
    const holder = { pid: 4321, host: "board", since: "2025-01-01T00:00:00.000Z" };
    for (const mode of ["plain", "bar"] as const) {
      const { output, writes } = recordingOutput();
      // Wide enough that the bars do not wrap the notes at spaces, as they would at 100.
      const reporter = createProgressReporter(mode, output, { columns: 200 });
      reporter.handle({ event: "wait", file: MODEL, holder, lock: "/m/o/n/.rkllm-models.lock" });
      reporter.handle({ event: "wait", file: MODEL, holder });
      reporter.finish();
      await output.flush();
      assert.deepEqual(writes.join("").split("\n").filter(Boolean), [
        "waiting for process 4321 on board, which has been downloading into this directory since 2025-01-01T00:00:00.000Z",
        "if that process is gone, delete /m/o/n/.rkllm-models.lock and run the command again",
        "waiting for process 4321 on board, which has been downloading into this directory since 2025-01-01T00:00:00.000Z",
        "if that process is gone, delete the .rkllm-models.lock file in the model's directory and run the command again",
      ], mode);
    }
  });

  it("colours only a terminal without NO_COLOR, and moves the cursor only on a terminal that is not dumb", () => {
    const colour = recordingOutput({ TERM: "xterm" });
    const noColour = recordingOutput({ TERM: "xterm", NO_COLOR: "1" });
    const emptyNoColour = recordingOutput({ TERM: "xterm", NO_COLOR: "" });
    const dumb = recordingOutput({ TERM: "dumb" });
    const pipe = recordingOutput({ TERM: "xterm" }, false);
    assert.deepEqual(
      [colour, noColour, emptyNoColour, dumb, pipe].map((
        { output },
      ) => [output.live, output.color]),
      [[true, true], [true, false], [true, true], [false, false], [false, false]],
    );
    assert.equal(noColour.output.style("x", "red"), "x");
    assert.equal(colour.output.style("x", "red"), "\x1b[31mx\x1b[0m");
  });
});
