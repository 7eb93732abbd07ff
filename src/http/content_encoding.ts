/**
 * File bodies must arrive as they are stored: a compressed body has an unknown
 * length, and runtimes disagree on it (Node and Bun decode gzip, Deno hands the
 * compressed bytes over). So every runtime refuses the same way.
 *
 * @module
 */
import { retryableError } from "./retry.ts";

/**
 * Refuses a file body sent with a `Content-Encoding` other than `identity`: cancels
 * it and throws a retryable `network` error (a proxy may answer the next attempt
 * plainly; after the last attempt the same error is the final one). Resolves when
 * the body is plain.
 */
export async function refuseContentEncoding(response: Response, action: string): Promise<void> {
  const encoding = response.headers.get("content-encoding")?.trim().toLowerCase();
  if (!encoding || encoding === "identity") return;
  await response.body?.cancel().catch(() => {});
  throw retryableError(
    `${action}: the server sent the file compressed (Content-Encoding: ${encoding}) although it was asked for the plain bytes`,
    {
      hint:
        "a proxy or mirror between you and the Hub compresses downloads; turn that off for this endpoint, or use another --endpoint / HF_ENDPOINT",
    },
  );
}
