/**
 * The buffers bodies are sent from: each body reads and writes through one
 * buffer of its own, sized when it starts by how many bodies are being sent.
 *
 * @module
 */
/**
 * Hands out body buffers so that their memory stays a few MiB however many
 * clients download (50 clients: 6.6 MiB, not 25), while a few fast clients
 * still get the large buffers that keep CPU per GiB low.
 */
export declare class BodyBuffers {
    #private;
    /** How many bodies are being sent. */
    get sending(): number;
    /** A buffer for a body of `length` bytes; {@linkcode release} it when the body ends. */
    take(length: number): Uint8Array;
    /** Tells that a body taken earlier has ended. */
    release(): void;
}
