/**
 * The entry of the npm package's library bundle (`lib/mod.mjs`, made by
 * `npm run build:lib`): `mod.ts` with `configs/models.json` embedded, since a
 * bundle has no `configs/` beside it. `RKLLM_MODELS_CONFIG` still overrides it.
 *
 * @module
 */
import config from "../configs/models.json" with { type: "json" };
import { setEmbeddedModelsConfig } from "./config/models_config.ts";

setEmbeddedModelsConfig(config);

export * from "../mod.ts";
