/**
 * Reading a Hub answer's body in a bounded way: never more than a size cap in
 * memory, and never waiting longer than the request timeout between two chunks.
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import { formatBytes } from "../units.ts";
import { retryableError } from "./retry.ts";

/**
 * The default cap on a JSON answer: far above any real listing, far below what hurts a board.
 */
export const DEFAULT_MAX_JSON_BYTES = 64 * 1024 * 1024;

/** How to read a body. */
export interface ReadBodyOptions {
  /** The most bytes kept. */
  maxBytes: number;
  /** Give up after this long without a chunk, in milliseconds. */
  idleTimeoutMs: number;
  /** What was being done, for messages ("read the repo info"). */
  action: string;
}

/** A body read up to its cap. */
export interface BodyPrefix {
  /** The bytes read (at most `maxBytes`). */
  bytes: Uint8Array;
  /** Whether the body went on past `maxBytes` (the rest was not read). */
  truncated: boolean;
}

function idleError(options: ReadBodyOptions): ModelManagerError {
  return retryableError(
    `${options.action}: no data for ${
      Number((options.idleTimeoutMs / 1000).toFixed(1))
    } s while reading the answer`,
  );
}

async function readChunk(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  options: ReadBodyOptions,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const idle = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(idleError(options)), options.idleTimeoutMs);
  });
  try {
    return await Promise.race([reader.read(), idle]);
  } catch (error) {
    if (error instanceof ModelManagerError) throw error;
    throw retryableError(`${options.action}: the connection broke while reading the answer`, {
      cause: error,
    });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Reads at most `maxBytes` of a body, chunk by chunk, each within `idleTimeoutMs`;
 * stops (and cancels the body) as soon as the cap is passed.
 */
export async function readBodyPrefix(
  response: Response,
  options: ReadBodyOptions,
): Promise<BodyPrefix> {
  if (!response.body) return { bytes: new Uint8Array(0), truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await readChunk(reader, options);
      if (done) break;
      const room = options.maxBytes - length;
      chunks.push(value.length > room ? value.subarray(0, room) : value);
      length += Math.min(value.length, room);
      if (value.length > room) {
        truncated = true;
        break;
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { bytes, truncated };
}

function tooLarge(options: ReadBodyOptions, endpoint: string): ModelManagerError {
  return new ModelManagerError(
    "network",
    `${options.action}: the answer is larger than ${
      formatBytes(options.maxBytes)
    }, more than any Hub answer holds`,
    {
      hint: `check that ${endpoint} is a Hugging Face Hub endpoint (--endpoint / HF_ENDPOINT)`,
    },
  );
}

/**
 * Reads a whole body as text, failing with a `network` error naming the cap when
 * it is (or says it is) larger than `maxBytes`.
 */
export async function readBoundedText(
  response: Response,
  endpoint: string,
  options: ReadBodyOptions,
): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(options, endpoint);
  }
  const { bytes, truncated } = await readBodyPrefix(response, options);
  if (truncated) throw tooLarge(options, endpoint);
  return new TextDecoder().decode(bytes);
}
