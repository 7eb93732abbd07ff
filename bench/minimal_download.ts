/**
 * The floor of a runtime: the least a parallel downloader can do on it — `fetch`
 * with ranged requests (two segments per connection) and positional writes
 * through `node:fs`, no state file, no retries, no hashing. What our CLI costs
 * beyond this is the engine's; the rest is the runtime's.
 *
 * ```sh
 * deno run -A bench/minimal_download.ts <url> <size> <output path> [connections]
 * node bench/minimal_download.ts <url> <size> <output path> [connections]
 * bun bench/minimal_download.ts <url> <size> <output path> [connections]
 * ```
 *
 * @module
 */
import { open } from "node:fs/promises";
import process from "node:process";

async function main(): Promise<void> {
  const [url, sizeText, output, connectionsText = "8"] = process.argv.slice(2);
  const size = Number(sizeText);
  const connections = Number(connectionsText);
  if (!output || !Number.isSafeInteger(size) || !(connections >= 1)) {
    process.stderr.write("usage: minimal_download.ts <url> <size> <output path> [connections]\n");
    process.exit(2);
  }
  const file = await open(output, "w");
  const length = Math.ceil(size / (connections * 2));
  const queue: [number, number][] = [];
  for (let start = 0; start < size; start += length) {
    queue.push([start, Math.min(size, start + length) - 1]);
  }
  const worker = async () => {
    for (let range = queue.shift(); range; range = queue.shift()) {
      const response = await fetch(url, { headers: { Range: `bytes=${range[0]}-${range[1]}` } });
      if (response.status !== 206 || !response.body) {
        throw new Error(`expected 206 with a body, got ${response.status}`);
      }
      let position = range[0];
      for await (const chunk of response.body) {
        await file.write(chunk, 0, chunk.length, position);
        position += chunk.length;
      }
      if (position !== range[1] + 1) throw new Error(`short body at ${position}`);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  await file.close();
}

if (import.meta.main) await main();
