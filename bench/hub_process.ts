/**
 * The loopback Hub emulator as its own process, so the client being measured
 * does not share its event loop. Takes the options of
 * `tests/support/hub_main.ts` and prints the same JSON line once listening;
 * then answers each stdin line `served <path part>` with one JSON line
 * `{"served": <body bytes of 2xx answers whose path holds the part>}`, and
 * `straggle <bytes per second> <path part>` with `{"straggling": true}` once the
 * next GET of a path holding the part is set to be sent at that rate (one
 * straggling connection among fast ones).
 * It exits when stdin closes, so it never outlives the benchmark.
 *
 * ```sh
 * node bench/hub_process.ts --large bench/big:model.rkllm:1G --bytes-per-second 20000000
 * ```
 *
 * @module
 */
import process from "node:process";
import { createInterface } from "node:readline";
import { parseArguments } from "../tests/support/hub_main.ts";
import { startHubServer } from "../tests/support/hub_server.ts";

async function main(): Promise<void> {
  const server = await startHubServer(parseArguments(process.argv.slice(2)));
  process.stdout.write(
    JSON.stringify({ endpoint: server.endpoint, cdnOrigin: server.cdnOrigin }) + "\n",
  );
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    const [command, part, more] = line.trim().split(/\s+/, 3);
    if (command === "served") {
      process.stdout.write(JSON.stringify({ served: server.bytesServed(part) }) + "\n");
    } else if (command === "straggle") {
      server.clearFaults();
      server.addFault({
        origin: "cdn",
        method: "GET",
        pathIncludes: more,
        times: 1,
        bytesPerSecond: Number(part),
      });
      process.stdout.write(JSON.stringify({ straggling: true }) + "\n");
    } else {
      process.stdout.write(JSON.stringify({ error: `unknown command ${command}` }) + "\n");
    }
  });
  lines.on("close", () => {
    server.close().then(() => process.exit(0));
  });
}

if (import.meta.main) await main();
