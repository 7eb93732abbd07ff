/**
 * An in-memory partial file for the focused engine tests: it keeps what was
 * written, what a flush made durable, and counts reads; a test can hold a
 * flush until it releases it, or make writes and reads fail.
 *
 * @module
 */
import type { FileHandle } from "../../src/runtime/runtime.ts";

/** A gate a test opens: `wait()` resolves once `open()` is called. */
export interface Gate {
  /** Resolves when the gate opens. */
  wait(): Promise<void>;
  /** Opens the gate. */
  open(): void;
  /** Resolves when something waits at the gate. */
  reached: Promise<void>;
}

/** A closed gate. */
export function gate(): Gate {
  let open!: () => void;
  let reach!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const reached = new Promise<void>((resolve) => (reach = resolve));
  return {
    wait: () => {
      reach();
      return opened;
    },
    open: () => open(),
    reached,
  };
}

/** An in-memory {@linkcode FileHandle} and what happened to it. */
export class MemoryFile implements FileHandle {
  /** The bytes written so far (the file's content). */
  content = new Uint8Array(0);
  /** The content as of the last completed flush: what a crash would leave. */
  durable = new Uint8Array(0);
  /** Every write, in order. */
  writes: { position: number; length: number }[] = [];
  /** Flushes started. */
  syncs = 0;
  /** Bytes answered by reads. */
  bytesRead = 0;
  /** Held before the next flush takes its copy of the content, when set. */
  holdSync: Gate | undefined;
  /** Errors the next writes or reads fail with, when set. */
  failWrites: Error | undefined;
  failReads: Error | undefined;

  /** A file holding `initial`. */
  constructor(initial: Uint8Array = new Uint8Array(0)) {
    this.content = initial.slice();
    this.durable = initial.slice();
  }

  write(data: Uint8Array, position: number): Promise<void> {
    if (this.failWrites) return Promise.reject(this.failWrites);
    const end = position + data.length;
    if (end > this.content.length) {
      const grown = new Uint8Array(end);
      grown.set(this.content);
      this.content = grown;
    }
    this.content.set(data, position);
    this.writes.push({ position, length: data.length });
    return Promise.resolve();
  }

  read(buffer: Uint8Array, position: number): Promise<number> {
    if (this.failReads) return Promise.reject(this.failReads);
    const count = Math.max(0, Math.min(buffer.length, this.content.length - position));
    buffer.set(this.content.subarray(position, position + count));
    this.bytesRead += count;
    return Promise.resolve(count);
  }

  truncate(size: number): Promise<void> {
    const cut = new Uint8Array(size);
    cut.set(this.content.subarray(0, size));
    this.content = cut;
    return Promise.resolve();
  }

  async sync(): Promise<void> {
    this.syncs++;
    const held = this.holdSync;
    this.holdSync = undefined;
    const copy = this.content.slice();
    await held?.wait();
    this.durable = copy;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
