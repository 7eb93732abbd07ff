/**
 * The `@huggingface/hub` anchor: `downloadFile` streamed into a file, the way
 * a Node user of that library saves a model.
 *
 * ```sh
 * node bench/hf_download.ts <hub url> <owner/name> <file> <output path>
 * ```
 *
 * @module
 */
import { createWriteStream } from "node:fs";
import process from "node:process";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { downloadFile } from "@huggingface/hub";

async function main(): Promise<void> {
  const [hubUrl, repo, path, output] = process.argv.slice(2);
  if (!output) {
    process.stderr.write("usage: hf_download.ts <hub url> <owner/name> <file> <output path>\n");
    process.exit(2);
  }
  const blob = await downloadFile({ repo, path, hubUrl });
  if (!blob) throw new Error(`${path} is not in ${repo}`);
  const body = Readable.fromWeb(blob.stream() as NodeReadableStream<Uint8Array>);
  await pipeline(body, createWriteStream(output));
}

if (import.meta.main) await main();
