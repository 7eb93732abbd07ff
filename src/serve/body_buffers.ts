/**
 * The buffers bodies are sent from: each body reads and writes through one
 * buffer of its own, sized when it starts by how many bodies are being sent.
 *
 * @module
 */

/**
 * A body's buffer while few are sent: large enough that the work per read and
 * write is small beside the bytes (8 clients: 256 KiB cost 0.42-0.46 CPU
 * seconds per GiB on Deno, 512 KiB 0.31-0.32, and 1 MiB no less while raising
 * the Node bundle's memory with 50 clients from 97 to 102 MB).
 */
const FULL_CHUNK_BYTES = 512 * 1024;
/** A body's buffer while many are sent: the clients share the link anyway. */
const SHARED_CHUNK_BYTES = 64 * 1024;
/** How many bodies get a full buffer (4 MiB together); those beyond get a shared-size one. */
const FULL_BODIES = 8;

/**
 * Hands out body buffers so that their memory stays a few MiB however many
 * clients download (50 clients: 6.6 MiB, not 25), while a few fast clients
 * still get the large buffers that keep CPU per GiB low.
 */
export class BodyBuffers {
  #sending = 0;

  /** How many bodies are being sent. */
  get sending(): number {
    return this.#sending;
  }

  /** A buffer for a body of `length` bytes; {@linkcode release} it when the body ends. */
  take(length: number): Uint8Array {
    this.#sending++;
    const size = this.#sending > FULL_BODIES ? SHARED_CHUNK_BYTES : FULL_CHUNK_BYTES;
    return new Uint8Array(Math.max(1, Math.min(size, length)));
  }

  /** Tells that a body taken earlier has ended. */
  release(): void {
    this.#sending = Math.max(0, this.#sending - 1);
  }
}
