import { type ModelInfo } from "../store/model_catalog.ts";
import type { ModelFileChoice } from "./choose_model_file.ts";
import type { StoreContext } from "./store_context.ts";
/**
 * The local copy a download asked for while offline, when it is complete; otherwise an
 * `offline` error that says what is missing.
 */
export declare function completeLocalModel(context: StoreContext, repoText: string, options?: ModelFileChoice): Promise<ModelInfo>;
