/**
 * Downloads one file through the library of the tree it sits in and prints the
 * `done` event as JSON (its `rereadBytes`: what was left to hash after the last byte).
 *
 * ```sh
 * node bench/reread_probe.ts <endpoint> <repo> <file> <dir>
 * ```
 *
 * @module
 */
import process from "node:process";
import { ModelManager } from "../mod.ts";
import type { DownloadEvent } from "../mod.ts";

const [endpoint, repo, file, dir] = process.argv.slice(2);
const done: DownloadEvent[] = [];
const manager = new ModelManager({
  endpoint,
  modelsDir: dir,
  onProgress: (event) => {
    if (event.event === "done" && event.file === file) done.push(event);
  },
});
await manager.downloadWithPlan(repo, file);
console.log(JSON.stringify(done[0]));
