import type { ModelInfo } from "./model_catalog.ts";
/**
 * Finds the one model a query means; `undefined` when none matches. Several
 * matches at the most specific level that matches are an `ambiguous` error
 * listing them.
 */
export declare function findModel(models: ModelInfo[], query: string): ModelInfo | undefined;
/** Like {@linkcode findModel}, but no match is a `model_not_found` error. */
export declare function requireModel(models: ModelInfo[], query: string): ModelInfo;
