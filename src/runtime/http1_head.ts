/**
 * The head of an HTTP/1.1 response: where it ends in the bytes received, and
 * its status line and header fields, refused when malformed.
 *
 * @module
 */

/** The most bytes a response head may take (status line and header fields). */
export const MAX_HEAD_BYTES = 64 * 1024;

/** A parsed response head. */
export interface ResponseHead {
  /** `1` for HTTP/1.1, `0` for HTTP/1.0. */
  minorVersion: number;
  /** The status code. */
  status: number;
  /** The reason phrase. */
  statusText: string;
  /** The header fields, repeated ones kept. */
  headers: Headers;
}

const LF = 0x0a;
const CR = 0x0d;
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: ([^\r\n]*))?$/;
const FIELD = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*(.*?)[ \t]*$/;

/**
 * Where the head in `bytes` ends (the index after its empty line), or `-1`
 * while the empty line has not arrived; lines end in CRLF or a bare LF.
 */
export function headEndIn(bytes: Uint8Array): number {
  for (let index = bytes.indexOf(LF); index !== -1; index = bytes.indexOf(LF, index + 1)) {
    if (bytes[index + 1] === LF) return index + 2;
    if (bytes[index + 1] === CR && bytes[index + 2] === LF) return index + 3;
  }
  return -1;
}

/** Parses a complete head (up to and including its empty line); throws on anything malformed. */
export function parseHead(bytes: Uint8Array): ResponseHead {
  const lines = new TextDecoder("latin1").decode(bytes).split(/\r?\n/);
  const status = STATUS_LINE.exec(lines[0]);
  if (!status) {
    throw new Error(`not an HTTP/1.x status line: ${JSON.stringify(lines[0].slice(0, 80))}`);
  }
  const headers = new Headers();
  for (const line of lines.slice(1)) {
    if (line === "") continue;
    const field = FIELD.exec(line);
    if (!field) throw new Error(`malformed header field: ${JSON.stringify(line.slice(0, 80))}`);
    headers.append(field[1], field[2]);
  }
  return {
    minorVersion: Number(status[1]),
    status: Number(status[2]),
    statusText: status[3] ?? "",
    headers,
  };
}
