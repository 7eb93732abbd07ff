/**
 * The entry of the standalone binaries (`npm run build`, `deno task compile`):
 * the same CLI as `cli.ts`, with `configs/models.json` bundled in, so the
 * binary needs no file beside it. `RKLLM_MODELS_CONFIG` still overrides it.
 *
 * @module
 */
import config from "../../configs/models.json" with { type: "json" };
import { setEmbeddedModelsConfig } from "../config/models_config.ts";
import { RuntimeDetector } from "../runtime/detect_runtime.ts";
import { runCli } from "./main.ts";

setEmbeddedModelsConfig(config);
const runtime = RuntimeDetector.current();
runtime.exit(await runCli(runtime.args(), runtime));
