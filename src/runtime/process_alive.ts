/**
 * Whether a process id is alive, through `node:process` (available on every runtime).
 *
 * @module
 */
import process from "node:process";
import { errorCodeOf } from "./runtime.ts";

/** Answers whether a process with `pid` exists on this machine (signal 0 probe). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCodeOf(error) === "EPERM";
  }
}
