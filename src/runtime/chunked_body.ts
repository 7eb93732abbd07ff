/**
 * A body stream that also hands its chunks on directly, without the web
 * stream's promises per chunk, to a reader that asks before anyone read it.
 *
 * @module
 */

/** Reads a body chunk by chunk. */
export interface ChunkReader {
  /** The next chunk, valid until the next call; `done` at the end. */
  read(): Promise<{ done: boolean; value?: Uint8Array }>;
  /** Stops reading and releases the connection. */
  cancel(): Promise<void>;
}

/**
 * A web stream over a {@linkcode ChunkReader}, which a reader may also take as
 * it is. Read as a stream (`text()`, `arrayBuffer()`, a stream reader), each
 * chunk is the stream's own: with `reusesChunks`, copied out of the buffer the
 * source fills again on its next read.
 */
export class ChunkedBody extends ReadableStream<Uint8Array> {
  #source: ChunkReader;

  /** A stream of what `source` reads. */
  constructor(source: ChunkReader, options: { reusesChunks?: boolean } = {}) {
    const own = options.reusesChunks === true;
    super({
      async pull(controller) {
        const { done, value } = await source.read();
        if (done || !value) controller.close();
        else controller.enqueue(own ? value.slice() : value);
      },
      cancel: () => source.cancel(),
    }, { highWaterMark: 0 });
    this.#source = source;
  }

  /** The chunk reader itself, unless the stream is read already; the stream is then locked. */
  takeChunkReader(): ChunkReader | undefined {
    if (this.locked) return undefined;
    this.getReader();
    return this.#source;
  }
}
