/**
 * The headers by which a `serve` mirror of this project marks its answers, so that
 * the CLI, talking to one, says what is true of a mirror rather than of the Hub.
 *
 * @module
 */
/**
 * The header naming the serve instance that answered (on every answer of a mirror).
 */
export declare const SERVE_ID_HEADER = "X-Rkllm-Serve-Id";
/**
 * The header saying why a mirror refused, beside the Hub's `X-Error-Code`.
 */
export declare const SERVE_REFUSAL_HEADER = "X-Rkllm-Serve-Refusal";
/**
 * Why a mirror refused: it serves private and gated repositories only with
 * `--allow-private`; upstream refused the mirror's token for a gated repository;
 * it has no upstream to ask (search).
 */
export type ServeRefusal = "allow-private" | "upstream-gated" | "no-upstream";
/**
 * What an answer says of the mirror that gave it: `undefined` when it came from no
 * mirror of ours (the Hub, another mirror).
 */
export declare function mirrorMarksOf(headers: Headers): {
    refusal?: ServeRefusal;
} | undefined;
