/**
 * A `fetch`-compatible transport for the Hub's requests on Node.js (the API
 * answers, and file bodies above all): HTTP/1.1 over
 * connections that read into one reused buffer each, kept alive per origin.
 * `node:http` makes a new buffer for every read of a socket, and at download
 * speed the collector then runs a full collection every few tens of ms. On a
 * 512 MiB download this transport took CPU from 2.4 to 1.5 s and peak RSS from
 * 176 to 110 MB (BENCHMARKS.md).
 * It sends GET and HEAD only, follows no redirect and applies no proxy (for a
 * URL the proxy variables send through a proxy, Node's runtime uses `node:http`).
 *
 * @module
 */
import { ChunkedBody, type ChunkReader } from "./chunked_body.ts";
import { BodyDecoder, framingOf } from "./http1_body.ts";
import { headEndIn, MAX_HEAD_BYTES, parseHead, type ResponseHead } from "./http1_head.ts";
import { requestUrl } from "./request_url.ts";
import { SocketConnection, SocketPool } from "./socket_connection.ts";

/** Request fields the transport writes itself, or that have no meaning for it. */
const OWN_FIELDS = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "keep-alive",
  "upgrade",
  "te",
]);

const pool = new SocketPool();

/** The reused connection had been closed by the server before the answer began. */
class StaleConnection extends Error {}

/** What one exchange asks. */
interface Ask {
  url: URL;
  method: string;
  head: string;
  signal?: AbortSignal;
}

/**
 * Sends one GET or HEAD request and answers a web `Response` whose body is
 * read straight from the connection, one view of its buffer at a time (each
 * valid until the next read). A reused connection the server closed meanwhile
 * is replaced once, before any byte of the answer arrived.
 */
export async function socketFetch(
  input: RequestInfo | URL,
  init: RequestInit = {},
): Promise<Response> {
  const url = requestUrl(input);
  const method = (init.method ?? "GET").toUpperCase();
  const signal = init.signal ?? undefined;
  if (signal?.aborted) throw signal.reason;
  if (method !== "GET" && method !== "HEAD") {
    throw new TypeError(`this transport sends GET and HEAD only, not ${method}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError("fetch failed", { cause: new Error(`unsupported ${url.protocol}`) });
  }
  const ask: Ask = { url, method, head: requestHead(url, method, init.headers), signal };
  const reused = pool.take(url);
  try {
    return await exchange(reused ?? new SocketConnection(url), ask);
  } catch (error) {
    if (!(error instanceof StaleConnection)) throw error;
    return await exchange(new SocketConnection(url), ask);
  }
}

/** Closes the idle kept-alive connections. */
export function closeIdleSockets(): void {
  pool.closeIdle();
}

function requestHead(url: URL, method: string, headers: HeadersInit | undefined): string {
  const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`];
  const fields = new Headers(headers);
  // It decodes no content coding, so it asks for none (without the field, any would do).
  if (!fields.has("accept-encoding")) fields.set("accept-encoding", "identity");
  fields.forEach((value, name) => {
    if (!OWN_FIELDS.has(name)) lines.push(`${name}: ${value}`);
  });
  return `${lines.join("\r\n")}\r\n\r\n`;
}

async function exchange(connection: SocketConnection, ask: Ask): Promise<Response> {
  const { signal } = ask;
  const onAbort = () => connection.destroy(signal!.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  let answer: { head: ResponseHead; rest: Uint8Array; decoder: BodyDecoder };
  try {
    connection.send(ask.head);
    const { head, rest } = await readHead(connection);
    if (head.status < 200 || head.status > 599) throw new Error(`status ${head.status}`);
    answer = { head, rest, decoder: new BodyDecoder(framingOf(head, ask.method)) };
  } catch (error) {
    signal?.removeEventListener("abort", onAbort);
    connection.destroy();
    if (signal?.aborted) throw signal.reason;
    if (error instanceof StaleConnection) throw error;
    throw new TypeError("fetch failed", { cause: error });
  }
  connection.answers++;
  const { head, decoder } = answer;
  const reusable = head.minorVersion === 1 && !decoder.endsAtClose &&
    !/(^|,)\s*close\s*(,|$)/i.test(head.headers.get("connection") ?? "") &&
    !(head.headers.has("transfer-encoding") && head.headers.has("content-length"));
  let released = false;
  const finish = (clean: boolean) => {
    if (released) return;
    released = true;
    signal?.removeEventListener("abort", onAbort);
    if (clean && reusable) pool.keep(connection);
    else connection.destroy();
  };
  // An empty body is done already: the connection goes back now, whether or not it is read.
  if (decoder.done) finish(answer.rest.length === 0);
  const reader = bodyReader(connection, { decoder, rest: answer.rest, finish, signal });
  const body = decoder.bodiless ? null : new ChunkedBody(reader, { reusesChunks: true });
  return new Response(body, {
    status: head.status,
    statusText: head.statusText,
    headers: head.headers,
  });
}

/**
 * Reads the final head (interim 1xx answers skipped); `rest` is what followed
 * it in the last read, a view valid until the next.
 */
async function readHead(
  connection: SocketConnection,
): Promise<{ head: ResponseHead; rest: Uint8Array }> {
  let gathered = new Uint8Array(0);
  for (;;) {
    const end = headEndIn(gathered);
    if (end > MAX_HEAD_BYTES || (end === -1 && gathered.length > MAX_HEAD_BYTES)) {
      throw new Error("the answer's head is too large");
    }
    if (end !== -1) {
      const head = parseHead(gathered.subarray(0, end));
      if (head.status >= 200 || head.status < 100) return { head, rest: gathered.subarray(end) };
      if (head.status === 101) throw new Error("the server switched protocols");
      gathered = gathered.slice(end);
      continue;
    }
    const bytes = await nextOrStale(connection, gathered.length === 0);
    if (!bytes) throw new Error("the connection closed before the answer's head ended");
    const joined = new Uint8Array(gathered.length + bytes.length);
    joined.set(gathered);
    joined.set(bytes, gathered.length);
    gathered = joined;
  }
}

/** The next bytes; a reused connection that ends before any byte of the answer is stale. */
async function nextOrStale(
  connection: SocketConnection,
  first: boolean,
): Promise<Uint8Array | undefined> {
  const stale = first && connection.answers > 0;
  try {
    const bytes = await connection.nextBytes();
    if (!bytes && stale) throw new StaleConnection();
    return bytes;
  } catch (error) {
    if (stale && !(error instanceof StaleConnection)) throw new StaleConnection();
    throw error;
  }
}

/** The body's chunk reader: views of the connection's buffer, decoded as they come. */
function bodyReader(
  connection: SocketConnection,
  state: {
    decoder: BodyDecoder;
    rest: Uint8Array;
    /** Releases the connection, for reuse when `clean`; once, later calls do nothing. */
    finish: (clean: boolean) => void;
    signal?: AbortSignal;
  },
): ChunkReader {
  const { decoder, signal, finish } = state;
  let rest = state.rest;
  const fail = (error: unknown): never => {
    finish(false);
    throw signal?.aborted ? signal.reason : error;
  };
  return {
    async read() {
      for (;;) {
        if (decoder.done) {
          finish(rest.length === 0);
          return { done: true };
        }
        if (rest.length === 0) {
          const bytes = await connection.nextBytes().catch(fail);
          if (!bytes && decoder.endsAtClose) {
            finish(false);
            return { done: true };
          }
          if (!bytes) return fail(new Error("the connection closed before the body ended"));
          rest = bytes;
        }
        let step;
        try {
          step = decoder.step(rest);
        } catch (error) {
          return fail(error);
        }
        rest = rest.subarray(step.used);
        if (step.body.length > 0) return { done: false, value: step.body };
      }
    },
    cancel() {
      finish(decoder.done && rest.length === 0);
      return Promise.resolve();
    },
  };
}
