import { type Clock } from "../clock.ts";
import { type Runtime } from "../runtime/runtime.ts";
/** Who holds a lock. */
export interface LockHolder {
    /** The holder's process id. */
    pid: number;
    /** The holder's host name. */
    host: string;
    /** The boot of the holder's machine, where the system says (Linux). */
    bootId?: string;
    /** When it took the lock (ISO 8601). */
    since: string;
    /** What it is doing, for the waiting user. */
    purpose?: string;
}
/** How to wait for a lock. */
export interface LockOptions {
    /** Stops waiting. */
    signal?: AbortSignal;
    /** Told once when the lock is busy, with its holder. */
    onWait?: (holder: LockHolder) => void;
    /** How often to look again, in milliseconds. */
    pollMs?: number;
    /** What the holder is doing (recorded in the lock file). */
    purpose?: string;
    /** Give up after this many milliseconds; without it, wait as long as the holder lives. */
    timeoutMs?: number;
    /** The clock it polls and times out on. */
    clock?: Clock;
}
/** A held lock. */
export interface HeldLock {
    /** Releases the lock (removes the lock file); safe to call twice. */
    release(): Promise<void>;
}
/**
 * Takes the lock at `path`, waiting while a live process holds it.
 */
export declare function acquireLock(runtime: Runtime, path: string, options?: LockOptions): Promise<HeldLock>;
