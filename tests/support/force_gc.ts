/**
 * A full garbage collection on demand, for tests of what must survive one.
 *
 * @module
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Collects garbage now (Bun: `Bun.gc`; Deno and Node: V8's `gc`, exposed on first use). */
export function forceGc(): void {
  const bun = (globalThis as { Bun?: { gc(force: boolean): void } }).Bun;
  if (bun) return bun.gc(true);
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}
