var __create = Object.create;
var __getProtoOf = Object.getPrototypeOf;
var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
function __accessProp(key) {
  return this[key];
}
var __toESMCache_node;
var __toESMCache_esm;
var __toESM = (mod, isNodeMode, target) => {
  var canCache = mod != null && typeof mod === "object";
  if (canCache) {
    var cache = isNodeMode ? __toESMCache_node ??= new WeakMap : __toESMCache_esm ??= new WeakMap;
    var cached = cache.get(mod);
    if (cached)
      return cached;
  }
  target = mod != null ? __create(__getProtoOf(mod)) : {};
  const to = isNodeMode || !mod || !mod.__esModule || !__hasOwnProp.call(mod, "default") ? __defProp(target, "default", { value: mod, enumerable: true }) : target;
  if (mod && typeof mod === "object" || typeof mod === "function") {
    for (let key of __getOwnPropNames(mod))
      if (!__hasOwnProp.call(to, key))
        __defProp(to, key, {
          get: __accessProp.bind(mod, key),
          enumerable: true
        });
  }
  if (canCache)
    cache.set(mod, to);
  return to;
};
var __commonJS = (cb, mod) => () => (mod || cb((mod = { exports: {} }).exports, mod), mod.exports);

// configs/models.json
var require_models = __commonJS(function(exports, module) {
  module.exports = {
    REPOSITORY_SUGGESTIONS: [
      {
        repo: "limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4",
        description: "Qwen2.5 0.5B Instruct for RK3588, RKLLM runtime 1.1.4 (small, good first model)"
      },
      {
        repo: "punchnox/Tinnyllama-1.1B-rk3588-rkllm-1.1.4",
        description: "TinyLlama 1.1B Chat for RK3588, RKLLM runtime 1.1.4"
      }
    ],
    EXAMPLE_MODEL_FILES: [
      {
        repo: "limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4",
        file: "Qwen2.5-0.5B-Instruct-rk3588-w8a8-opt-0-hybrid-ratio-0.0.rkllm"
      },
      {
        repo: "punchnox/Tinnyllama-1.1B-rk3588-rkllm-1.1.4",
        file: "TinyLlama-1.1B-Chat-v1.0-rk3588-w8a8-opt-0-hybrid-ratio-0.5.rkllm"
      }
    ],
    COMPANION_FILES: [
      "config.json",
      "generation_config.json",
      "meta.json",
      "tokenizer_config.json",
      "tokenizer.json",
      "chat_template.jinja",
      "special_tokens_map.json",
      "added_tokens.json",
      "tokenizer.model",
      "vocab.json",
      "merges.txt"
    ]
  };
});

// src/npm_library.ts
var import_models = __toESM(require_models(), 1);

// src/config/models_config.ts
import { fileURLToPath } from "node:url";

// src/errors.ts
var SIGNALS = new WeakMap;
function errorSignals(error) {
  let signals = SIGNALS.get(error);
  if (!signals)
    SIGNALS.set(error, signals = {});
  return signals;
}

class ModelManagerError extends Error {
  code;
  hint;
  repo;
  file;
  choices;
  status;
  bytesNeeded;
  freeBytes;
  expected;
  actual;
  constructor(code, message, options = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ModelManagerError";
    this.code = code;
    this.hint = options.hint ?? "";
    this.repo = options.repo;
    this.file = options.file;
    this.choices = options.choices;
    this.status = options.status;
    this.bytesNeeded = options.bytesNeeded;
    this.freeBytes = options.freeBytes;
    this.expected = options.expected;
    this.actual = options.actual;
    if (this.status !== undefined)
      errorSignals(this).status = this.status;
  }
  toJSON() {
    return { code: this.code, message: this.message, hint: this.hint };
  }
}
var EXIT_CODES = {
  usage: 2,
  ambiguous: 2,
  config: 1,
  repo_not_found: 3,
  file_not_found: 3,
  model_not_found: 3,
  auth: 4,
  gated: 4,
  network: 5,
  offline: 5,
  integrity: 6,
  storage: 7,
  locked: 7,
  cancelled: 130,
  unsupported_runtime: 1
};
function exitCodeFor(code) {
  return EXIT_CODES[code] ?? 1;
}
function isAbortError(error) {
  return error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError");
}
function cancelledError(cause) {
  return new ModelManagerError("cancelled", "the operation was cancelled", {
    hint: "run the same command again to resume where it stopped",
    cause
  });
}

// src/hub/repo_id.ts
var NAME_PART = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,95}$/;
function parseRepoId(repo, exampleRepo = "limcheekin/Qwen2.5-0.5B-Instruct-rk3588-1.1.4") {
  const value = typeof repo === "string" ? repo.trim() : "";
  const problem = repoIdProblem(value);
  if (problem) {
    throw new ModelManagerError("usage", `invalid repo id "${repo}": ${problem}`, {
      hint: `give the Hugging Face repo as owner/name, for example ${exampleRepo}`
    });
  }
  const parts = value.split("/");
  return { owner: parts[0], name: parts[1], id: value };
}
function repoIdProblem(value) {
  const parts = value.split("/");
  return parts.length !== 2 ? "it must have exactly one '/' between owner and name" : parts.some((part) => !NAME_PART.test(part)) ? "owner and name may use only letters, digits, '-', '_' and '.', and start with a letter, a digit or '_'" : value.includes("--") || value.includes("..") ? "it may not contain '--' or '..'" : value.endsWith(".git") ? "it may not end with '.git'" : undefined;
}
var MAX_NAME_BYTES = 255;
var MAX_REPO_PATH_LENGTH = 1024;
var encoder = new TextEncoder;
function repoPathProblem(path) {
  if (typeof path !== "string" || path.length > MAX_REPO_PATH_LENGTH)
    return { kind: "unsafe" };
  return pathPartsProblem(path);
}
function pathPartsProblem(path) {
  if (path.includes("\\") || /[\x00-\x1f\x7f]/.test(path) || /^[A-Za-z]:/.test(path)) {
    return { kind: "unsafe" };
  }
  const names = path.split("/");
  if (names.some((name) => name === "" || name === "." || name === ".."))
    return { kind: "unsafe" };
  for (const name of names) {
    const bytes = encoder.encode(name).length;
    if (bytes > MAX_NAME_BYTES)
      return { kind: "long-name", name, bytes };
  }
  return;
}
function isSafeRepoPath(path) {
  return repoPathProblem(path) === undefined;
}
function encodeRepoPath(path) {
  return path.split("/").map(encodeURIComponent).join("/");
}

// src/runtime/runtime.ts
function symlinkRefusal(path) {
  return Object.assign(new Error(`ELOOP: ${path} is a symbolic link, not opened`), {
    code: "ELOOP"
  });
}
var BOOT_ID_PATH = "/proc/sys/kernel/random/boot_id";
function isNotFound(error) {
  return errorCodeOf(error) === "ENOENT";
}
function errorCodeOf(error) {
  if (!(error instanceof Error))
    return;
  const code = error.code;
  if (typeof code === "string")
    return code;
  return DENO_ERROR_CODES[error.name];
}
var DENO_ERROR_CODES = {
  NotFound: "ENOENT",
  PermissionDenied: "EACCES",
  AlreadyExists: "EEXIST",
  IsADirectory: "EISDIR",
  NotADirectory: "ENOTDIR",
  ReadOnly: "EROFS",
  StorageFull: "ENOSPC"
};
function hubTransport(runtime, chosen) {
  if (chosen && chosen !== globalThis.fetch)
    return chosen;
  return runtime.hubFetch ?? globalThis.fetch;
}

// src/store/safe_path.ts
import { basename, dirname, join } from "node:path";

// src/store/storage_error.ts
function storageFailure(action, error, options = {}) {
  if (error instanceof ModelManagerError)
    return error;
  const code = errorCodeOf(error);
  if (code === "ELOOP")
    return symlinkFailure(action, error);
  const reason = code === "EACCES" || code === "EPERM" || code === "EROFS" ? "permission denied" : code === "ENOSPC" ? "the disk is full" : error instanceof Error ? error.message : String(error);
  const then = options.resumable ? ", then run the command again to resume" : "";
  return new ModelManagerError("storage", `${action}: ${reason}`, {
    hint: code === "ENOSPC" ? `free some disk space (for example with: rkllm-models clean --partial)${then}` : `choose a writable models directory with --dir or RKLLM_MODELS_DIR${then}`,
    cause: error
  });
}
function symlinkFailure(action, cause) {
  return new ModelManagerError("storage", `${action}: it is a symbolic link, and rkllm-models never writes through one`, {
    hint: "remove the link if you did not place it there (anyone who can write to the models directory can), or choose another --dir",
    cause
  });
}

// src/store/safe_path.ts
function placeInRepo(repoDir, repoPath) {
  const repo = `${basename(dirname(repoDir))}/${basename(repoDir)}`;
  return {
    root: dirname(dirname(repoDir)),
    path: repoPath === undefined ? repo : `${repo}/${repoPath}`
  };
}
function partsOf(place) {
  if (pathPartsProblem(place.path) === undefined)
    return place.path.split("/");
  throw new ModelManagerError("storage", `refused the path ${JSON.stringify(place.path)}: it is not a path inside ${place.root}`, { hint: "a record or request named a file outside the store; remove it or export again" });
}
function linkRefusal(place, link) {
  const refusal = new ModelManagerError("storage", `read ${join(place.root, place.path)}: ${link} is a symbolic link, and rkllm-models follows none inside ${place.root}`, {
    hint: "remove the link if you did not place it there (anyone who can write there can), or put the real file in its place"
  });
  linkRefusals.add(refusal);
  return refusal;
}
var linkRefusals = new WeakSet;
function isLinkRefusal(error) {
  return error instanceof Error && linkRefusals.has(error);
}
async function lstatOrMissing(runtime, path) {
  try {
    return await runtime.lstat(path);
  } catch (error) {
    if (isNotFound(error) || errorCodeOf(error) === "ENOTDIR")
      return;
    throw storageFailure(`read ${path}`, error);
  }
}
async function lstatInside(runtime, place) {
  const parts = partsOf(place);
  const whole = join(place.root, ...parts);
  let current = place.root;
  for (const [index, part] of parts.entries()) {
    current = join(current, part);
    const stat = await lstatOrMissing(runtime, current);
    if (!stat)
      return { path: whole };
    if (stat.isSymlink)
      throw linkRefusal(place, current);
    if (index === parts.length - 1)
      return { path: whole, stat };
    if (!stat.isDirectory)
      return { path: whole };
  }
  return { path: whole };
}
function notFound(path) {
  return Object.assign(new Error(`ENOENT: ${path} does not exist`), { code: "ENOENT" });
}
async function openInside(runtime, place) {
  const { path, stat } = await lstatInside(runtime, place);
  if (!stat)
    throw notFound(path);
  if (!stat.isFile)
    throw storageFailure(`read ${path}`, new Error("it is not a regular file"));
  try {
    return { path, stat, handle: await runtime.open(path, { noFollow: true }) };
  } catch (error) {
    if (isNotFound(error))
      throw error;
    if (errorCodeOf(error) === "ELOOP")
      throw linkRefusal(place, path);
    throw storageFailure(`read ${path}`, error);
  }
}
async function readInside(runtime, place, options = {}) {
  const limit = options.maxBytes ?? Number.MAX_SAFE_INTEGER;
  const { path, stat, handle } = await openInside(runtime, place);
  try {
    if (stat.size > limit)
      throw tooLarge(path, limit);
    const buffer = new Uint8Array(Math.min(stat.size, limit) + 1);
    let length = 0;
    while (length < buffer.length) {
      const count = await handle.read(buffer.subarray(length), length);
      if (count === 0)
        break;
      length += count;
    }
    if (length > limit)
      throw tooLarge(path, limit);
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}
function tooLarge(path, limit) {
  return new ModelManagerError("integrity", `read ${path}: it is larger than the ${limit} bytes such a file may have`, { hint: "the file was not written by rkllm-models; remove it or export again" });
}
async function ensureDirectoryInside(runtime, place) {
  const parts = partsOf(place);
  await runtime.mkdir(place.root).catch((error) => {
    throw storageFailure(`create the directory ${place.root}`, error);
  });
  let current = place.root;
  for (const part of parts) {
    current = join(current, part);
    let stat = await lstatOrMissing(runtime, current);
    if (!stat) {
      await runtime.mkdir(current).catch((error) => {
        throw storageFailure(`create the directory ${current}`, error);
      });
      stat = await runtime.lstat(current).catch((error) => {
        throw storageFailure(`read ${current}`, error);
      });
    }
    if (stat.isSymlink)
      throw symlinkFailure(`write into ${current}`);
    if (!stat.isDirectory) {
      throw storageFailure(`create the directory ${current}`, new Error("a file of that name is in the way"));
    }
  }
  return current;
}

// src/store/json_file.ts
async function readJsonFile(runtime, path, options = {}) {
  let text;
  try {
    const bytes = typeof path === "string" ? await runtime.readFile(path) : await readInside(runtime, path, { maxBytes: options.maxBytes });
    text = new TextDecoder().decode(bytes);
  } catch (error) {
    return isNotFound(error) ? { status: "missing", error } : { status: "unreadable", error };
  }
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { status: "corrupt", error };
  }
  const problem = options.check?.(value);
  return problem === undefined ? { status: "ok", value } : {
    status: "invalid",
    problem,
    value
  };
}
function isJsonObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// src/store/store_layout.ts
import { join as join2 } from "node:path";
var TECHNICAL_FILES = [
  "config.json",
  "generation_config.json",
  "meta.json",
  "tokenizer_config.json",
  "tokenizer.json"
];
var RECORD_FILE = ".rkllm-models.json";
var LOCK_FILE = ".rkllm-models.lock";
function repoDirOf(modelsDir, repo) {
  return join2(modelsDir, repo.owner, repo.name);
}
function storePathOf(repoDir, repoPath) {
  return join2(repoDir, ...repoPath.split("/"));
}
function isModelFileName(name) {
  return name.toLowerCase().endsWith(".rkllm");
}
function isEncoderFileName(name) {
  return name.toLowerCase().endsWith(".rknn");
}

// src/config/models_config.ts
var MODELS_CONFIG_ENV = "RKLLM_MODELS_CONFIG";
var embeddedConfig;
function setEmbeddedModelsConfig(config) {
  embeddedConfig = config;
}
var SHIPPED_CONFIG_URL = new URL("../../configs/models.json", import.meta.url);
function defaultModelsConfigPath() {
  return SHIPPED_CONFIG_URL.protocol === "file:" ? fileURLToPath(SHIPPED_CONFIG_URL) : undefined;
}
async function importShippedConfig() {
  try {
    const module = await Promise.resolve().then(() => __toESM(require_models(), 1));
    return module.default;
  } catch (error) {
    throw new ModelManagerError("config", `load the models config from ${SHIPPED_CONFIG_URL.href}: ${describe(error)}`, {
      hint: `set ${MODELS_CONFIG_ENV} to the path of a models.json`,
      cause: error
    });
  }
}
async function loadModelsConfig(runtime) {
  const override = runtime.env(MODELS_CONFIG_ENV);
  if (!override)
    return completed(await readDefaultConfig(runtime));
  const config = await readConfigFile(runtime, {
    path: override,
    missingHint: `point ${MODELS_CONFIG_ENV} at an existing models.json, or unset it`
  });
  if (config.COMPANION_FILES !== undefined)
    return completed(config);
  const shipped = completed(await readDefaultConfig(runtime));
  return { ...config, COMPANION_FILES: shipped.COMPANION_FILES };
}
function completed(config) {
  if (config.COMPANION_FILES !== undefined)
    return config;
  throw new ModelManagerError("config", "invalid models config: COMPANION_FILES is missing", {
    hint: 'add "COMPANION_FILES": ["config.json", …] to the models config, or reinstall rkllm-models'
  });
}
async function readDefaultConfig(runtime) {
  if (embeddedConfig !== undefined) {
    return validateModelsConfig(embeddedConfig, "the embedded models config");
  }
  const shippedPath = defaultModelsConfigPath();
  if (shippedPath === undefined) {
    return validateModelsConfig(await importShippedConfig(), SHIPPED_CONFIG_URL.href);
  }
  return await readConfigFile(runtime, {
    path: shippedPath,
    missingHint: "reinstall rkllm-models: its configs/models.json is missing"
  });
}
async function readConfigFile(runtime, { path, missingHint }) {
  const read = await readJsonFile(runtime, path, { check: modelsConfigProblem });
  if (read.status === "ok")
    return shapedConfig(read.value);
  if (read.status === "invalid")
    throw invalidConfig(path, read.problem);
  if (read.status === "corrupt") {
    throw new ModelManagerError("config", `parse the models config at ${path}: ${describe(read.error)}`, {
      hint: `fix the JSON syntax in ${path}`,
      cause: read.error
    });
  }
  throw new ModelManagerError("config", `read the models config at ${path}: ${describe(read.error)}`, { hint: missingHint, cause: read.error });
}
function describe(error) {
  return error instanceof Error ? error.message : String(error);
}
function invalidConfig(source, problem) {
  return new ModelManagerError("config", `invalid models config at ${source}: ${problem}`, {
    hint: 'it needs "REPOSITORY_SUGGESTIONS": [{"repo", "description"}] and "EXAMPLE_MODEL_FILES": [{"repo", "file"}], and may have "COMPANION_FILES": ["config.json", …]'
  });
}
function validateModelsConfig(value, source) {
  const problem = modelsConfigProblem(value);
  if (problem !== undefined)
    throw invalidConfig(source, problem);
  return shapedConfig(value);
}
function shapedConfig(record) {
  return {
    REPOSITORY_SUGGESTIONS: record.REPOSITORY_SUGGESTIONS,
    EXAMPLE_MODEL_FILES: record.EXAMPLE_MODEL_FILES,
    COMPANION_FILES: record.COMPANION_FILES
  };
}
function modelsConfigProblem(value) {
  if (!isJsonObject(value))
    return "the top level is not an object";
  const suggestions = value.REPOSITORY_SUGGESTIONS;
  const examples = value.EXAMPLE_MODEL_FILES;
  if (!Array.isArray(suggestions))
    return "REPOSITORY_SUGGESTIONS is not an array";
  if (!Array.isArray(examples))
    return "EXAMPLE_MODEL_FILES is not an array";
  const badSuggestion = suggestions.findIndex((item) => typeof item?.repo !== "string" || typeof item?.description !== "string");
  if (badSuggestion >= 0) {
    return `REPOSITORY_SUGGESTIONS[${badSuggestion}] needs a string "repo" and "description"`;
  }
  const badSource = suggestions.findIndex((item) => item?.source !== undefined && item.source !== "huggingface" && item.source !== "modelscope");
  if (badSource >= 0) {
    return `REPOSITORY_SUGGESTIONS[${badSource}].source must be "huggingface" or "modelscope"`;
  }
  const badExample = examples.findIndex((item) => typeof item?.repo !== "string" || typeof item?.file !== "string");
  if (badExample >= 0)
    return `EXAMPLE_MODEL_FILES[${badExample}] needs a string "repo" and "file"`;
  return companionsProblem(value.COMPANION_FILES);
}
function companionsProblem(companions) {
  if (companions === undefined)
    return;
  if (!Array.isArray(companions))
    return "COMPANION_FILES is not an array";
  const bad = companions.findIndex((item) => !isCompanionPath(item));
  return bad < 0 ? undefined : `COMPANION_FILES[${bad}] is not a relative file path other than a .rkllm or .rknn file`;
}
function isCompanionPath(value) {
  if (typeof value !== "string" || !isSafeRepoPath(value))
    return false;
  return !isModelFileName(value) && !isEncoderFileName(value);
}

// src/config/settings.ts
import { join as join4, resolve } from "node:path";

// src/config/user_config.ts
import { dirname as dirname2, join as join3 } from "node:path";

// src/store/atomic_write.ts
var counter = 0;
async function writeFileAtomic(runtime, file) {
  const { path, data, flush = true } = file;
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const temporary = `${path}.tmp-${runtime.pid()}-${Date.now().toString(36)}-${counter++}`;
  const handle = await runtime.open(temporary, { write: true, createNew: true });
  try {
    await handle.write(bytes, 0);
    if (flush)
      await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await runtime.remove(temporary).catch(() => {});
    throw error;
  }
  await handle.close();
  try {
    await runtime.rename(temporary, path);
  } catch (error) {
    await runtime.remove(temporary).catch(() => {});
    throw error;
  }
}
function writeJsonAtomic(runtime, file) {
  const data = `${JSON.stringify(file.value, null, 2)}
`;
  return writeFileAtomic(runtime, { path: file.path, data, flush: file.flush });
}
function isAtomicTemporary(name) {
  return /\.tmp-\d+-[0-9a-z]+-\d+$/.test(name);
}

// src/config/user_config.ts
var USER_CONFIG_KEYS = [
  "modelsDir",
  "endpoint",
  "platform",
  "connections",
  "pullRepos",
  "source"
];
function userConfigPath(runtime) {
  const home = runtime.homeDir();
  const base = runtime.env("XDG_CONFIG_HOME") || home && join3(home, ".config");
  return base ? join3(base, "rkllm-models", "config.json") : undefined;
}
function invalidConfig2(path, why) {
  return new ModelManagerError("config", `invalid user config ${path}: ${why}`, {
    hint: `fix or delete the file, or use: rkllm-models config unset <key>`
  });
}
function checkedValue(key, value, path) {
  if (key === "connections") {
    if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 64) {
      return value;
    }
    throw invalidConfig2(path, `"connections" must be a whole number from 1 to 64`);
  }
  if (typeof value !== "string" || value.trim() === "") {
    throw invalidConfig2(path, `"${key}" must be a non-empty string`);
  }
  if (key === "pullRepos" && repoListOf(value) === undefined) {
    throw invalidConfig2(path, `"pullRepos" must list repositories as owner/name, comma-separated`);
  }
  if (key === "source" && value !== "huggingface" && value !== "modelscope") {
    throw invalidConfig2(path, `"source" must be "huggingface" or "modelscope"`);
  }
  return value;
}
function repoListOf(value) {
  const repos = value.split(",").map((part) => part.trim()).filter((part) => part !== "");
  if (repos.length === 0 || repos.some((repo) => repoIdProblem(repo) !== undefined)) {
    return;
  }
  return repos;
}
function parseUserConfig(text, path) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidConfig2(path, "it is not JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw invalidConfig2(path, "it is not a JSON object");
  }
  const config = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!USER_CONFIG_KEYS.includes(key)) {
      throw invalidConfig2(path, `unknown key "${key}" (known: ${USER_CONFIG_KEYS.join(", ")})`);
    }
    config[key] = checkedValue(key, value, path);
  }
  return config;
}
function readUserConfig(runtime) {
  const path = userConfigPath(runtime);
  if (!path || !runtime.readFileSync)
    return {};
  let bytes;
  try {
    bytes = runtime.readFileSync(path);
  } catch (error) {
    if (isNotFound(error))
      return {};
    throw invalidConfig2(path, `it cannot be read (${error.message})`);
  }
  return parseUserConfig(new TextDecoder().decode(bytes), path);
}

// src/config/settings.ts
var DEFAULT_ENDPOINT = "https://huggingface.co";
function normalizeEndpoint(endpoint) {
  let url;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw new ModelManagerError("config", `invalid Hub endpoint "${endpoint}": expected a URL such as https://huggingface.co`, {
      hint: "give a URL such as https://huggingface.co (--endpoint or HF_ENDPOINT)"
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ModelManagerError("config", `invalid Hub endpoint "${endpoint}": expected an http or https URL`, {
      hint: "give a URL such as https://huggingface.co (--endpoint or HF_ENDPOINT)"
    });
  }
  return url.href.replace(/\/+$/, "");
}
function isTruthy(value) {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}
function userConfigOf(runtime, options) {
  return options.userConfig ?? readUserConfig(runtime);
}
function defaultModelsDir(runtime) {
  const home = runtime.homeDir();
  const data = runtime.env("XDG_DATA_HOME") || home && join4(home, ".local", "share");
  return data ? join4(data, "rkllm-models", "models") : resolve(runtime.cwd(), "models");
}
function expandHome(runtime, path) {
  const home = runtime.homeDir();
  return home && (path === "~" || path.startsWith("~/")) ? join4(home, path.slice(1)) : path;
}
function modelsDirSetting(runtime, option, options = {}) {
  const env = runtime.env("RKLLM_MODELS_DIR");
  let chosen = option || env;
  let source = option ? "option" : env ? "env" : "default";
  if (!chosen) {
    chosen = userConfigOf(runtime, options).modelsDir;
    if (chosen)
      source = "config";
  }
  const value = chosen ? resolve(runtime.cwd(), expandHome(runtime, chosen)) : defaultModelsDir(runtime);
  return { value, source };
}
function resolveModelsDir(runtime, option, options = {}) {
  return modelsDirSetting(runtime, option, options).value;
}
function resolveEndpoint(runtime, option, options = {}) {
  const chosen = option || runtime.env("HF_ENDPOINT") || userConfigOf(runtime, options).endpoint || DEFAULT_ENDPOINT;
  return normalizeEndpoint(chosen);
}
function hfHomeOf(runtime) {
  const home = runtime.env("HF_HOME");
  if (home)
    return home;
  const cache = runtime.env("XDG_CACHE_HOME") || runtime.homeDir() && join4(runtime.homeDir(), ".cache");
  return cache ? join4(cache, "huggingface") : undefined;
}
async function resolveToken(runtime, option) {
  for (const value of [option, runtime.env("HF_TOKEN"), runtime.env("HUGGING_FACE_HUB_TOKEN")]) {
    if (value?.trim())
      return value.trim();
  }
  const hfHome = hfHomeOf(runtime);
  const path = runtime.env("HF_TOKEN_PATH") || hfHome && join4(hfHome, "token");
  if (!path)
    return;
  try {
    const token = new TextDecoder().decode(await runtime.readFile(path)).trim();
    return token || undefined;
  } catch {
    return;
  }
}

// src/modelscope/modelscope_urls.ts
var MODELSCOPE_ENDPOINT = "https://www.modelscope.cn";
function modelScopeApiUrl(endpoint, repo, options = {}) {
  const parts = [repo.owner, repo.name, ...options.segments ?? []].map(encodeURIComponent);
  const url = new URL(`${endpoint}/api/v1/models/${parts.join("/")}`);
  if (options.search)
    url.search = options.search.toString();
  return url;
}
function modelScopeFileUrl(endpoint, file) {
  return modelScopeApiUrl(endpoint, file.repo, {
    segments: ["repo"],
    search: new URLSearchParams({ Revision: file.revision, FilePath: file.path })
  });
}

// src/config/source_settings.ts
var SETTINGS = {
  huggingface: { endpoint: resolveEndpoint, token: resolveToken },
  modelscope: {
    endpoint: (runtime, option) => normalizeEndpoint(option || runtime.env("MODELSCOPE_ENDPOINT") || MODELSCOPE_ENDPOINT),
    token: (runtime, option) => {
      const token = [option, runtime.env("MODELSCOPE_API_TOKEN")].find((value) => value?.trim());
      return Promise.resolve(token?.trim());
    }
  }
};
function sourceEndpoint(runtime, options) {
  return SETTINGS[options.source.name].endpoint(runtime, options.option, options);
}
function sourceToken(runtime, options) {
  return SETTINGS[options.source.name].token(runtime, options.option);
}

// src/http/hub_connection.ts
var DEFAULT_REQUEST_TIMEOUT_MS = 30000;

// src/units.ts
function formatBytes(bytes) {
  if (bytes < 1024)
    return `${bytes} B`;
  if (bytes < 1024 ** 2)
    return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3)
    return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

// src/clock.ts
var systemClock = {
  now: () => Date.now(),
  sleep: systemSleep,
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    return () => clearInterval(timer);
  }
};
function systemSleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted)
      return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

// src/http/retry.ts
var MAX_SERVER_DELAY_MS = 300000;
function retryableError(message, options = {}) {
  const error = new ModelManagerError("network", message, {
    hint: options.hint ?? "check the network connection and run the command again to resume",
    cause: options.cause,
    status: options.status
  });
  markRetryable(error, options);
  return error;
}
function markRetryable(error, options = {}) {
  const signals = errorSignals(error);
  signals.retryable = true;
  signals.retryAfterMs = options.retryAfterMs;
  signals.retryReason = options.retryReason;
  return error;
}
function requestUrlRefresh(error) {
  errorSignals(error).refreshUrl = true;
  return error;
}
function needsUrlRefresh(error) {
  return errorSignals(error).refreshUrl === true;
}
function isRetryable(error) {
  return error instanceof ModelManagerError && errorSignals(error).retryable === true;
}
function retryAfterMs(headers, now) {
  const retryAfter = headers.get("retry-after")?.trim();
  if (!retryAfter)
    return;
  if (/^\d+(\.\d+)?$/.test(retryAfter))
    return Math.round(Number(retryAfter) * 1000);
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
function exhaustedRateLimitMs(headers) {
  const rateLimit = headers.get("ratelimit");
  const remaining = rateLimit?.match(/(?:^|[;,\s])r=(\d+)/);
  const reset = rateLimit?.match(/(?:^|[;,\s])t=(\d+)/);
  if (!remaining || !reset || Number(remaining[1]) !== 0)
    return;
  return Number(reset[1]) * 1000;
}
function serverRetryDelay(status, headers, options = {}) {
  const reason = status === 429 ? "rate limited by the Hub" : "the server asked to wait";
  const window = status === 429 ? exhaustedRateLimitMs(headers) : undefined;
  const delayMs = window ?? retryAfterMs(headers, options.now ?? Date.now());
  return delayMs === undefined ? undefined : { delayMs, reason };
}
function retryDelay(failuresInARow, error, options = {}) {
  const signals = errorSignals(error);
  const serverDelay = signals.retryAfterMs;
  if (typeof serverDelay === "number" && Number.isFinite(serverDelay)) {
    return {
      delayMs: Math.min(Math.max(0, serverDelay), MAX_SERVER_DELAY_MS),
      reason: typeof signals.retryReason === "string" ? signals.retryReason : "the server asked to wait"
    };
  }
  const base = options.baseDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 30000;
  const random = options.random ?? Math.random;
  return {
    delayMs: random() * Math.min(max, base * 2 ** (Math.max(1, failuresInARow) - 1)),
    reason: error.message
  };
}
async function withRetry(operation, options = {}) {
  const attempts = Math.max(1, options.attempts ?? 5);
  let failuresInARow = 0;
  for (let attempt = 1;; attempt++) {
    try {
      if (options.signal?.aborted)
        throw options.signal.reason;
      return await operation(attempt);
    } catch (thrown) {
      if (options.signal?.aborted)
        throw cancelledError(thrown);
      const error = notCancellation(thrown);
      if (!isRetryable(error))
        throw error;
      failuresInARow = options.madeProgress?.() ? 1 : failuresInARow + 1;
      if (failuresInARow >= attempts)
        throw error;
      const { delayMs, reason } = retryDelay(failuresInARow, error, options);
      options.onRetry?.({
        attempt,
        delayMs,
        reason,
        nextAttempt: failuresInARow + 1,
        attempts,
        error
      });
      try {
        await (options.clock ?? systemClock).sleep(delayMs, options.signal);
      } catch (abort) {
        throw cancelledError(abort);
      }
    }
  }
}
function notCancellation(error) {
  if (!isAbortError(error))
    return error;
  return retryableError(`the request timed out (${error instanceof Error ? error.message : String(error)})`, { cause: error });
}

// src/http/read_body.ts
var DEFAULT_MAX_JSON_BYTES = 64 * 1024 * 1024;
function idleError(options) {
  return retryableError(`${options.action}: no data for ${Number((options.idleTimeoutMs / 1000).toFixed(1))} s while reading the answer`);
}
async function readChunk(reader, options) {
  let timer;
  const idle = new Promise((_, reject) => {
    timer = setTimeout(() => reject(idleError(options)), options.idleTimeoutMs);
  });
  try {
    return await Promise.race([reader.read(), idle]);
  } catch (error) {
    if (error instanceof ModelManagerError)
      throw error;
    throw retryableError(`${options.action}: the connection broke while reading the answer`, {
      cause: error
    });
  } finally {
    clearTimeout(timer);
  }
}
async function readBodyPrefix(response, options) {
  if (!response.body)
    return { bytes: new Uint8Array(0), truncated: false };
  const reader = response.body.getReader();
  const chunks = [];
  let length = 0;
  let truncated = false;
  try {
    for (;; ) {
      const { done, value } = await readChunk(reader, options);
      if (done)
        break;
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
function tooLarge2(options, endpoint) {
  return new ModelManagerError("network", `${options.action}: the answer is larger than ${formatBytes(options.maxBytes)}, more than any Hub answer holds`, {
    hint: `check that ${endpoint} is a Hugging Face Hub endpoint (--endpoint / HF_ENDPOINT)`
  });
}
async function readBoundedText(response, endpoint, options) {
  const declared = Number(response.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge2(options, endpoint);
  }
  const { bytes, truncated } = await readBodyPrefix(response, options);
  if (truncated)
    throw tooLarge2(options, endpoint);
  return new TextDecoder().decode(bytes);
}

// src/http/serve_marks.ts
var SERVE_ID_HEADER = "X-Rkllm-Serve-Id";
var SERVE_REFUSAL_HEADER = "X-Rkllm-Serve-Refusal";
var REFUSALS = ["allow-private", "upstream-gated", "no-upstream"];
function mirrorMarksOf(headers) {
  if (!headers.has(SERVE_ID_HEADER))
    return;
  const refusal = headers.get(SERVE_REFUSAL_HEADER) ?? "";
  return REFUSALS.includes(refusal) ? { refusal } : {};
}

// src/http/hub_errors.ts
function unexpectedAnswer(message, options) {
  const { endpoint, cause } = options;
  return new ModelManagerError("network", message, {
    hint: `check that ${endpoint} is a Hugging Face Hub endpoint (--endpoint / HF_ENDPOINT)`,
    cause
  });
}
var RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
function isRetryableStatus(status) {
  return RETRYABLE_STATUSES.has(status);
}
var ERROR_BODY_BYTES = 16 * 1024;
async function serverMessage(response, context) {
  const header = response.headers.get("x-error-message");
  if (header) {
    await response.body?.cancel().catch(() => {});
    return header;
  }
  try {
    const { bytes } = await readBodyPrefix(response, {
      maxBytes: ERROR_BODY_BYTES,
      idleTimeoutMs: context.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      action: context.action
    });
    const text = new TextDecoder().decode(bytes).slice(0, 2000);
    try {
      const body = JSON.parse(text);
      if (typeof body?.error === "string")
        return body.error;
      if (typeof body?.message === "string")
        return body.message;
    } catch {}
    return text.trim().slice(0, 200);
  } catch {
    return "";
  }
}
function aliasHint(context) {
  const answeredBy = context.answeredBy;
  if (!answeredBy || answeredBy.origin === new URL(context.endpoint).origin)
    return;
  return `${context.endpoint} redirects to ${answeredBy.origin}, and the token is never sent to another host: use --endpoint ${answeredBy.origin} (or HF_ENDPOINT)`;
}
function failedRequest(context) {
  if (context.file) {
    return `${context.action} ${context.file} in ${context.repo ?? "the repository"}`;
  }
  return context.repo ? `${context.action} of ${context.repo}` : context.action;
}
async function errorForResponse(response, context) {
  const status = response.status;
  const code = response.headers.get("x-error-code") ?? "";
  const said = await serverMessage(response, context);
  const because = `${status}${said ? `: ${said}` : ""}`;
  const repo = context.repo ?? "the repository";
  const what = context.file ? `file ${context.file} in ${repo}` : `repository ${repo}`;
  const cannot = `cannot ${failedRequest(context)}`;
  const about = { status, repo: context.repo, file: context.file };
  const answered = `the server answered ${status}${said ? ` (${said})` : ""}`;
  const tokenHint = aliasHint(context) ?? (context.hasToken ? "check that your token (HF_TOKEN or --token) has access to it" : "if it is private, set HF_TOKEN or pass --token");
  const mirror = mirrorMarksOf(response.headers);
  const answer = {
    response,
    place: mirror ? `on the mirror at ${context.endpoint}` : "on the Hub",
    context,
    status,
    code,
    said,
    because,
    repo,
    what,
    cannot,
    about,
    answered,
    tokenHint
  };
  const error = (mirror?.refusal && errorForMirrorRefusal(answer, mirror.refusal)) ?? errorForCode(answer) ?? errorForStatus(answer);
  if (code)
    errorSignals(error).hubErrorCode = code;
  return error;
}
function errorForMirrorRefusal(answer, refusal) {
  const { context, status, repo, cannot, about } = answer;
  const mirror = `the mirror at ${context.endpoint}`;
  if (refusal === "no-upstream") {
    return new ModelManagerError("config", `${cannot} through ${mirror}: it has no upstream and serves only its store (${status})`, {
      hint: "whoever runs the mirror can start it with --upstream https://huggingface.co; or ask the Hub itself with --endpoint https://huggingface.co",
      ...about
    });
  }
  if (refusal === "upstream-gated") {
    return new ModelManagerError("gated", `cannot access gated repository ${repo} through ${mirror}: the mirror's token has no access to it upstream (${status})`, {
      hint: "whoever runs the mirror accepts the licence upstream and starts it with a token that has access (--token or HF_TOKEN)",
      ...about
    });
  }
  return new ModelManagerError("gated", `cannot access gated repository ${repo} through ${mirror}: it serves private and gated repositories only with --allow-private (${status})`, {
    hint: "whoever runs the mirror can restart it with --allow-private; or download from the Hub itself with --endpoint https://huggingface.co and a token",
    ...about
  });
}
function errorForCode(answer) {
  const { context, status, code, repo, what, about, tokenHint, place } = answer;
  if (code === "GatedRepo") {
    return new ModelManagerError("gated", `cannot access gated repository ${repo}: ${context.hasToken ? "the token has no access to it yet" : "no token was sent"} (${status})`, {
      hint: aliasHint(context) ?? `accept the licence at ${context.endpoint}/${context.repo ?? ""}, then set HF_TOKEN`,
      ...about
    });
  }
  if (code === "RepoNotFound") {
    return new ModelManagerError("repo_not_found", `cannot find repository ${repo} ${place}`, {
      hint: place === "on the Hub" ? `check the spelling of the repo id (owner/name); ${tokenHint}` : "check the spelling of the repo id (owner/name); a mirror serves the repositories its store holds and, with an upstream, those it is set to pull",
      ...about
    });
  }
  if (code === "RevisionNotFound") {
    return new ModelManagerError("repo_not_found", `cannot find revision ${context.revision ?? ""} of ${repo} ${place}`, {
      hint: "use an existing branch, tag or commit, or leave --revision out",
      ...about
    });
  }
  if (code === "EntryNotFound") {
    return new ModelManagerError("file_not_found", `cannot find ${what} ${place}`, {
      hint: `list the repo's files with: rkllm-models files ${context.repo ?? "owner/name"}`,
      ...about
    });
  }
  return;
}
function errorForStatus(answer) {
  const { response, context, status, said, because, repo, what, cannot, about, place } = answer;
  const { answered, tokenHint } = answer;
  if (status === 401 && /invalid credentials/i.test(said)) {
    return new ModelManagerError("auth", `${cannot}: the Hub rejected the token (${because})`, {
      hint: `check HF_TOKEN / --token, or create a new token at ${context.endpoint}/settings/tokens`,
      ...about
    });
  }
  if (status === 403 && /disabled/i.test(said)) {
    return new ModelManagerError("auth", `repository ${repo} is disabled on the Hub`, {
      hint: "its owner or the Hub disabled it; choose another repository",
      ...about
    });
  }
  if (isRetryableStatus(status)) {
    const wait = serverRetryDelay(status, response.headers);
    const problem = status === 429 ? `rate limited by the Hub (${because})` : answered;
    return retryableError(`${cannot}: ${problem}`, {
      retryAfterMs: wait?.delayMs,
      retryReason: wait?.reason,
      status
    });
  }
  if (status === 401 || status === 403) {
    return new ModelManagerError("auth", `${cannot}: access denied (${because})`, {
      hint: tokenHint,
      ...about
    });
  }
  if (status === 404) {
    return new ModelManagerError(context.file ? "file_not_found" : "repo_not_found", `cannot find ${what} ${place} (${because})`, { hint: tokenHint, ...about });
  }
  return new ModelManagerError("network", `${cannot}: ${answered}`, {
    hint: "the server answered with an error; try again later, or check --endpoint / HF_ENDPOINT",
    ...about
  });
}

// src/http/abort_signals.ts
function anySignal(...signals) {
  const present = signals.filter((signal) => signal !== undefined);
  return present.length <= 1 ? present[0] : AbortSignal.any(present);
}

// src/http/hub_request.ts
var MAX_REDIRECTS = 10;
function offlineError(action) {
  const error = new ModelManagerError("offline", `${action}: HF_HUB_OFFLINE is set, so no request is sent`, {
    hint: "unset HF_HUB_OFFLINE to reach the Hub; local commands (list, info, verify, remove) work offline"
  });
  errorSignals(error).offlineRefusal = true;
  return error;
}
async function sendRequest(connection, url, options = {}) {
  if (connection.offline)
    throw offlineError(`request ${url.pathname}`);
  const endpointOrigin = new URL(connection.endpoint).origin;
  const signal = anySignal(connection.signal, options.signal);
  let current = url;
  for (let hop = 0;; hop++) {
    const headers = new Headers(options.headers);
    if (connection.token && current.origin === endpointOrigin) {
      headers.set("Authorization", `Bearer ${connection.token}`);
      if (connection.tokenCookie) {
        headers.set("Cookie", `${connection.tokenCookie}=${connection.token}`);
      }
    }
    const response = await fetchOnce(connection, current, {
      method: options.method ?? "GET",
      headers,
      signal
    });
    const location = response.headers.get("location");
    const isRedirect = response.status >= 300 && response.status < 400 && location !== null;
    if (!isRedirect) {
      return { response, url: current };
    }
    await response.body?.cancel().catch(() => {});
    if (hop + 1 >= MAX_REDIRECTS) {
      throw new ModelManagerError("network", `too many redirects from ${url.pathname}: more than ${MAX_REDIRECTS} hops`, {
        hint: "the server or a proxy is redirecting in a loop; check --endpoint / HF_ENDPOINT"
      });
    }
    const next = new URL(location, current);
    if (next.protocol !== "http:" && next.protocol !== "https:") {
      throw new ModelManagerError("network", `cannot follow a redirect to a ${next.protocol} URL`, {
        hint: "only http: and https: redirects are followed; check --endpoint / HF_ENDPOINT"
      });
    }
    if (options.stopAtFileRedirect && next.origin !== current.origin && carriesFileMetadata(response.headers)) {
      return { response, url: current };
    }
    current = next;
  }
}
function carriesFileMetadata(headers) {
  return ["x-repo-commit", "x-linked-size", "x-linked-etag"].some((name) => headers.has(name));
}
async function fetchOnce(connection, url, init) {
  const timeoutMs = connection.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const timer = new AbortController;
  const timeout = setTimeout(() => timer.abort(new DOMException("no answer", "TimeoutError")), timeoutMs);
  try {
    return await connection.fetch(url, {
      ...init,
      redirect: "manual",
      signal: anySignal(init.signal, timer.signal)
    });
  } catch (error) {
    if (init.signal?.aborted)
      throw error;
    const atEndpoint = url.origin === new URL(connection.endpoint).origin;
    const unreachable = !timer.signal.aborted && atEndpoint ? unreachableReason(error) : undefined;
    if (unreachable)
      throw endpointUnreachable(connection.endpoint, unreachable, error);
    const what = timer.signal.aborted ? `no answer within ${Number((timeoutMs / 1000).toFixed(1))} s` : describeNetworkError(error);
    throw retryableError(`connect to ${url.origin}: ${what}`, {
      cause: error,
      hint: `check the network connection and the endpoint (${connection.endpoint}); the command resumes when run again`
    });
  } finally {
    clearTimeout(timeout);
  }
}
function unreachableReason(error) {
  const cause = error?.cause;
  const text = [
    error?.code,
    error instanceof Error ? error.message : "",
    cause?.code,
    cause?.message
  ].join(" ");
  if (/ENOTFOUND|EAI_AGAIN|dns error|failed to lookup address|name resolution/i.test(text)) {
    return "dns";
  }
  if (/ECONNREFUSED|connection refused/i.test(text))
    return "refused";
  return;
}
function endpointUnreachable(endpoint, reason, cause) {
  const host = new URL(endpoint).host;
  return new ModelManagerError("network", reason === "dns" ? `cannot resolve ${host}: ${describeNetworkError(cause)}` : `cannot connect to ${host}: the connection was refused`, {
    cause,
    hint: reason === "dns" ? "is this machine offline? check the network, or the Hub URL (--endpoint / HF_ENDPOINT); with HF_HUB_OFFLINE=1, complete models still answer from the store" : "nothing listens there: check the Hub URL (--endpoint / HF_ENDPOINT) or the proxy"
  });
}
function describeNetworkError(error) {
  if (!(error instanceof Error))
    return String(error);
  const cause = error.cause;
  const detail = cause instanceof Error ? cause.message : "";
  return detail && !error.message.includes(detail) ? `${error.message} (${detail})` : error.message;
}
function getJson(connection, request) {
  const { url, context } = request;
  return withRetry(async () => {
    const { response, url: answeredBy } = await sendRequest(connection, url, {
      headers: { Accept: "application/json" }
    });
    if (!response.ok) {
      throw await (request.errorFor ?? errorForResponse)(response, {
        ...context,
        answeredBy,
        timeoutMs: connection.timeoutMs
      });
    }
    const text = await readBoundedText(response, connection.endpoint, {
      maxBytes: connection.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES,
      idleTimeoutMs: connection.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      action: context.action
    });
    try {
      return { body: JSON.parse(text), headers: response.headers, url: answeredBy };
    } catch (error) {
      throw unexpectedAnswer(`${context.action}: the Hub answered with invalid JSON`, { endpoint: connection.endpoint, cause: error });
    }
  }, {
    ...connection.retry,
    signal: connection.signal,
    onRetry: connection.onRetry,
    clock: connection.clock
  });
}

// src/hub/link_header.ts
function nextPageUrl(link, base) {
  if (!link)
    return;
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = part.match(/<([^>]*)>\s*(.*)$/);
    if (match && /(^|;)\s*rel\s*=\s*"?next"?\s*(;|$)/i.test(match[2])) {
      return new URL(match[1], base);
    }
  }
  return;
}

// src/hub/hub_urls.ts
function modelApiUrl(endpoint, repo, options = {}) {
  const parts = [repo.owner, repo.name, ...options.segments ?? []].map(encodeURIComponent);
  const url = new URL(`${endpoint}/api/models/${parts.join("/")}`);
  if (options.search)
    url.search = options.search.toString();
  return url;
}
function modelSearchUrl(endpoint, search) {
  return new URL(`${endpoint}/api/models?${search}`);
}
function resolveUrl(endpoint, file) {
  const { repo, revision, path } = file;
  return new URL(`${endpoint}/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/resolve/${encodeURIComponent(revision)}/${encodeRepoPath(path)}`);
}

// src/http/request_context.ts
function requestContext(connection, subject) {
  return {
    ...subject,
    endpoint: connection.endpoint,
    hasToken: Boolean(connection.token),
    timeoutMs: connection.timeoutMs
  };
}

// src/hub/list_files.ts
var MAX_PAGES = 1000;
function hostileListing(repo, path) {
  return new ModelManagerError("integrity", `unsafe file path ${JSON.stringify(path)} in the listing of ${repo}: it is not a safe relative path`, {
    hint: "the endpoint sent a hostile or broken listing; nothing was written. Check --endpoint / HF_ENDPOINT"
  });
}
function brokenListing(origin, problem) {
  const { repo, endpointVariable = "HF_ENDPOINT" } = origin;
  return new ModelManagerError("integrity", `read the listing of ${repo}: ${problem}`, {
    hint: `the endpoint sent a hostile or broken listing; nothing was written. Check --endpoint / ${endpointVariable}`
  });
}
function addListedFile(listing, entry) {
  const { file } = entry;
  if (listing.has(file.path)) {
    throw brokenListing(entry, `${JSON.stringify(file.path)} is listed twice`);
  }
  listing.set(file.path, file);
}
function toRepoFile(entry, repo) {
  if (entry.type !== "file")
    return;
  const problem = repoPathProblem(entry.path);
  if (problem?.kind === "long-name") {
    throw brokenListing({ repo }, `the name ${JSON.stringify(`${problem.name.slice(0, 40)}…`)} is ${problem.bytes} bytes long, more than the ${MAX_NAME_BYTES} a file system allows`);
  }
  if (problem || typeof entry.path !== "string")
    throw hostileListing(repo, entry.path);
  const lfs = entry.lfs;
  const size = typeof entry.size === "number" ? entry.size : Number(lfs?.size);
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new ModelManagerError("integrity", `read the size of ${entry.path} in ${repo}: the listing has none`, {
      hint: "check --endpoint / HF_ENDPOINT points at a Hugging Face Hub"
    });
  }
  const sha256 = typeof lfs?.oid === "string" ? lfs.oid : typeof lfs?.sha256 === "string" ? lfs.sha256 : undefined;
  return {
    path: entry.path,
    size,
    gitSha1: typeof entry.oid === "string" && !lfs ? entry.oid : undefined,
    sha256: sha256?.toLowerCase(),
    lfs: lfs !== undefined && lfs !== null
  };
}
async function listRepoFiles(connection, repo, options) {
  const { revision } = options;
  const listing = new Map;
  let url = modelApiUrl(connection.endpoint, repo, {
    segments: ["tree", revision],
    search: new URLSearchParams({ recursive: "true", expand: "false" })
  });
  for (let page = 0;url; page++) {
    if (page === MAX_PAGES) {
      throw new ModelManagerError("network", `list the files of ${repo.id}: the listing goes on past ${MAX_PAGES} pages`, {
        hint: `the endpoint seems to loop; check --endpoint / HF_ENDPOINT (${connection.endpoint})`
      });
    }
    const { body, headers } = await getJson(connection, {
      url,
      context: requestContext(connection, { repo: repo.id, revision, action: "list the files" })
    });
    if (!Array.isArray(body)) {
      throw unexpectedAnswer(`list the files of ${repo.id}: the answer is not a list`, { endpoint: connection.endpoint });
    }
    for (const entry of body) {
      const file = toRepoFile(entry ?? {}, repo.id);
      if (file)
        addListedFile(listing, { file, repo: repo.id });
    }
    url = nextPageUrl(headers.get("link"), url);
  }
  return [...listing.values()];
}

// src/hub/list_refs.ts
function refsOf(list) {
  if (!Array.isArray(list))
    return [];
  return list.flatMap((item) => {
    const { name, targetCommit } = item ?? {};
    if (typeof name !== "string" || name === "" || typeof targetCommit !== "string")
      return [];
    if (!/^[0-9a-f]{40}$/i.test(targetCommit))
      return [];
    return [{ name, targetCommit: targetCommit.toLowerCase() }];
  });
}
async function listRepoRefs(connection, repo) {
  const { body } = await getJson(connection, {
    url: modelApiUrl(connection.endpoint, repo, { segments: ["refs"] }),
    context: requestContext(connection, { repo: repo.id, action: "list the branches" })
  });
  const record = body ?? {};
  return { branches: refsOf(record.branches), tags: refsOf(record.tags) };
}

// src/hub/repo_info.ts
async function fetchRepoInfo(connection, repo, options = {}) {
  const { revision } = options;
  const url = modelApiUrl(connection.endpoint, repo, {
    segments: revision ? ["revision", revision] : []
  });
  const { body, url: answeredBy } = await getJson(connection, {
    url,
    context: requestContext(connection, { repo: repo.id, revision, action: "read the repo info" })
  });
  const record = body ?? {};
  if (typeof record.sha !== "string" || !/^[0-9a-f]{40}$/i.test(record.sha)) {
    throw unexpectedAnswer(`read the repo info of ${repo.id}: the answer has no commit sha`, { endpoint: connection.endpoint });
  }
  const id = checkedId(record.id, repo, answeredBy);
  const gated = record.gated === "auto" || record.gated === "manual" ? record.gated : false;
  const siblings = Array.isArray(record.siblings) ? record.siblings.map((item) => item?.rfilename).filter((name) => typeof name === "string") : [];
  return {
    id,
    sha: record.sha.toLowerCase(),
    gated,
    private: record.private === true,
    lastModified: typeof record.lastModified === "string" ? record.lastModified : undefined,
    downloads: typeof record.downloads === "number" ? record.downloads : undefined,
    siblings
  };
}
function repoOfApiUrl(url) {
  const parts = url.pathname.split("/");
  if (parts[1] !== "api" || parts[2] !== "models" || !parts[3] || !parts[4])
    return;
  try {
    return `${decodeURIComponent(parts[3])}/${decodeURIComponent(parts[4])}`.toLowerCase();
  } catch {
    return;
  }
}
function checkedId(said, repo, answeredBy) {
  if (typeof said !== "string")
    return repo.id;
  const accepted = [repo.id.toLowerCase(), repoOfApiUrl(answeredBy)];
  if (accepted.includes(said.toLowerCase()))
    return said;
  throw new ModelManagerError("integrity", `read the repo info of ${repo.id}: the answer is about another repository (${JSON.stringify(said.slice(0, 200))})`, {
    hint: "the endpoint sent a hostile or broken answer; nothing was downloaded. Check --endpoint / HF_ENDPOINT"
  });
}

// src/hub/resolve_file.ts
function normalizeEtag(etag) {
  if (!etag)
    return;
  return etag.trim().replace(/^W\//i, "").replace(/^"(.*)"$/, "$1") || undefined;
}
function numberHeader(value) {
  if (value === null || !/^\d+$/.test(value.trim()))
    return;
  return Number(value.trim());
}
function redirectedFrom(headers, contentUrl) {
  return {
    contentUrl,
    commit: headers.get("x-repo-commit") ?? undefined,
    size: numberHeader(headers.get("x-linked-size")),
    etag: normalizeEtag(headers.get("x-linked-etag") ?? headers.get("etag"))
  };
}
function servedFrom(headers, contentUrl) {
  return {
    ...redirectedFrom(headers, contentUrl),
    size: numberHeader(headers.get("x-linked-size")) ?? numberHeader(headers.get("content-length"))
  };
}
function resolveFile(connection, file) {
  const { repo, revision, path } = file;
  const url = resolveUrl(connection.endpoint, file);
  return withRetry(async () => {
    const { response, url: answeredBy } = await sendRequest(connection, url, {
      method: "HEAD",
      headers: { "Accept-Encoding": "identity" },
      stopAtFileRedirect: true
    });
    await response.body?.cancel().catch(() => {});
    const headers = response.headers;
    const location = headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      return redirectedFrom(headers, new URL(location, answeredBy));
    }
    if (!response.ok) {
      throw await errorForResponse(response, requestContext(connection, {
        repo: repo.id,
        file: path,
        revision,
        action: "resolve the file",
        answeredBy
      }));
    }
    if (response.status !== 200) {
      throw unexpectedAnswer(`resolve ${path} in ${repo.id}: unexpected status ${response.status}`, { endpoint: connection.endpoint });
    }
    return servedFrom(headers, answeredBy);
  }, {
    ...connection.retry,
    signal: connection.signal,
    onRetry: connection.onRetry,
    clock: connection.clock
  });
}

// src/hub/search_models.ts
var EXPANDED_FIELDS = ["downloads", "likes", "lastModified", "tags"];
async function searchModels(connection, options) {
  const limit = options.limit ?? 50;
  const params = new URLSearchParams;
  if (options.search)
    params.set("search", options.search);
  if (options.filter)
    params.set("filter", options.filter);
  params.set("sort", "downloads");
  params.set("limit", String(Math.min(limit, 1000)));
  for (const field of EXPANDED_FIELDS)
    params.append("expand", field);
  let url = modelSearchUrl(connection.endpoint, params);
  const results = [];
  while (url && results.length < limit) {
    const { body, headers } = await getJson(connection, {
      url,
      context: requestContext(connection, { action: "search the Hub" })
    });
    for (const item of Array.isArray(body) ? body : []) {
      const record = item ?? {};
      const id = typeof record.id === "string" ? record.id : record.modelId;
      if (typeof id !== "string")
        continue;
      results.push({
        id,
        downloads: typeof record.downloads === "number" ? record.downloads : 0,
        likes: typeof record.likes === "number" ? record.likes : 0,
        lastModified: typeof record.lastModified === "string" ? record.lastModified : undefined,
        tags: Array.isArray(record.tags) ? record.tags.filter((tag) => typeof tag === "string") : []
      });
    }
    url = nextPageUrl(headers.get("link"), url);
  }
  return results.slice(0, limit).sort((a, b) => b.downloads - a.downloads);
}

// src/source/hugging_face_source.ts
var huggingFaceSource = {
  name: "huggingface",
  repoInfo: fetchRepoInfo,
  listFiles: listRepoFiles,
  listRefs: listRepoRefs,
  resolveFile,
  searchModels
};

// src/modelscope/modelscope_errors.ts
async function saidBy(response, context) {
  try {
    const { bytes } = await readBodyPrefix(response, {
      maxBytes: 16 * 1024,
      idleTimeoutMs: context.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      action: context.action
    });
    const text = new TextDecoder().decode(bytes).slice(0, 2000);
    try {
      const body = JSON.parse(text);
      for (const key of ["Message", "message", "msg", "error", "detail"]) {
        if (typeof body?.[key] === "string")
          return body[key];
      }
    } catch {}
    return text.trim().slice(0, 200);
  } catch {
    return "";
  }
}
function tokenHint(context) {
  return context.hasToken ? "check that your ModelScope token (MODELSCOPE_API_TOKEN or --token) has access to this model" : `the model may be private: set MODELSCOPE_API_TOKEN (your SDK token from ${context.endpoint}/my/myaccesstoken) or pass --token`;
}
async function errorForModelScope(response, context) {
  const { status } = response;
  if (isRetryableStatus(status))
    return await errorForResponse(response, context);
  const said = await saidBy(response, context);
  const because = `${status}${said ? `: ${said}` : ""}`;
  const repo = context.repo ?? "the model";
  const about = { status, repo: context.repo, file: context.file };
  if (status === 401 || status === 403) {
    return new ModelManagerError("auth", `cannot access model ${repo} on ModelScope: permission denied (${because})`, { hint: tokenHint(context), ...about });
  }
  if (status === 404)
    return notFound2(context, because);
  return new ModelManagerError("network", `cannot ${context.action} of ${repo}: ModelScope answered ${because}`, {
    hint: "try again later, or check --endpoint / MODELSCOPE_ENDPOINT",
    ...about
  });
}
function notFound2(context, because) {
  const repo = context.repo ?? "the model";
  const about = { status: 404, repo: context.repo, file: context.file };
  if (context.file)
    return fileNotFound(repo, context.file);
  if (context.revision)
    return revisionNotFound(repo, context.revision);
  return new ModelManagerError("repo_not_found", `cannot find model ${repo} on ModelScope: the model does not exist (${because})`, {
    hint: `check the model id (owner/name) at ${context.endpoint}/models/${context.repo ?? ""}; ${tokenHint(context)}`,
    ...about
  });
}
function revisionNotFound(repo, revision) {
  return new ModelManagerError("repo_not_found", `cannot find revision ${revision} of model ${repo} on ModelScope`, {
    hint: "use an existing branch or tag (ModelScope's default branch is master), or leave --revision out",
    repo,
    status: 404
  });
}
function fileNotFound(repo, file) {
  return new ModelManagerError("file_not_found", `cannot find file ${file} in model ${repo} on ModelScope: the file path does not exist`, {
    hint: `list the model's files with: rkllm-models files --source modelscope ${repo}`,
    repo,
    file,
    status: 404
  });
}
function envelopeData(body, action) {
  const envelope = body ?? {};
  const data = envelope.Data;
  if (envelope.Code !== 200 || envelope.Success === false || typeof data !== "object" || !data) {
    const said = typeof envelope.Message === "string" ? `: ${envelope.Message.slice(0, 200)}` : "";
    throw new ModelManagerError("network", `cannot ${action}: ModelScope answered Code ${String(envelope.Code)}${said}`, { hint: "check that --endpoint / MODELSCOPE_ENDPOINT is a ModelScope endpoint" });
  }
  return data;
}

// src/modelscope/list_files.ts
var SKIPPED = new Set([".gitignore", ".gitattributes"]);
var encoder2 = new TextEncoder;
function brokenListing2(repo, problem) {
  return brokenListing({ repo, endpointVariable: "MODELSCOPE_ENDPOINT" }, problem);
}
function toRepoFile2(entry, repo) {
  if (entry.Type !== "blob")
    return;
  const path = entry.Path;
  if (typeof path !== "string" || !isSafeRepoPath(path)) {
    throw brokenListing2(repo, `the path ${JSON.stringify(path)} is not a safe relative path`);
  }
  if (SKIPPED.has(path))
    return;
  if (path.split("/").some((name) => encoder2.encode(name).length > MAX_NAME_BYTES)) {
    throw brokenListing2(repo, `a name in ${JSON.stringify(path.slice(0, 80))} is too long`);
  }
  const size = entry.Size;
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) {
    throw brokenListing2(repo, `${path} has no valid Size`);
  }
  const sha256 = entry.Sha256;
  if (sha256 !== null && sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(String(sha256))) {
    throw brokenListing2(repo, `${path} has an invalid Sha256`);
  }
  return {
    path,
    size,
    sha256: typeof sha256 === "string" ? sha256.toLowerCase() : undefined,
    lfs: entry.IsLFS === true
  };
}
async function listModelScopeFiles(connection, repo, options) {
  const { revision } = options;
  const action = "list the files";
  const { body } = await getJson(connection, {
    url: modelScopeApiUrl(connection.endpoint, repo, {
      segments: ["repo", "files"],
      search: new URLSearchParams({ Revision: revision, Recursive: "True" })
    }),
    context: requestContext(connection, { repo: repo.id, revision, action }),
    errorFor: errorForModelScope
  });
  const entries = envelopeData(body, `${action} of ${repo.id}`).Files;
  if (!Array.isArray(entries))
    throw brokenListing2(repo.id, "the answer has no Files list");
  const listing = new Map;
  for (const entry of entries) {
    const file = toRepoFile2(entry ?? {}, repo.id);
    if (file) {
      addListedFile(listing, { file, repo: repo.id, endpointVariable: "MODELSCOPE_ENDPOINT" });
    }
  }
  return [...listing.values()];
}

// src/modelscope/list_revisions.ts
function refsOf2(list) {
  if (!Array.isArray(list))
    return [];
  return list.flatMap((item) => {
    const name = item?.Revision;
    return typeof name === "string" && name ? [{ name, targetCommit: name }] : [];
  });
}
async function listModelScopeRevisions(connection, repo) {
  const action = "list the revisions";
  const { body } = await getJson(connection, {
    url: modelScopeApiUrl(connection.endpoint, repo, { segments: ["revisions"] }),
    context: requestContext(connection, { repo: repo.id, action }),
    errorFor: errorForModelScope
  });
  const map = envelopeData(body, `${action} of ${repo.id}`).RevisionMap ?? {};
  return { branches: refsOf2(map.Branches), tags: refsOf2(map.Tags) };
}

// src/modelscope/repo_info.ts
var MODELSCOPE_DEFAULT_REVISION = "master";
async function fetchModelScopeRepoInfo(connection, repo, options = {}) {
  const action = "read the model info";
  const { body } = await getJson(connection, {
    url: modelScopeApiUrl(connection.endpoint, repo),
    context: requestContext(connection, { repo: repo.id, action }),
    errorFor: errorForModelScope
  });
  const data = envelopeData(body, `${action} of ${repo.id}`);
  const revision = options.revision ?? MODELSCOPE_DEFAULT_REVISION;
  if (options.revision !== undefined)
    await requireRevision(connection, repo, revision);
  const said = typeof data.Path === "string" && typeof data.Name === "string" ? `${data.Path}/${data.Name}` : undefined;
  return {
    id: said?.toLowerCase() === repo.id.toLowerCase() ? said : repo.id,
    sha: revision,
    gated: false,
    private: data.Visibility === 1,
    downloads: typeof data.Downloads === "number" ? data.Downloads : undefined,
    siblings: []
  };
}
async function requireRevision(connection, repo, revision) {
  const { branches, tags } = await listModelScopeRevisions(connection, repo);
  if (![...branches, ...tags].some((ref) => ref.name === revision)) {
    throw revisionNotFound(repo.id, revision);
  }
}

// src/modelscope/resolve_file.ts
function resolveModelScopeFile(connection, file) {
  return Promise.resolve({ contentUrl: modelScopeFileUrl(connection.endpoint, file) });
}

// src/modelscope/search_models.ts
var MAX_RESULTS = 3000;
function resultOf(item) {
  const record = item ?? {};
  if (typeof record.id !== "string" || !record.id.includes("/"))
    return;
  const tags = Array.isArray(record.tags) ? record.tags : [];
  return {
    id: record.id,
    downloads: typeof record.downloads === "number" ? record.downloads : 0,
    likes: typeof record.likes === "number" ? record.likes : 0,
    lastModified: typeof record.last_modified === "string" ? record.last_modified : undefined,
    tags: tags.filter((tag) => typeof tag === "string")
  };
}
async function searchModelScope(connection, options) {
  const limit = Math.min(options.limit ?? 50, MAX_RESULTS);
  const pageSize = Math.min(limit, 100);
  const results = [];
  for (let page = 1;results.length < limit && page * pageSize <= MAX_RESULTS; page++) {
    const url = new URL(`${connection.endpoint}/openapi/v1/models`);
    if (options.search)
      url.searchParams.set("search", options.search);
    url.searchParams.set("sort", "downloads");
    url.searchParams.set("page_number", String(page));
    url.searchParams.set("page_size", String(pageSize));
    const { body } = await getJson(connection, {
      url,
      context: requestContext(connection, { action: "search ModelScope" }),
      errorFor: errorForModelScope
    });
    const data = (body ?? {}).data;
    const models = Array.isArray(data?.models) ? data.models : [];
    for (const item of models) {
      const result = resultOf(item);
      if (result)
        results.push(result);
    }
    if (models.length < pageSize)
      break;
  }
  return results.slice(0, limit).sort((a, b) => b.downloads - a.downloads);
}

// src/source/modelscope_source.ts
var modelScopeSource = {
  name: "modelscope",
  tokenCookie: "m_session_id",
  repoInfo: fetchModelScopeRepoInfo,
  listFiles: listModelScopeFiles,
  listRefs: listModelScopeRevisions,
  resolveFile: resolveModelScopeFile,
  searchModels: searchModelScope
};

// src/source/repo_source.ts
var SOURCE_NAMES = ["huggingface", "modelscope"];

// src/source/source_named.ts
var SOURCES = {
  huggingface: huggingFaceSource,
  modelscope: modelScopeSource
};
function sourceNamed(name) {
  const source = SOURCES[name];
  if (SOURCE_NAMES.includes(name) && source)
    return source;
  throw new ModelManagerError("usage", `invalid source ${JSON.stringify(name)}: expected huggingface or modelscope`, {
    hint: "pass --source huggingface (the default) or --source modelscope"
  });
}

// src/download/download_events.ts
function retryEventOf(file, event) {
  return {
    event: "retry",
    file,
    attempt: event.attempt,
    delayMs: Math.round(event.delayMs),
    message: event.error.message,
    reason: event.reason,
    nextAttempt: event.nextAttempt,
    attempts: event.attempts
  };
}

// src/manager/download_model.ts
import { join as join8 } from "node:path";

// src/store/partial_state.ts
var PARTIAL_SUFFIX = ".part";
var STATE_SUFFIX = `${PARTIAL_SUFFIX}.state`;
function completedBytes(segments) {
  return segments.reduce((sum, segment) => sum + (segment.next - segment.start), 0);
}
function isSha256Hex(value) {
  return value !== undefined && /^[0-9a-f]{64}$/i.test(value);
}
function isGitSha1Hex(value) {
  return value !== undefined && /^[0-9a-f]{40}$/i.test(value);
}
function identityOfFile(file) {
  const gitSha1 = file.lfs ? undefined : file.gitSha1;
  return {
    size: file.size,
    sha256: isSha256Hex(file.sha256) ? file.sha256.toLowerCase() : undefined,
    gitSha1: isGitSha1Hex(gitSha1) ? gitSha1.toLowerCase() : undefined
  };
}
function partialPathOf(destination) {
  return `${destination}${PARTIAL_SUFFIX}`;
}
function statePathOf(destination) {
  return `${destination}${STATE_SUFFIX}`;
}
function destinationOfPartial(path) {
  if (path.endsWith(STATE_SUFFIX))
    return path.slice(0, -STATE_SUFFIX.length);
  if (path.endsWith(PARTIAL_SUFFIX))
    return path.slice(0, -PARTIAL_SUFFIX.length);
  return;
}
async function readDownloadState(runtime, destination) {
  const read = await readJsonFile(runtime, statePathOf(destination), {
    check: downloadStateProblem
  });
  if (read.status === "unreadable")
    throw read.error;
  return read.status === "ok" ? trustedState(read.value, runtime.bootId()) : undefined;
}
function trustedState(state, bootId) {
  const { bootId: savedDuring, durableSegments } = state;
  if (savedDuring === undefined || durableSegments === undefined) {
    return claimingOnAnyBoot(state, state.segments);
  }
  if (savedDuring === bootId && mayTrustUnflushed(state.identity))
    return state;
  return claimingOnAnyBoot(state, durableSegments);
}
function claimingOnAnyBoot(state, segments) {
  const { bootId: _boot, durableSegments: _durable, ...rest } = state;
  return { ...rest, segments };
}
function mayTrustUnflushed(identity) {
  return identity.sha256 !== undefined || identity.gitSha1 !== undefined;
}
function downloadStateProblem(parsed) {
  const state = parsed;
  if (!isJsonObject(parsed) || state?.version !== 1)
    return "not a version 1 state";
  if (!Array.isArray(state.segments))
    return "segments is not an array";
  if (typeof state.identity?.size !== "number")
    return "identity.size is not a number";
  if (state.bootId !== undefined && typeof state.bootId !== "string")
    return "bootId is not text";
  const savesDurable = state.bootId !== undefined || state.durableSegments !== undefined;
  if (savesDurable && !Array.isArray(state.durableSegments)) {
    return "durableSegments is not an array";
  }
  const segmentsValid = [...state.segments, ...state.durableSegments ?? []].every((segment) => Number.isSafeInteger(segment.start) && Number.isSafeInteger(segment.end) && Number.isSafeInteger(segment.next) && segment.next >= segment.start && segment.next <= segment.end + 1);
  return segmentsValid ? undefined : "a segment's bytes are out of its range";
}
function holdsSavedBytes(state, partialSize) {
  if (partialSize === undefined)
    return false;
  return state.segments.every((segment) => segment.next === segment.start || segment.next <= partialSize);
}
async function partialProgress(runtime, destination, options = {}) {
  try {
    const state = await readDownloadState(runtime, destination);
    if (!state)
      return;
    if (options.identity && !sameIdentity(state.identity, options.identity))
      return;
    const total = state.identity.size;
    const partialSize = (await runtime.stat(partialPathOf(destination)).catch(() => {
      return;
    }))?.size;
    if (!holdsSavedBytes(state, partialSize))
      return { bytes: 0, total };
    return { bytes: state.verified ? total : completedBytes(state.segments), total };
  } catch {
    return;
  }
}
async function writeDownloadState(runtime, saved) {
  const { destination, state, flush } = saved;
  try {
    await writeJsonAtomic(runtime, { path: statePathOf(destination), value: state, flush });
  } catch (error) {
    throw storageFailure(`save the progress of ${state.file}`, error, { resumable: true });
  }
}
async function removePartial(runtime, destination) {
  await runtime.remove(partialPathOf(destination));
  await runtime.remove(statePathOf(destination));
}
function sameIdentity(a, b) {
  if (a.size !== b.size)
    return false;
  if (a.sha256 && b.sha256)
    return a.sha256 === b.sha256;
  if (a.gitSha1 && b.gitSha1)
    return a.gitSha1 === b.gitSha1;
  return !a.sha256 && !b.sha256 && !a.gitSha1 && !b.gitSha1;
}

// src/download/file_hash.ts
import { createHash } from "node:crypto";
function expectedHashOf(identity) {
  if (identity.sha256)
    return { algorithm: "sha256", hex: identity.sha256 };
  if (identity.gitSha1)
    return { algorithm: "git-sha1", hex: identity.gitSha1 };
  return;
}
function createContentHasher(algorithm, size) {
  let hash;
  if (algorithm === "git-sha1") {
    hash = createHash("sha1");
    hash.update(`blob ${size}\x00`);
  } else {
    hash = createHash("sha256");
  }
  return {
    update: (bytes) => void hash.update(bytes),
    digest: () => hash.digest("hex")
  };
}
var READ_CHUNK = 4 * 1024 * 1024;
async function hashFile(runtime, path, options) {
  const size = (await runtime.stat(path)).size;
  const handle = await runtime.open(path);
  try {
    return await hashOpenFile(handle, size, options);
  } finally {
    await handle.close();
  }
}
async function hashOpenFile(handle, size, options) {
  const { algorithm, signal } = options;
  const hasher = createContentHasher(algorithm, size);
  const buffer = new Uint8Array(Math.min(READ_CHUNK, Math.max(size, 1)));
  let position = 0;
  while (position < size) {
    if (signal?.aborted)
      throw cancelledError(signal.reason);
    const count = await handle.read(buffer, position);
    if (count === 0)
      break;
    hasher.update(buffer.subarray(0, count));
    position += count;
  }
  return hasher.digest();
}

// src/download/confirm_identity.ts
function confirmFile(what, options) {
  const { repo, commit, file } = what;
  const { connection } = options;
  const source = options.source ?? huggingFaceSource;
  const listed = identityOfFile(file);
  return withRetry(async () => {
    const resolved = await source.resolveFile(connection, {
      repo,
      revision: commit,
      path: file.path
    });
    const conflict = disagreement(listed, resolved);
    if (!conflict)
      return confirmed(listed, resolved, { file, connection });
    const relisted = (await source.listFiles(connection, repo, { revision: commit })).find((entry) => entry.path === file.path);
    const identity = relisted && identityOfFile(relisted);
    if (relisted && identity && !disagreement(identity, resolved)) {
      return confirmed(identity, resolved, { file: relisted, connection });
    }
    throw markRetryable(new ModelManagerError("integrity", `download ${file.path} in ${repo.id}: the Hub lists it with ${conflict}`, {
      hint: "the Hub's file listing and its download answer disagree; the partial download was kept — run the command again later"
    }));
  }, {
    ...options.retry,
    signal: connection.signal,
    clock: connection.clock,
    onRetry: (event) => options.onEvent?.(retryEventOf(file.path, event))
  });
}
function disagreement(identity, resolved) {
  if (resolved.size !== undefined && resolved.size !== identity.size) {
    return `${identity.size} bytes but serves ${resolved.size} (X-Linked-Size)`;
  }
  const served = isSha256Hex(resolved.etag) ? resolved.etag.toLowerCase() : undefined;
  if (identity.sha256 && served && served !== identity.sha256) {
    return `sha256 ${identity.sha256} but serves ${served} (X-Linked-Etag)`;
  }
  return;
}
function confirmed(identity, resolved, source) {
  return { resolved, identity, expected: bestHash(identity, resolved, source) };
}
function bestHash(identity, resolved, source) {
  const listed = expectedHashOf(identity);
  if (listed)
    return listed;
  const etag = resolved.etag?.toLowerCase();
  if (isSha256Hex(etag))
    return { algorithm: "sha256", hex: etag };
  const servedByHub = resolved.contentUrl.origin === new URL(source.connection.endpoint).origin;
  if (isGitSha1Hex(etag) && servedByHub && !source.file.lfs) {
    return { algorithm: "git-sha1", hex: etag };
  }
  return;
}

// src/http/content_encoding.ts
async function refuseContentEncoding(response, action) {
  const encoding = response.headers.get("content-encoding")?.trim().toLowerCase();
  if (!encoding || encoding === "identity")
    return;
  await response.body?.cancel().catch(() => {});
  throw retryableError(`${action}: the server sent the file compressed (Content-Encoding: ${encoding}) although it was asked for the plain bytes`, {
    hint: "a proxy or mirror between you and the Hub compresses downloads; turn that off for this endpoint, or use another --endpoint / HF_ENDPOINT"
  });
}

// src/runtime/chunked_body.ts
class ChunkedBody extends ReadableStream {
  #source;
  constructor(source, options = {}) {
    const own = options.reusesChunks === true;
    super({
      async pull(controller) {
        const { done, value } = await source.read();
        if (done || !value)
          controller.close();
        else
          controller.enqueue(own ? value.slice() : value);
      },
      cancel: () => source.cancel()
    }, { highWaterMark: 0 });
    this.#source = source;
  }
  takeChunkReader() {
    if (this.locked)
      return;
    this.getReader();
    return this.#source;
  }
}

// src/download/body_writer.ts
var spareBuffers = [];
var MAX_SPARE_BUFFERS = 16;

class BodyWriter {
  #target;
  #buffer;
  #filled = 0;
  #position = 0;
  #segment;
  constructor(target, batchBytes) {
    this.#target = target;
    const spare = spareBuffers.findLastIndex((buffer) => buffer.length === batchBytes);
    this.#buffer = spare === -1 ? new Uint8Array(batchBytes) : spareBuffers.splice(spare, 1)[0];
  }
  release() {
    const buffer = this.#buffer;
    this.#buffer = undefined;
    this.#filled = 0;
    if (buffer && spareBuffers.length < MAX_SPARE_BUFFERS)
      spareBuffers.push(buffer);
  }
  #batch() {
    if (!this.#buffer)
      throw new Error("the body writer was released");
    return this.#buffer;
  }
  front(segment) {
    if (this.#segment !== segment || this.#filled === 0)
      return segment.next;
    return Math.max(segment.next, this.#position + this.#filled);
  }
  async put(segment, bytes, position) {
    if (this.#segment !== segment || this.#position + this.#filled !== position) {
      await this.flush();
    }
    const buffer = this.#batch();
    let done = 0;
    while (done < bytes.length) {
      if (this.#filled === 0) {
        this.#segment = segment;
        this.#position = position + done;
        if (bytes.length - done >= buffer.length) {
          await this.#write(segment, bytes.subarray(done), this.#position);
          return;
        }
      }
      const count = Math.min(bytes.length - done, buffer.length - this.#filled);
      buffer.set(bytes.subarray(done, done + count), this.#filled);
      this.#filled += count;
      done += count;
      if (this.#filled === buffer.length)
        await this.flush();
    }
  }
  async flush() {
    const segment = this.#segment;
    const filled = this.#filled;
    this.#filled = 0;
    if (!segment || filled === 0)
      return;
    await this.#write(segment, this.#batch().subarray(0, filled), this.#position);
  }
  async#write(segment, bytes, position) {
    const length = Math.max(0, Math.min(bytes.length, segment.end + 1 - position));
    if (length === 0)
      return;
    const batch = bytes.subarray(0, length);
    try {
      await this.#target.handle.write(batch, position);
    } catch (error) {
      throw storageFailure(`write ${this.#target.file}`, error, { resumable: true });
    }
    const landed = Math.max(0, Math.min(length, segment.end + 1 - position));
    this.#target.book.advance(segment, position + landed);
    this.#target.onBytes(length);
    const held = landed > 0 ? this.#target.onWritten?.(position, batch.subarray(0, landed)) : undefined;
    if (held)
      await held;
  }
}
var READ_BYTES = 512 * 1024;
function chunkReaderOf(body) {
  const direct = body instanceof ChunkedBody ? body.takeChunkReader() : undefined;
  if (direct)
    return direct;
  let byob;
  try {
    byob = body.getReader({ mode: "byob" });
  } catch {
    const reader = body.getReader();
    return { read: () => reader.read(), cancel: () => reader.cancel() };
  }
  let buffer = new ArrayBuffer(READ_BYTES);
  return {
    async read() {
      const result = await byob.read(new Uint8Array(buffer));
      if (result.value)
        buffer = result.value.buffer;
      return result;
    },
    cancel: () => byob.cancel()
  };
}

// src/download/stall_watchdog.ts
var MIN_BYTES_PER_SECOND = 1024;

class StallWatchdog {
  signal;
  stallReason;
  #controller = new AbortController;
  #stopTicking;
  #clock;
  #windowMs;
  #minRate;
  #received = 0;
  #lastByteAt;
  #samples = [];
  constructor(windowMs, options = {}) {
    this.signal = this.#controller.signal;
    this.#windowMs = windowMs;
    this.#minRate = options.minBytesPerSecond ?? MIN_BYTES_PER_SECOND;
    this.#clock = options.clock ?? systemClock;
    this.#lastByteAt = this.#clock.now();
    this.#stopTicking = this.#clock.every(Math.max(10, Math.min(1000, windowMs / 4)), () => this.#check());
  }
  received(count) {
    const now = this.#clock.now();
    if (this.#samples.length === 0)
      this.#samples.push({ at: now, bytes: 0 });
    this.#received += count;
    this.#lastByteAt = now;
  }
  stop() {
    this.#stopTicking();
  }
  #check() {
    const now = this.#clock.now();
    const seconds = Number((this.#windowMs / 1000).toFixed(1));
    if (now - this.#lastByteAt > this.#windowMs) {
      return this.#abort(`no data for ${seconds} s`);
    }
    if (this.#samples.length === 0)
      return;
    this.#samples.push({ at: now, bytes: this.#received });
    while (this.#samples.length > 1 && this.#samples[1].at <= now - this.#windowMs) {
      this.#samples.shift();
    }
    const oldest = this.#samples[0];
    if (oldest.at > now - this.#windowMs)
      return;
    const bytes = this.#received - oldest.bytes;
    if (bytes < this.#minRate * this.#windowMs / 1000) {
      this.#abort(`only ${bytes} bytes in the last ${seconds} s, slower than ${this.#minRate / 1024} KiB/s`);
    }
  }
  #abort(reason) {
    if (this.signal.aborted)
      return;
    this.stallReason = reason;
    this.stop();
    this.#controller.abort(new DOMException(reason, "TimeoutError"));
  }
}

// src/download/fetch_segment.ts
class RangeIgnoredError extends Error {
  constructor() {
    super("the server ignored the Range header");
    this.name = "RangeIgnoredError";
  }
}

class RemoteChangedError extends Error {
  constructor(reason) {
    super(reason);
    this.name = "RemoteChangedError";
  }
}
var WRITE_BATCH = 256 * 1024;
var REFUSAL_READ_BYTES = 4096;
var REFUSAL_QUOTE_CHARS = 200;
function parseContentRange(value) {
  const match = value?.match(/^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i);
  if (!match)
    return;
  return {
    start: Number(match[1]),
    end: Number(match[2]),
    total: match[3] === "*" ? undefined : Number(match[3])
  };
}
async function fetchSegment(job, segment, options = {}) {
  const wholeFile = options.wholeFile ?? false;
  if (segment.next > segment.end)
    return;
  const range = wholeFile && segment.next === 0 ? undefined : `bytes=${segment.next}-${segment.end}`;
  await fetchInto(job, [segment], { range, acceptWholeBody: wholeFile });
}
async function fetchWholeBody(job, segments) {
  const missing = segments.filter((segment) => segment.next <= segment.end).sort((a, b) => a.start - b.start);
  if (missing.length === 0)
    return;
  await fetchInto(job, missing, { acceptWholeBody: true });
}
async function fetchInto(job, targets, request) {
  const watchdog = new StallWatchdog(job.idleTimeoutMs, { clock: job.connection.clock });
  const headers = { "Accept-Encoding": "identity" };
  if (request.range)
    headers.Range = request.range;
  const label = `${job.file} in ${job.repo}`;
  try {
    const { response, url } = await sendRequest(job.connection, job.contentUrl, {
      headers,
      signal: watchdog.signal
    });
    if (response.ok)
      await refuseContentEncoding(response, `download ${label}`);
    const bodyStart = await bodyStartOf(job, { response, url }, targets[0], request);
    if (!response.body)
      throw retryableError(`download ${label}: the answer has no body`);
    if (bodyStart < targets[0].next && response.status === 200) {
      job.onReadPast?.(targets[0].next - bodyStart);
    }
    const reader = chunkReaderOf(response.body);
    const stopCancelling = cancelOnAbort(reader, [watchdog.signal, job.connection.signal]);
    try {
      await copyBody(job, reader, { start: bodyStart, targets, watchdog });
    } finally {
      stopCancelling();
    }
    const short = targets.find((segment) => segment.next <= segment.end);
    if (short) {
      throw retryableError(`download ${label}: the connection closed after ${short.next} of ${short.end + 1} bytes`);
    }
  } catch (error) {
    if (job.connection.signal?.aborted)
      throw job.connection.signal.reason ?? error;
    if (watchdog.signal.aborted)
      throw retryableError(`download ${label}: ${watchdog.stallReason}`);
    if (error instanceof ModelManagerError || error instanceof RangeIgnoredError || error instanceof RemoteChangedError) {
      throw error;
    }
    throw retryableError(`download ${label}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  } finally {
    watchdog.stop();
  }
}
function cancelOnAbort(reader, signals) {
  const cancel = () => void reader.cancel().catch(() => {});
  const watched = signals.filter((signal) => signal !== undefined);
  for (const signal of watched)
    signal.addEventListener("abort", cancel, { once: true });
  if (watched.some((signal) => signal.aborted))
    cancel();
  return () => {
    for (const signal of watched)
      signal.removeEventListener("abort", cancel);
  };
}
async function bodyStartOf(job, sent, first, request) {
  const { response } = sent;
  const label = `${job.file} in ${job.repo}`;
  if (response.status === 206) {
    const range = parseContentRange(response.headers.get("content-range"));
    if (range?.total !== undefined && range.total !== job.total) {
      await response.body?.cancel().catch(() => {});
      throw new RemoteChangedError(`the server now says ${job.file} has ${range.total} bytes, not ${job.total}`);
    }
    if (!range || range.start > first.next || range.end < first.next) {
      await response.body?.cancel().catch(() => {});
      throw retryableError(`download ${label}: the server sent the wrong range (${response.headers.get("content-range")} for ${request.range ?? "the whole file"})`);
    }
    return range.start;
  }
  if (response.status === 200) {
    if (request.range && !request.acceptWholeBody) {
      await response.body?.cancel().catch(() => {});
      throw new RangeIgnoredError;
    }
    return 0;
  }
  if (response.status === 416) {
    await response.body?.cancel().catch(() => {});
    throw new RemoteChangedError(`the server cannot serve bytes ${first.next}- of ${job.file} (416): the partial file is stale`);
  }
  const leftEndpoint = sent.url.origin !== new URL(job.connection.endpoint).origin;
  if (leftEndpoint && [401, 403, 404, 410].includes(response.status)) {
    throw await fileServerRefusal(job, response);
  }
  throw await errorForResponse(response, requestContext(job.connection, { repo: job.repo, file: job.file, action: "download the file" }));
}
async function fileServerRefusal(job, response) {
  const label = `${job.file} in ${job.repo}`;
  const status = response.status;
  if (job.urlRefreshedAfter !== status) {
    await response.body?.cancel().catch(() => {});
    const error = retryableError(`download ${label}: the file server answered ${status}`, {
      status
    });
    return requestUrlRefresh(error);
  }
  const said = await bodyExcerpt(response);
  const cache = printable(response.headers.get("x-cache") ?? "");
  return new ModelManagerError("network", `download ${label}: the file server answered ${status} again with a freshly resolved URL${cache ? ` (X-Cache: ${cache})` : ""}${said ? `: ${said}` : ""}`, {
    hint: "the file server refuses this file (not an expired link); try again later, and if it persists check a proxy or --endpoint, or tell the repository's owner",
    status
  });
}
async function bodyExcerpt(response) {
  if (!response.body)
    return "";
  const reader = response.body.getReader();
  const chunks = [];
  let length = 0;
  try {
    while (length < REFUSAL_READ_BYTES) {
      const { done, value } = await reader.read();
      if (done)
        break;
      chunks.push(value);
      length += value.length;
    }
  } catch {} finally {
    reader.cancel().catch(() => {});
  }
  const text = new TextDecoder().decode(concat(chunks, length).subarray(0, REFUSAL_READ_BYTES));
  return printable(text).slice(0, REFUSAL_QUOTE_CHARS);
}
function printable(text) {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").replace(/\s+/g, " ").trim();
}
async function copyBody(job, reader, body) {
  const { targets, watchdog } = body;
  const writer = new BodyWriter(job, WRITE_BATCH);
  let index = 0;
  let offset = body.start;
  try {
    while (index < targets.length) {
      const { done, value } = await reader.read();
      if (done || !value)
        break;
      watchdog.received(value.length);
      const chunkStart = offset;
      offset += value.length;
      while (index < targets.length) {
        const target = targets[index];
        const from = Math.max(chunkStart, writer.front(target));
        const to = Math.min(offset, target.end + 1);
        if (from < to) {
          await writer.put(target, value.subarray(from - chunkStart, to - chunkStart), from);
        }
        if (writer.front(target) <= target.end)
          break;
        await writer.flush();
        index++;
      }
    }
  } finally {
    await writer.flush().finally(() => {
      writer.release();
      reader.cancel().catch(() => {});
    });
  }
}
function concat(chunks, length) {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

// src/download/prefix_hasher.ts
var READ_BACK_BYTES = 4 * 1024 * 1024;
var MAX_LAG_BYTES = 16 * 1024 * 1024;

class PrefixHasher {
  #hash;
  #size;
  #source;
  #hashed = 0;
  #readingBack;
  #failure;
  #buffer;
  #held = [];
  #resumedFront;
  constructor(expected, source) {
    this.#hash = createContentHasher(expected.algorithm, source.size);
    this.#size = source.size;
    this.#source = source;
    this.#resumedFront = source.contiguous();
  }
  get hashed() {
    return this.#hashed;
  }
  written(position, bytes) {
    const end = position + bytes.length;
    if (!this.#readingBack && position <= this.#hashed && end > this.#hashed) {
      this.#hash.update(bytes.subarray(this.#hashed - position));
      this.#hashed = end;
    }
    this.readBackPrefix();
    if (!this.#readingBack || this.#hashed < this.#resumedFront || !this.#behind())
      return;
    return new Promise((resolve) => this.#held.push(resolve));
  }
  #behind() {
    return this.#source.contiguous() - this.#hashed > MAX_LAG_BYTES;
  }
  #releaseIfCaughtUp() {
    if (!this.#behind())
      this.#releaseAll();
  }
  #releaseAll() {
    const held = this.#held;
    this.#held = [];
    for (const resume of held)
      resume();
  }
  readBackPrefix() {
    if (this.#readingBack || this.#source.contiguous() <= this.#hashed)
      return;
    this.#readingBack = this.#readBack().catch((error) => {
      this.#failure ??= error;
    }).finally(() => {
      this.#readingBack = undefined;
      this.#releaseAll();
    });
  }
  async caughtUp() {
    while (this.#readingBack)
      await this.#readingBack;
  }
  async digest() {
    while (this.#readingBack)
      await this.#readingBack;
    if (this.#failure)
      throw this.#failure;
    await this.#readBack(this.#size);
    return this.#hash.digest();
  }
  async#readBack(to) {
    const { handle, signal, file } = this.#source;
    for (;; ) {
      const front = Math.min(to ?? this.#source.contiguous(), this.#size);
      if (this.#hashed >= front)
        return;
      if (signal?.aborted)
        throw cancelledError(signal.reason);
      this.#buffer ??= new Uint8Array(READ_BACK_BYTES);
      const wanted = this.#buffer.subarray(0, Math.min(READ_BACK_BYTES, front - this.#hashed));
      let count;
      try {
        count = await handle.read(wanted, this.#hashed);
      } catch (error) {
        throw storageFailure(`read ${file} back to check its hash`, error, { resumable: true });
      }
      if (count === 0) {
        throw storageFailure(`read ${file} back to check its hash`, new Error(`the partial file ends at ${this.#hashed} bytes`), { resumable: true });
      }
      this.#hash.update(wanted.subarray(0, count));
      this.#hashed += count;
      this.#releaseIfCaughtUp();
    }
  }
}

// src/download/piece_scheduler.ts
var MIN_STOLEN_PIECE = 1024 * 1024;
var RATE_AFTER_MS = 200;
var REQUEST_COST_MS = 100;
var KEPT_SHARE = 0.75;
var MIN_KEPT = 256 * 1024;

class PieceScheduler {
  #book;
  #queue;
  #active = new Set;
  #recentRates = [];
  #minPiece;
  #now;
  constructor(book, options = {}) {
    this.#book = book;
    this.#queue = book.missing();
    this.#minPiece = options.minPiece ?? MIN_STOLEN_PIECE;
    this.#now = options.now ?? Date.now;
  }
  get active() {
    return this.#active;
  }
  take() {
    const queued = this.#queue.shift();
    if (queued)
      return { kind: "fetch", request: this.#start(queued, queued), split: false };
    if (this.#active.size === 0)
      return { kind: "done" };
    const victim = this.#latestToFinish();
    if (!victim)
      return { kind: "wait" };
    return this.#split(victim) ?? this.#copy(victim) ?? { kind: "wait" };
  }
  attempt(request) {
    request.bytes = 0;
    request.since = this.#now();
  }
  finish(request) {
    this.#active.delete(request);
    if (request.bytes > 0) {
      const rate = request.bytes / Math.max(1, this.#now() - request.since);
      this.#recentRates = [...this.#recentRates, rate].slice(-8);
    }
    const complete = request.segment.next > request.segment.end;
    if (request.segment !== request.original)
      this.#book.settleCopy(request.segment);
    const twin = request.twin;
    if (!twin)
      return;
    if (complete)
      twin.cut.abort(new DOMException("the other copy finished first", "AbortError"));
    else
      twin.twin = undefined;
  }
  #start(segment, original) {
    const request = {
      segment,
      original,
      cut: new AbortController,
      bytes: 0,
      since: this.#now()
    };
    this.#active.add(request);
    return request;
  }
  #latestToFinish() {
    let latest;
    let latestAt = -1;
    for (const request of this.#active) {
      if (request.twin || request.segment.next > request.segment.end)
        continue;
      const at = this.#remainingOf(request) / (this.#rateOf(request) ?? this.#typicalRate());
      if (at > latestAt)
        [latest, latestAt] = [request, at];
    }
    return latest;
  }
  #split(victim) {
    const remaining = this.#remainingOf(victim);
    if (remaining < 2 * this.#minPiece)
      return;
    const fresh = this.#typicalRate();
    const own = this.#rateOf(victim) ?? fresh;
    if (remaining / own < 2 * REQUEST_COST_MS)
      return;
    const kept = Math.round(KEPT_SHARE * remaining * own / (own + fresh));
    const keep = Math.min(Math.max(kept, MIN_KEPT), remaining - this.#minPiece);
    const tail = this.#book.split(victim.segment, victim.segment.next + keep);
    return { kind: "fetch", request: this.#start(tail, tail), split: true };
  }
  #copy(victim) {
    const remaining = this.#remainingOf(victim);
    const own = this.#rateOf(victim);
    if (own === undefined)
      return;
    const fresh = this.#typicalRate();
    const finishesAt = remaining / own;
    if (finishesAt <= 2 * (remaining / fresh) + REQUEST_COST_MS)
      return;
    const copy = this.#start(this.#book.copyOf(victim.segment), victim.segment);
    copy.twin = victim;
    victim.twin = copy;
    return { kind: "fetch", request: copy, split: false };
  }
  #remainingOf(request) {
    return request.segment.end + 1 - request.segment.next;
  }
  #rateOf(request) {
    const elapsed = this.#now() - request.since;
    if (elapsed < RATE_AFTER_MS)
      return;
    return Math.max(request.bytes, 1) / elapsed;
  }
  #typicalRate() {
    const rates = [...this.#active].map((request) => this.#rateOf(request)).filter((rate) => rate !== undefined).concat(this.#recentRates).sort((a, b) => a - b);
    return rates.length === 0 ? 1 : rates[Math.floor(rates.length / 2)];
  }
}

// src/download/segment_workers.ts
var PROGRESS_BYTES = 1024 * 1024;
var LOOK_AGAIN_MS = 100;
function missingBytes(segments) {
  return segments.reduce((sum, segment) => sum + Math.max(0, segment.end + 1 - segment.next), 0);
}
function madeProgress(task, before) {
  return before - missingBytes(task.segments) >= Math.min(PROGRESS_BYTES, before);
}

class ContentUrl {
  current;
  #run;
  #file;
  #refreshing;
  #refreshedAfter = new WeakMap;
  constructor(run, file) {
    this.current = run.contentUrl;
    this.#run = run;
    this.#file = file;
  }
  async ready() {
    await this.#refreshing;
    return this.current;
  }
  refreshedAfter(url) {
    return this.#refreshedAfter.get(url);
  }
  refresh(failed, status) {
    if (failed !== this.current)
      return;
    const run = this.#run;
    this.#refreshing ??= (run.source ?? huggingFaceSource).resolveFile(run.connection, {
      repo: run.repo,
      revision: run.commit,
      path: this.#file
    }).then((resolved) => {
      this.current = resolved.contentUrl;
      if (status !== undefined)
        this.#refreshedAfter.set(resolved.contentUrl, status);
    }, () => {}).finally(() => this.#refreshing = undefined);
  }
}

class Wakeup {
  #waiting = new Set;
  wait(ms) {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiting.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#waiting.add(done);
    });
  }
  notify() {
    for (const done of [...this.#waiting])
      done();
  }
}
async function fetchAllSegments(run, target) {
  const { emit, transfer } = run;
  const { state, book, handle } = target;
  const path = state.file;
  const userSignal = run.connection.signal;
  const url = new ContentUrl(run, path);
  let rangeIgnored = false;
  for (;; ) {
    const stop = new AbortController;
    const signal = anySignal(userSignal, stop.signal);
    const pass = { run, state, book, url, signal, stop };
    const job = passJob(pass, handle);
    const workers = rangeIgnored ? [wholeBodyWorker(pass, job)] : pieceWorkers(pass, job);
    const results = await Promise.allSettled(workers);
    const failure = results.find((result) => result.status === "rejected");
    if (!failure) {
      transfer.progress();
      if (!book.isComplete()) {
        throw new Error("internal: segments incomplete after all workers finished");
      }
      return;
    }
    await transfer.save().then(() => transfer.progress(), () => {});
    if (userSignal?.aborted)
      throw cancelledError(userSignal.reason);
    const reason = stop.signal.reason ?? failure.reason;
    if (!(reason instanceof RangeIgnoredError) || rangeIgnored) {
      throw isAbortError(reason) ? cancelledError(reason) : reason;
    }
    rangeIgnored = true;
    emit({
      event: "restart",
      file: path,
      reason: "the server ignores Range; downloading in one stream, keeping the bytes on disk"
    });
  }
}
function passJob(pass, handle) {
  const { run, state, book, url, signal } = pass;
  const path = state.file;
  return {
    connection: { ...run.connection, signal },
    contentUrl: url.current,
    handle,
    book,
    total: state.identity.size,
    idleTimeoutMs: run.idleTimeoutMs,
    file: path,
    repo: run.repo.id,
    onBytes: (count) => run.transfer.onBytes(count),
    onWritten: run.onWritten,
    onReadPast: (bytes) => run.emit({
      event: "restart",
      file: path,
      reason: `the server ignored Range; reading past the ${formatBytes(bytes)} already downloaded`
    })
  };
}
function wholeBodyWorker(pass, job) {
  const missing = pass.book.missing();
  return fetchWithRetry(pass, job, {
    segments: missing,
    fetch: (attemptJob) => fetchWholeBody(attemptJob, missing)
  });
}
function pieceWorkers(pass, job) {
  const wholeFile = pass.book.pieces.length === 1;
  const queue = {
    pass,
    scheduler: new PieceScheduler(pass.book),
    wakeup: new Wakeup,
    wholeFile
  };
  const count = wholeFile ? 1 : Math.max(1, pass.run.connections);
  return Array.from({ length: count }, (_, index) => pieceWorker(queue, job, index));
}
async function pieceWorker(queue, job, index) {
  const { run, state } = queue.pass;
  const own = index === 0 || !run.openWriter ? undefined : await run.openWriter().catch((error) => {
    throw storageFailure(`open the partial file of ${state.file}`, error, { resumable: true });
  });
  try {
    await drainPieces(queue, own ? { ...job, handle: own } : job);
  } finally {
    await own?.close().catch(() => {});
  }
}
async function drainPieces(queue, workerJob) {
  const { pass: { run, signal }, scheduler, wakeup } = queue;
  for (;; ) {
    if (signal.aborted)
      return;
    const next = scheduler.take();
    if (next.kind === "done")
      return;
    if (next.kind === "wait") {
      await wakeup.wait(LOOK_AGAIN_MS);
      continue;
    }
    if (next.split)
      await run.transfer.save();
    await fetchPiece(queue, workerJob, next.request);
  }
}
async function fetchPiece(queue, workerJob, request) {
  const { pass, scheduler, wakeup, wholeFile } = queue;
  const { run, signal } = pass;
  const requestJob = {
    ...workerJob,
    connection: { ...workerJob.connection, signal: anySignal(signal, request.cut.signal) },
    onBytes: (count) => {
      request.bytes += count;
      run.transfer.onBytes(count);
    }
  };
  const copy = request.segment !== request.original;
  try {
    await fetchWithRetry(pass, requestJob, {
      segments: [request.segment],
      fetch: (attemptJob) => fetchSegment(attemptJob, request.segment, { wholeFile }),
      onAttempt: () => scheduler.attempt(request),
      expendable: copy
    });
  } catch (error) {
    if (signal.aborted || !(copy || request.cut.signal.aborted))
      throw error;
  } finally {
    scheduler.finish(request);
    wakeup.notify();
  }
}
async function fetchWithRetry(pass, job, task) {
  const { run, url, signal, stop } = pass;
  const path = pass.state.file;
  let before = missingBytes(task.segments);
  let attemptUrl = url.current;
  await withRetry(async () => {
    attemptUrl = await url.ready();
    before = missingBytes(task.segments);
    task.onAttempt?.();
    await task.fetch({
      ...job,
      contentUrl: attemptUrl,
      urlRefreshedAfter: url.refreshedAfter(attemptUrl)
    });
  }, {
    ...run.retry,
    signal: job.connection.signal ?? signal,
    clock: job.connection.clock,
    madeProgress: () => madeProgress(task, before),
    onRetry: (event) => {
      run.emit(retryEventOf(path, event));
      if (needsUrlRefresh(event.error))
        url.refresh(attemptUrl, event.error.status);
    }
  }).catch((error) => {
    const cut = job.connection.signal?.aborted && !signal.aborted;
    if (!cut && !task.expendable && !stop.signal.aborted)
      stop.abort(error);
    throw error;
  });
}

// src/download/segment_plan.ts
var MIN_SEGMENT = 4 * 1024 * 1024;
var MAX_SEGMENT = 32 * 1024 * 1024;
var PIECES_PER_CONNECTION = 4;
function planSegments(size, options) {
  if (size === 0)
    return [{ start: 0, end: -1, next: 0 }];
  const connections = Math.max(1, Math.floor(options.connections));
  if (connections === 1 || size < options.parallelThreshold) {
    return [{ start: 0, end: size - 1, next: 0 }];
  }
  const wanted = Math.min(connections * PIECES_PER_CONNECTION, Math.floor(size / MIN_SEGMENT));
  const least = Math.max(1, wanted, Math.ceil(size / MAX_SEGMENT));
  const ramp = least > connections ? connections : 1;
  const count = Math.max(least, Math.ceil(size / MAX_SEGMENT + ramp / 2));
  const first = Math.min(MIN_SEGMENT, size / count);
  const full = Math.ceil((size - ramp * first / 2) / (count - ramp / 2));
  const segments = [];
  for (let start = 0, index = 0;start < size; index++) {
    const length = index < ramp - 1 ? Math.ceil(first + (full - first) * index / (ramp - 1)) : full;
    segments.push({ start, end: Math.min(size, start + length) - 1, next: start });
    start += length;
  }
  return segments;
}
function contiguousBytes(segments) {
  let front = 0;
  for (const segment of segments) {
    if (segment.start > front)
      return front;
    front = Math.max(front, segment.next);
    if (segment.next <= segment.end)
      return front;
  }
  return front;
}
function isComplete(segments) {
  return segments.every((segment) => segment.next > segment.end);
}

// src/download/piece_book.ts
class PieceBook {
  #pieces;
  #copies = new Map;
  constructor(segments) {
    this.#pieces = segments.map((segment) => ({ ...segment }));
  }
  get pieces() {
    return this.#pieces;
  }
  snapshot() {
    return this.#pieces.map((piece) => ({ ...piece }));
  }
  missing() {
    return this.#pieces.filter((piece) => piece.next <= piece.end);
  }
  contiguous() {
    return contiguousBytes(this.#pieces);
  }
  completed() {
    return this.#pieces.reduce((sum, piece) => sum + (piece.next - piece.start), 0);
  }
  isComplete() {
    return isComplete(this.#pieces);
  }
  advance(piece, to) {
    const own = this.#own(piece);
    own.next = Math.max(own.next, Math.min(to, own.end + 1));
  }
  split(piece, at) {
    const own = this.#own(piece);
    if (at <= own.next || at > own.end) {
      throw new RangeError(`cannot split ${own.next}-${own.end} at ${at}`);
    }
    const tail = { start: at, end: own.end, next: at };
    own.end = at - 1;
    this.#pieces.splice(this.#pieces.indexOf(own) + 1, 0, tail);
    return tail;
  }
  copyOf(piece) {
    const own = this.#own(piece);
    const copy = { start: own.next, end: own.end, next: own.next };
    this.#copies.set(copy, own);
    return copy;
  }
  settleCopy(copy) {
    const original = this.#copies.get(copy);
    if (!original)
      return;
    this.#copies.delete(copy);
    if (copy.next > copy.end)
      original.next = Math.max(original.next, original.end + 1);
  }
  #own(piece) {
    const own = piece;
    if (!this.#copies.has(own) && !this.#pieces.includes(own)) {
      throw new RangeError(`the piece ${piece.start}-${piece.end} is not in this book`);
    }
    return own;
  }
}

// src/download/transfer_tracker.ts
var SAVE_EVERY_MS = 1000;
var SAVE_EVERY_BYTES = 4 * 1024 * 1024;
var SAVE_MIN_INTERVAL_MS = 100;
var FLUSH_EVERY_MS = 1000;
var PROGRESS_EVERY_MS = 100;
var COLLECT_EVERY_BYTES = 64 * 1024 * 1024;

class TransferTracker {
  transferred = 0;
  #runtime;
  #destination;
  #state;
  #book;
  #handle;
  #emit;
  #now;
  #lastProgressAt = -Infinity;
  #lastSaveAt;
  #unsavedBytes = 0;
  #uncollectedBytes = 0;
  #bootId;
  #durable;
  #lastFlushAt;
  #flushes = Promise.resolve();
  #flushQueued = false;
  #flushFailure;
  #savedDurable;
  #saves = Promise.resolve();
  #periodicQueued = false;
  constructor(runtime, transfer) {
    this.#runtime = runtime;
    this.#destination = transfer.destination;
    this.#state = transfer.state;
    this.#book = transfer.book;
    this.#handle = transfer.handle;
    this.#emit = transfer.emit;
    this.#now = transfer.now ?? Date.now;
    this.#lastSaveAt = this.#now();
    this.#lastFlushAt = this.#lastSaveAt;
    this.#bootId = mayTrustUnflushed(transfer.state.identity) ? runtime.bootId() : undefined;
    const { durableSegments, segments } = transfer.state;
    this.#durable = (durableSegments ?? segments).map((segment) => ({ ...segment }));
  }
  onBytes(count) {
    this.transferred += count;
    this.#unsavedBytes += count;
    this.#collectWhenDue(count);
    const now = this.#now();
    if (now - this.#lastProgressAt >= PROGRESS_EVERY_MS) {
      this.#lastProgressAt = now;
      this.progress();
    }
    const due = now - this.#lastSaveAt >= SAVE_EVERY_MS || this.#unsavedBytes >= SAVE_EVERY_BYTES;
    if (due && !this.#periodicQueued && now - this.#lastSaveAt >= SAVE_MIN_INTERVAL_MS) {
      this.#periodicQueued = true;
      this.#queue().catch(() => {}).finally(() => this.#periodicQueued = false);
    }
  }
  #collectWhenDue(count) {
    const collect = this.#runtime.collectGarbage;
    if (!collect)
      return;
    this.#uncollectedBytes += count;
    if (this.#uncollectedBytes < COLLECT_EVERY_BYTES)
      return;
    this.#uncollectedBytes = 0;
    collect();
  }
  save() {
    return this.#queue({ flush: true });
  }
  settled() {
    return this.#saves;
  }
  #queue(options = { flush: false }) {
    const save = this.#saves.then(() => this.#write(options.flush));
    this.#saves = save.catch(() => {});
    return save;
  }
  progress() {
    this.#emit({
      event: "progress",
      file: this.#state.file,
      bytes: this.#book.completed(),
      total: this.#state.identity.size
    });
  }
  async#write(flush) {
    this.#lastSaveAt = this.#now();
    this.#unsavedBytes = 0;
    const bootId = this.#unflushedBoot();
    if (flush || !bootId)
      await this.#flushOrWithdraw();
    else if (this.#lastSaveAt - this.#lastFlushAt >= FLUSH_EVERY_MS)
      this.#flushBeside();
    const durable = this.#durable;
    const state = bootId ? { ...this.#state, segments: this.#book.snapshot(), bootId, durableSegments: durable } : this.#durableState();
    const newlyDurable = durable !== this.#savedDurable;
    await writeDownloadState(this.#runtime, {
      destination: this.#destination,
      state,
      flush: !bootId || newlyDurable
    });
    this.#savedDurable = durable;
  }
  #durableState() {
    return claimingOnAnyBoot(this.#state, this.#durable);
  }
  #unflushedBoot() {
    return this.#flushFailure ? undefined : this.#bootId;
  }
  async#flushOrWithdraw() {
    try {
      await this.#flush();
    } catch (error) {
      if (this.#bootId) {
        const state = this.#durableState();
        await writeDownloadState(this.#runtime, { destination: this.#destination, state }).catch(() => {});
      }
      throw error;
    }
  }
  #flush() {
    const flush = this.#flushes.then(async () => {
      if (this.#flushFailure)
        throw this.#flushFailure;
      const written = this.#book.snapshot();
      this.#lastFlushAt = this.#now();
      try {
        await this.#handle.sync();
      } catch (error) {
        this.#flushFailure = storageFailure(`flush ${this.#state.file} to disk`, error, {
          resumable: true
        });
        throw this.#flushFailure;
      }
      this.#durable = written;
    });
    this.#flushes = flush.catch(() => {});
    return flush;
  }
  #flushBeside() {
    if (this.#flushQueued)
      return;
    this.#flushQueued = true;
    this.#flush().catch(() => {}).finally(() => this.#flushQueued = false);
  }
}

// src/download/download_file.ts
var DEFAULT_CONNECTIONS = 8;
var DEFAULT_PARALLEL_THRESHOLD = 64 * 1024 * 1024;
var DEFAULT_IDLE_TIMEOUT_MS = 30000;
var VERIFY_EVENT_BYTES = 64 * 1024 * 1024;
async function finalizeDownload(runtime, destination) {
  await runtime.rename(partialPathOf(destination), destination);
  await runtime.remove(statePathOf(destination));
}

class HashMismatchError extends Error {
  expected;
  actual;
  constructor(expected, actual) {
    super(`expected ${expected.algorithm} ${expected.hex}, got ${actual}`);
    this.name = "HashMismatchError";
    this.expected = expected;
    this.actual = actual;
  }
}
function downloadToPartial(request, options) {
  return downloadRestarting(request, options, []);
}
function restartFor(error, path) {
  if (error instanceof HashMismatchError) {
    return {
      cause: "hash",
      reason: `the finished file failed its ${error.expected.algorithm} check; downloading it again from the start`,
      failure: integrityFailure(path, error)
    };
  }
  if (error instanceof RemoteChangedError) {
    return {
      cause: "changed",
      reason: error.message,
      failure: new ModelManagerError("integrity", `download ${path}: ${error.message}`, {
        hint: "the file changed on the server while downloading; run the command again later"
      })
    };
  }
  return;
}
async function downloadRestarting(request, options, restarted) {
  const path = request.file.path;
  try {
    return await attemptDownload(request, options);
  } catch (error) {
    const restart = restartFor(error, path);
    if (!restart)
      throw error;
    await removePartial(options.runtime, request.destination);
    if (restarted.includes(restart.cause))
      throw restart.failure;
    options.onEvent?.({ event: "restart", file: path, reason: restart.reason });
    return await downloadRestarting(request, options, [...restarted, restart.cause]);
  }
}
function integrityFailure(path, error) {
  const { expected, actual } = error;
  return new ModelManagerError("integrity", `verify ${path}: expected ${expected.algorithm} ${expected.hex}, got ${actual}`, {
    hint: "the bytes were corrupted in transit or by the server, twice; the bad file was removed — run the command again",
    file: path,
    expected: expected.hex,
    actual
  });
}
async function resumableState(request, options, identity) {
  const { runtime } = options;
  const emit = options.onEvent ?? (() => {});
  const path = request.file.path;
  const state = await readDownloadState(runtime, request.destination);
  const partialSize = (await runtime.stat(partialPathOf(request.destination)).catch(() => {
    return;
  }))?.size;
  if (state && !sameIdentity(state.identity, identity)) {
    emit({
      event: "restart",
      file: path,
      reason: `${path} changed on the Hub since the partial download; starting it over`
    });
    return { partialSize };
  }
  if (state && !holdsSavedBytes(state, partialSize)) {
    if (partialSize !== undefined) {
      emit({
        event: "restart",
        file: path,
        reason: `the partial file of ${path} is shorter than its saved progress; starting it over`
      });
    }
    return { partialSize };
  }
  return { state, partialSize };
}
async function attemptDownload(request, options) {
  const emit = options.onEvent ?? (() => {});
  const path = request.file.path;
  const listed = identityOfFile(request.file);
  const resumable = await resumableState(request, options, listed);
  if (resumable.state?.verified && resumable.partialSize === listed.size) {
    return alreadyVerified(request, { state: resumable.state, listed, emit });
  }
  const confirmed = await confirmFile(request, {
    connection: options.connection,
    source: options.source,
    retry: options.retry,
    onEvent: options.onEvent
  });
  let state = resumable.state;
  if (state && !sameIdentity(state.identity, confirmed.identity)) {
    emit({
      event: "restart",
      file: path,
      reason: `${path} changed on the Hub (its listing and download agree); starting it over`
    });
    state = undefined;
  }
  const connections = options.connections ?? DEFAULT_CONNECTIONS;
  state ??= {
    version: 1,
    file: path,
    commit: request.commit,
    identity: confirmed.identity,
    segments: planSegments(confirmed.identity.size, {
      connections,
      parallelThreshold: options.parallelThreshold ?? DEFAULT_PARALLEL_THRESHOLD
    })
  };
  return await downloadInto(request, options, { state, confirmed, connections });
}
function alreadyVerified(request, found) {
  const { state, listed, emit } = found;
  emit({
    event: "done",
    file: request.file.path,
    total: listed.size,
    transferred: 0,
    skipped: true
  });
  const hash = state.verifiedHash ?? expectedHashOf(listed);
  return resultOf2(request, {
    size: listed.size,
    hash,
    transferred: 0,
    resumedBytes: listed.size
  });
}
async function downloadInto(request, options, plan) {
  const { runtime } = options;
  const emit = options.onEvent ?? (() => {});
  const { state, confirmed: { identity, expected }, connections } = plan;
  const { destination, file: { path } } = request;
  const book = new PieceBook(state.segments);
  const resumedBytes = book.completed();
  const handle = await openPartial(runtime, partialPathOf(destination), resumedBytes === 0, path);
  try {
    await writeDownloadState(runtime, { destination, state });
    emit({
      event: "start",
      file: path,
      total: identity.size,
      resumedBytes,
      connections: Math.min(connections, book.pieces.length)
    });
    const transfer = new TransferTracker(runtime, { destination, state, book, handle, emit });
    const rereadBytes = await fetchAndVerify(request, options, { plan, book, handle, transfer });
    const verified = {
      ...claimingOnAnyBoot(state, book.snapshot()),
      verified: true,
      verifiedHash: expected
    };
    await writeDownloadState(runtime, { destination, state: verified });
    emit({
      event: "done",
      file: path,
      total: identity.size,
      transferred: transfer.transferred,
      skipped: false,
      rereadBytes
    });
    return resultOf2(request, {
      size: identity.size,
      hash: expected,
      transferred: transfer.transferred,
      resumedBytes
    });
  } finally {
    await handle.close();
  }
}
async function fetchAndVerify(request, options, files) {
  const { plan, book, handle, transfer } = files;
  const { state, confirmed: { identity, expected } } = plan;
  const reader = expected && await openReader(options.runtime, request);
  try {
    const hasher = reader && new PrefixHasher(expected, {
      handle: reader,
      size: identity.size,
      contiguous: () => book.contiguous(),
      file: request.file.path,
      signal: options.connection.signal
    });
    hasher?.readBackPrefix();
    const run = segmentRun(request, options, { plan, transfer, hasher });
    await fetchAllSegments(run, { state, book, handle });
    const rereadBytes = hasher && identity.size - hasher.hashed;
    await transfer.save();
    await verifyPartial(request, options, { identity, expected, handle, hasher, rereadBytes });
    return rereadBytes;
  } finally {
    await reader?.close().catch(() => {});
  }
}
async function openReader(runtime, request) {
  try {
    return await runtime.open(partialPathOf(request.destination));
  } catch (error) {
    throw storageFailure(`open ${partialPathOf(request.destination)} to hash it`, error, {
      resumable: true
    });
  }
}
function segmentRun(request, options, attempt) {
  const { plan: { confirmed, connections }, transfer, hasher } = attempt;
  const { runtime } = options;
  return {
    connection: transportFor(options),
    source: options.source,
    repo: request.repo,
    commit: request.commit,
    contentUrl: confirmed.resolved.contentUrl,
    connections,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    onWritten: hasher && ((position, bytes) => hasher.written(position, bytes)),
    retry: options.retry,
    emit: options.onEvent ?? (() => {}),
    transfer,
    openWriter: () => runtime.open(partialPathOf(request.destination), { write: true })
  };
}
async function verifyPartial(request, options, downloaded) {
  const { runtime } = options;
  const emit = options.onEvent ?? (() => {});
  const { identity, expected, handle, hasher, rereadBytes = 0 } = downloaded;
  const { destination, file: { path } } = request;
  const size = (await runtime.stat(partialPathOf(destination))).size;
  if (size !== identity.size) {
    await handle.close();
    await removePartial(runtime, destination);
    throw new ModelManagerError("integrity", `verify ${path}: expected ${identity.size} bytes, got ${size}`, {
      hint: "the partial file was removed; run the command again to download it from scratch"
    });
  }
  if (expected && hasher) {
    if (rereadBytes > VERIFY_EVENT_BYTES)
      emit({ event: "verify", file: path, rereadBytes });
    const actual = await hasher.digest();
    if (actual !== expected.hex) {
      await handle.close();
      throw new HashMismatchError(expected, actual);
    }
  }
}
function transportFor(options) {
  const { connection, runtime } = options;
  return { ...connection, fetch: hubTransport(runtime, connection.fetch) };
}
function resultOf2(request, outcome) {
  const { size, hash, transferred, resumedBytes } = outcome;
  return {
    file: request.file.path,
    destination: request.destination,
    size,
    sha256: hash?.algorithm === "sha256" ? hash.hex : undefined,
    gitSha1: hash?.algorithm === "git-sha1" ? hash.hex : undefined,
    transferred,
    resumedBytes
  };
}
async function openPartial(runtime, partial, fresh, file) {
  try {
    const handle = await runtime.open(partial, { write: true, create: true });
    if (fresh) {
      await handle.truncate(0).catch(async (error) => {
        await handle.close().catch(() => {});
        throw error;
      });
    }
    return handle;
  } catch (error) {
    throw storageFailure(`create ${partial} for ${file}`, error, { resumable: true });
  }
}

// src/store/file_lock.ts
import { dirname as dirname3 } from "node:path";
var UNREADABLE_GRACE_MS = 5000;
async function readHolder(runtime, path) {
  const read = await readJsonFile(runtime, path, { check: holderProblem });
  if (read.status === "missing")
    throw read.error;
  return read.status === "ok" ? read.value : undefined;
}
function holderProblem(value) {
  const holder = value;
  return typeof holder?.pid === "number" && typeof holder?.host === "string" ? undefined : "the lock file names no pid and host";
}
async function isStale(runtime, path, holder) {
  if (holder) {
    if (holder.host !== runtime.hostname())
      return false;
    const bootId = runtime.bootId();
    if (holder.bootId !== undefined && bootId !== undefined && holder.bootId !== bootId) {
      return true;
    }
    return !runtime.isProcessAlive(holder.pid);
  }
  const stat = await runtime.stat(path);
  return Date.now() - (stat.mtime?.getTime() ?? Date.now()) > UNREADABLE_GRACE_MS;
}
async function removeStaleLock(runtime, path) {
  const takeover = `${path}.takeover`;
  try {
    const handle = await runtime.open(takeover, { write: true, createNew: true });
    await handle.close();
  } catch (error) {
    if (errorCodeOf(error) !== "EEXIST")
      throw error;
    const stat = await runtime.stat(takeover).catch(() => {
      return;
    });
    if (stat && Date.now() - (stat.mtime?.getTime() ?? 0) > UNREADABLE_GRACE_MS) {
      await runtime.remove(takeover);
    }
    return;
  }
  try {
    const holder = await readHolder(runtime, path);
    if (await isStale(runtime, path, holder))
      await runtime.remove(path);
  } catch (error) {
    if (!isNotFound(error))
      throw error;
  } finally {
    await runtime.remove(takeover);
  }
}
async function refuseLink(runtime, path) {
  const stat = await runtime.lstat(path).catch(() => {
    return;
  });
  if (stat?.isSymlink)
    throw symlinkFailure(`take the lock ${path}`);
}
var MISSING_DIRECTORY_RETRIES = 5;
async function createLockFile(runtime, path, me) {
  for (let retries = 0;; retries++) {
    try {
      const handle = await runtime.open(path, { write: true, createNew: true });
      try {
        await handle.write(new TextEncoder().encode(JSON.stringify(me)), 0);
      } finally {
        await handle.close();
      }
      return heldLock(runtime, path);
    } catch (error) {
      if (errorCodeOf(error) === "EEXIST")
        return;
      if (!isNotFound(error) || retries >= MISSING_DIRECTORY_RETRIES)
        throw error;
      await runtime.mkdir(dirname3(path));
    }
  }
}
function heldLock(runtime, path) {
  let released = false;
  return {
    async release() {
      if (released)
        return;
      released = true;
      await runtime.remove(path);
    }
  };
}
async function liveHolder(runtime, path) {
  await refuseLink(runtime, path);
  try {
    const holder = await readHolder(runtime, path);
    if (!await isStale(runtime, path, holder))
      return { holder };
    await removeStaleLock(runtime, path);
    return "gone";
  } catch (error) {
    if (isNotFound(error))
      return "gone";
    throw error;
  }
}
async function acquireLock(runtime, path, options = {}) {
  const me = {
    pid: runtime.pid(),
    host: runtime.hostname(),
    bootId: runtime.bootId(),
    since: new Date().toISOString(),
    purpose: options.purpose
  };
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  let toldOfHolder = false;
  for (;; ) {
    if (options.signal?.aborted)
      throw cancelledError(options.signal.reason);
    const held = await createLockFile(runtime, path, me);
    if (held)
      return held;
    const busy = await liveHolder(runtime, path);
    if (busy === "gone")
      continue;
    if (busy.holder && !toldOfHolder) {
      toldOfHolder = true;
      options.onWait?.(busy.holder);
    }
    if (options.timeoutMs !== undefined && clock.now() - started > options.timeoutMs) {
      throw new ModelManagerError("locked", `take the lock ${path}: another process holds it`, {
        hint: "wait for the other download to finish, or stop it"
      });
    }
    try {
      await clock.sleep(options.pollMs ?? 250, options.signal);
    } catch (error) {
      throw cancelledError(error);
    }
  }
}

// src/store/model_catalog.ts
import { join as join6 } from "node:path";

// src/store/repo_folders.ts
function foldersOf(path) {
  const parts = path.split("/").slice(0, -1);
  const folders = [];
  for (let length = parts.length;length > 0; length--) {
    folders.push(parts.slice(0, length).join("/"));
  }
  folders.push("");
  return folders;
}
function inFolder(folder, name) {
  return folder === "" ? name : `${folder}/${name}`;
}
function nearestCompanions(modelFile, where) {
  const folders = foldersOf(modelFile);
  return [...new Set(where.names)].flatMap((name) => {
    const found = folders.map((folder) => inFolder(folder, name)).find((path) => where.present.has(path));
    return found === undefined ? [] : [found];
  });
}
function isTechnicalFile(path) {
  return TECHNICAL_FILES.includes(path.split("/").pop());
}

// src/store/model_variant.ts
var PLATFORMS = ["rk3588", "rk3576", "rk3562", "rv1126b"];
var PLATFORM = /(?:^|[-_.])(rk3588|rk3576|rk3562|rv1126b)(?=$|[-_.])/i;
var QUANTIZATION = /(?:^|[-_.])(w8a8(?:_g\d+)?|w4a16(?:_g\d+)?|w4a8(?:_g\d+)?)(?=$|[-_.])/i;
var OPTIMIZATION = /(?:^|[-_.])opt[-_]?([01])(?=$|[-_.])/i;
var HYBRID_RATIO = /(?:^|[-_.])hybrid[-_]ratio[-_]?(\d+(?:\.\d+)?)(?=$|[-_]|\.(?!\d))/i;
function parseModelVariant(fileName) {
  const name = fileName.split("/").pop().replace(/\.rk(?:llm|nn)$/i, "");
  const variant = {};
  const platform = PLATFORM.exec(name);
  const quantization = QUANTIZATION.exec(name);
  const optimization = OPTIMIZATION.exec(name);
  const hybridRatio = HYBRID_RATIO.exec(name);
  if (platform)
    variant.platform = platform[1].toLowerCase();
  if (quantization)
    variant.quantization = quantization[1].toLowerCase();
  if (optimization)
    variant.optimization = Number(optimization[1]);
  if (hybridRatio)
    variant.hybridRatio = Number(hybridRatio[1]);
  const tokens = [platform, quantization, optimization, hybridRatio].filter((match) => match !== null).sort((a, b) => a.index - b.index);
  if (tokens.length === 0)
    return variant;
  if (tokens[0].index > 0) {
    variant.baseModel = name.slice(0, tokens[0].index).replace(/[-_.]+$/, "");
  }
  const suffix = leftoverText(name, tokens);
  if (suffix)
    variant.suffix = suffix;
  return variant;
}
function leftoverText(name, tokens) {
  const pieces = [];
  tokens.forEach((token, index) => {
    const end = index + 1 < tokens.length ? tokens[index + 1].index : name.length;
    pieces.push(name.slice(token.index + token[0].length, end).replace(/^[-_.]+|[-_.]+$/g, ""));
  });
  return pieces.filter(Boolean).join("-");
}
function pairedEncoders(modelFile, paths) {
  return encoderPairing(paths)(modelFile);
}
function encoderPairing(paths, options = {}) {
  const { variantOf = parseModelVariant } = options;
  const modelFolders = new Set(paths.filter(isModelFileName).flatMap(foldersOf));
  const byOwner = new Map;
  for (const path of paths.filter(isEncoderFileName)) {
    const owner = foldersOf(path).find((folder) => modelFolders.has(folder)) ?? "";
    const owned = byOwner.get(owner) ?? [];
    owned.push({ path, chip: variantOf(path).platform });
    byOwner.set(owner, owned);
  }
  return (modelFile) => {
    const nearest = foldersOf(modelFile).reverse().flatMap((folder) => byOwner.get(folder) ?? []);
    const chip = variantOf(modelFile).platform;
    const sameChip = chip === undefined ? [] : nearest.filter((encoder) => encoder.chip === chip);
    return (sameChip.length > 0 ? sameChip : nearest).map((encoder) => encoder.path);
  };
}

// src/store/toolkit_version.ts
var OLDEST_COMPATIBLE_TOOLKIT = "1.1.0";
var VERSION = String.raw`(\d+\.\d+(?:\.\d+)?(?:b\d+)?)(?![A-Za-z0-9]|\.\d)`;
var AFTER_WORD = new RegExp(String.raw`(?:^|[-_./ ])(?:rkllm|toolkit|rk\d{4}s?|rv\d{4}b?)[-_ ]?v?${VERSION}`, "i");
var ALONE = new RegExp(String.raw`(?:^|[-_./ ])v(\d+\.\d+\.\d+(?:b\d+)?)(?![A-Za-z0-9]|\.\d)`, "i");
function toolkitVersionInName(name) {
  return (AFTER_WORD.exec(name) ?? ALONE.exec(name))?.[1]?.toLowerCase();
}
var META_KEYS = ["rkllmtoolkitversion", "toolkitversion", "rkllmversion", "rkllmtoolkit"];
function toolkitVersionInMeta(meta) {
  if (typeof meta !== "object" || meta === null || Array.isArray(meta))
    return;
  for (const [key, value] of Object.entries(meta)) {
    const word = key.toLowerCase().replace(/[-_ ]/g, "");
    if (META_KEYS.includes(word) && typeof value === "string")
      return versionText(value);
    if ((word === "toolkit" || word === "rkllm") && typeof value === "object" && value !== null) {
      const version = value.version;
      if (typeof version === "string")
        return versionText(version);
    }
  }
  return;
}
function versionText(text) {
  return new RegExp(`^v?${VERSION}`, "i").exec(text.trim())?.[1]?.toLowerCase();
}
function toolkitVersionOf(sources) {
  const branch = sources.branch && !/^[0-9a-f]{40}$/i.test(sources.branch) ? sources.branch : undefined;
  const candidates = [
    [toolkitVersionInMeta(sources.meta), "meta.json"],
    [sources.file && toolkitVersionInName(sources.file), "file name"],
    [branch && toolkitVersionInName(branch), "branch"],
    [sources.repo && toolkitVersionInName(sources.repo.split("/").pop()), "repository name"]
  ];
  const found = candidates.find(([version]) => version !== undefined);
  return found && { version: found[0], source: found[1] };
}
function predatesCompatibleToolkit(version) {
  const numbers = (text) => text.split(/[.b]/).slice(0, 3).map(Number);
  const [a, b] = [numbers(version), numbers(OLDEST_COMPATIBLE_TOOLKIT)];
  for (let index = 0;index < 3; index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0)
      return difference < 0;
  }
  return false;
}

// src/store/registry.ts
import { join as join5 } from "node:path";

// src/store/record_check.ts
function typeName(value) {
  if (value === null)
    return "null";
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}
var isObject = (value) => typeof value === "object" && value !== null && !Array.isArray(value);
var text = (value) => typeof value === "string" ? undefined : `is ${typeName(value)}, expected a string`;
var optionalText = (value) => value === undefined ? undefined : text(value);
var byteCount = (value) => Number.isSafeInteger(value) && value >= 0 ? undefined : `is ${typeName(value)} (${String(value)}), expected a whole number of bytes`;
var FILE_FIELDS = {
  size: byteCount,
  revision: text,
  downloadedAt: text,
  sha256: optionalText,
  gitSha1: optionalText
};
function fileProblem(path, entry) {
  const where = `files[${JSON.stringify(path)}]`;
  if (!isSafeRepoPath(path))
    return `${where} is not a path inside the repository`;
  if (!isObject(entry))
    return `${where} is ${typeName(entry)}, expected an object`;
  for (const [field, check] of Object.entries(FILE_FIELDS)) {
    const problem = check(entry[field]);
    if (problem)
      return `${where}.${field} ${problem}`;
  }
  return;
}
function recordProblem(record) {
  if (!isObject(record))
    return `the record is ${typeName(record)}, expected an object`;
  for (const field of ["repo", "revision"]) {
    const problem = text(record[field]);
    if (problem)
      return `${field} ${problem}`;
  }
  if (!isObject(record.files))
    return `files is ${typeName(record.files)}, expected an object`;
  for (const [path, entry] of Object.entries(record.files)) {
    const problem = fileProblem(path, entry);
    if (problem)
      return problem;
  }
  return;
}

// src/store/registry.ts
var RECORD_FORMAT_VERSION = 2;
var MAX_RECORD_BYTES = 16 * 1024 * 1024;
async function readRepoRecord(runtime, repoDir, options = {}) {
  const warn = options.warn ?? (() => {});
  const read = await readRecordFile(runtime, repoDir);
  if (read.status === "ok")
    return read.value;
  if (read.status !== "missing")
    warn(unusableRecordWarning(join5(repoDir, RECORD_FILE), read));
  return;
}
async function readRecordFile(runtime, repoDir) {
  const read = await readJsonFile(runtime, placeInRepo(repoDir, RECORD_FILE), {
    check: readableRecordProblem,
    maxBytes: MAX_RECORD_BYTES
  });
  return read.status === "ok" ? { status: "ok", value: withKnownModels(read.value) } : read;
}
function readableRecordProblem(parsed) {
  const newer = newerMajorOf(parsed);
  if (newer !== undefined)
    return `a newer rkllm-models wrote it (record format ${newer})`;
  if (!hasVersionAndFiles(parsed))
    return "it has no readable version and files";
  return recordProblem(parsed);
}
function hasVersionAndFiles(parsed) {
  const record = parsed;
  return isReadableVersion(record?.version) && typeof record?.files === "object" && record.files !== null;
}
function unusableRecordWarning(path, read) {
  if (read.status === "unreadable") {
    const error = read.error;
    return `could not read ${path} (${error instanceof Error ? error.message : error}); using what is on disk`;
  }
  const corrupt = `ignored the corrupt registry record ${path}; using what is on disk (download again to rewrite it)`;
  if (read.status !== "invalid")
    return corrupt;
  const newer = newerMajorOf(read.value);
  if (newer !== undefined) {
    return `left ${path} alone: a newer rkllm-models wrote it (record format ${newer}); upgrade rkllm-models to use or update it`;
  }
  if (!hasVersionAndFiles(read.value))
    return corrupt;
  return `ignored the registry record ${path}: ${read.problem}; using what is on disk (download again to rewrite it)`;
}
function isReadableVersion(version) {
  return typeof version === "number" && version >= 1 && Math.floor(version) <= RECORD_FORMAT_VERSION;
}
function newerMajorOf(parsed) {
  const version = parsed?.version;
  return typeof version === "number" && Math.floor(version) > RECORD_FORMAT_VERSION ? version : undefined;
}
function isPathList(value) {
  return Array.isArray(value) && value.every(isSafeRepoPath);
}
function withKnownModels(record) {
  const models = {};
  const given = typeof record.models === "object" && record.models !== null ? record.models : {};
  for (const [file, entry] of Object.entries(given)) {
    if (isPathList(entry?.companions) && isPathList(entry?.encoders) && isSafeRepoPath(file)) {
      models[file] = { companions: entry.companions, encoders: entry.encoders };
    }
  }
  return { ...record, models: record.models === undefined ? undefined : models };
}
async function newerRecordVersion(runtime, repoDir) {
  const read = await readJsonFile(runtime, placeInRepo(repoDir, RECORD_FILE), {
    maxBytes: MAX_RECORD_BYTES
  });
  return read.status === "ok" ? newerMajorOf(read.value) : undefined;
}
async function writeRecordUnlessNewer(runtime, write) {
  const { dir: repoDir, record } = write;
  const { stat } = await lstatInside(runtime, placeInRepo(repoDir));
  if (!stat?.isDirectory) {
    throw storageFailure(`write the record in ${repoDir}`, new Error("it is not a directory"));
  }
  if (await newerRecordVersion(runtime, repoDir) !== undefined)
    return false;
  await writeJsonAtomic(runtime, { path: join5(repoDir, RECORD_FILE), value: record });
  return true;
}

// src/store/model_catalog.ts
var MAX_DEPTH = 4;
function byText(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}
async function readDirIfPresent(runtime, path) {
  try {
    return await runtime.readDir(path);
  } catch (error) {
    const code = errorCodeOf(error);
    if (code === "ENOENT" || code === "ENOTDIR")
      return [];
    throw storageFailure(`read the directory ${path}`, error);
  }
}
async function listRepoDirectory(runtime, dir) {
  const listing = { files: [], links: [] };
  const walk = async (prefix, depth) => {
    for (const entry of await readDirIfPresent(runtime, join6(dir, prefix))) {
      const repoPath = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isSymlink)
        listing.links.push(repoPath);
      else if (entry.isFile)
        listing.files.push(repoPath);
      else if (entry.isDirectory && depth < MAX_DEPTH && !entry.name.startsWith(".")) {
        await walk(repoPath, depth + 1);
      }
    }
  };
  await walk("", 0);
  listing.files.sort(byText);
  listing.links.sort(byText);
  return listing;
}
async function filesInRepoDirectory(runtime, dir) {
  return (await listRepoDirectory(runtime, dir)).files;
}
async function storeDirectories(runtime, modelsDir) {
  const found = { repos: [], links: [] };
  for (const owner of await readDirIfPresent(runtime, modelsDir)) {
    if (owner.name.startsWith("."))
      continue;
    if (owner.isSymlink)
      found.links.push(join6(modelsDir, owner.name));
    if (!owner.isDirectory)
      continue;
    for (const repo of await readDirIfPresent(runtime, join6(modelsDir, owner.name))) {
      if (repo.name.startsWith("."))
        continue;
      const dir = join6(modelsDir, owner.name, repo.name);
      if (repo.isSymlink)
        found.links.push(dir);
      if (repo.isDirectory)
        found.repos.push({ repo: `${owner.name}/${repo.name}`, dir });
    }
  }
  found.repos.sort((a, b) => byText(a.repo, b.repo));
  found.links.sort(byText);
  return found;
}
function modelInfoOf(facts) {
  const { repo, dir, file, size, record } = facts;
  return {
    name: file.split("/").pop().replace(/\.rkllm$/i, ""),
    repo,
    file,
    path: storePathOf(dir, file),
    dir,
    size,
    revision: record?.revision,
    sha256: record?.sha256,
    downloadedAt: record?.downloadedAt,
    technicalFiles: facts.technicalFiles,
    companionFiles: facts.pairing?.companions ?? facts.technicalFiles,
    encoders: facts.pairing?.encoders ?? [],
    recorded: record !== undefined,
    ...facts.failedVerifyAt ? { failedVerifyAt: facts.failedVerifyAt } : {},
    ...parseModelVariant(file),
    ...optionalToolkit(toolkitVersionOf({ file, repo }))
  };
}
function optionalToolkit(toolkit) {
  return toolkit ? { toolkit } : {};
}
async function scanRepoDirectory(runtime, where, options = {}) {
  const { warn } = options;
  const { repo, dir } = where;
  const { files, links } = await listRepoDirectory(runtime, dir);
  const present = new Set(files);
  const modelFiles = files.filter(isModelFileName);
  const partialFiles = files.filter((file) => file.endsWith(PARTIAL_SUFFIX));
  const record = modelFiles.length > 0 ? await readRepoRecord(runtime, dir, { warn }) : undefined;
  const models = [];
  const encodersOf = encoderPairing(files);
  for (const file of modelFiles) {
    const { path, stat } = await lstatInside(runtime, placeInRepo(dir, file));
    if (!stat?.isFile)
      throw storageFailure(`read ${path}`, new Error("it is gone or not a file"));
    const fileRecord = record?.files[file];
    const matches = fileRecord !== undefined && fileRecord.size === stat.size;
    const technicalFiles = nearestCompanions(file, { present, names: TECHNICAL_FILES });
    const pairing = (matches ? record?.models?.[file] : undefined) ?? { companions: technicalFiles, encoders: encodersOf(file) };
    models.push(modelInfoOf({
      repo,
      dir,
      file,
      size: stat.size,
      record: matches ? fileRecord : undefined,
      technicalFiles,
      pairing,
      failedVerifyAt: [file, ...pairing.companions, ...pairing.encoders].map((name) => record?.files[name]?.failedVerifyAt).filter(Boolean).sort().at(-1)
    }));
  }
  const partials = [];
  for (const file of partialFiles) {
    const destinationFile = destinationOfPartial(file);
    const destination = storePathOf(dir, destinationFile);
    const progress = await partialProgress(runtime, destination);
    partials.push({
      repo,
      file: destinationFile,
      path: storePathOf(dir, file),
      bytes: progress?.bytes ?? 0,
      total: progress?.total
    });
  }
  return { models, partials, links: links.map((link) => storePathOf(dir, link)) };
}
async function scanStore(runtime, modelsDir, options = {}) {
  const { repos, links } = await storeDirectories(runtime, modelsDir);
  const scan = { models: [], partials: [], links };
  for (const where of repos) {
    const found = await scanRepoDirectory(runtime, where, options);
    scan.models.push(...found.models);
    scan.partials.push(...found.partials);
    scan.links.push(...found.links);
  }
  scan.links.sort(byText);
  return scan;
}

// src/store/record_writer.ts
async function recordStoredFiles(runtime, change, options = {}) {
  const repoDir = change.dir;
  const existing = await readRepoRecord(runtime, repoDir, options);
  return await writeChange(runtime, repoDir, { existing, change });
}
async function recordCopiedFiles(runtime, incoming, options = {}) {
  const { dir: repoDir, record, accepted } = incoming;
  const existing = await readRepoRecord(runtime, repoDir, options);
  const files = {};
  for (const path of accepted)
    files[path] = record.files[path];
  const models = {};
  for (const [file, model] of Object.entries(record.models ?? {})) {
    if (accepted.includes(file))
      models[file] = model;
  }
  const facts = newestDownload(record) >= newestDownload(existing) ? {
    revision: record.revision,
    private: record.private,
    gated: record.gated,
    source: record.source
  } : undefined;
  const change = { dir: repoDir, repo: record.repo, files, models, facts };
  return await writeChange(runtime, repoDir, { existing, change });
}
async function recordVerification(runtime, verified, options = {}) {
  const { dir: repoDir, verdicts } = verified;
  const record = await readRepoRecord(runtime, repoDir, options);
  if (!record)
    return false;
  const now = new Date().toISOString();
  let changed = false;
  for (const { file, ok, hashed } of verdicts) {
    const recorded = record.files[file];
    if (!recorded)
      continue;
    const before = JSON.stringify(recorded);
    if (!ok)
      recorded.failedVerifyAt ??= now;
    else
      delete recorded.failedVerifyAt;
    if (ok && hashed)
      recorded.mtimeMs = await mtimeOf(runtime, repoDir, file);
    changed ||= JSON.stringify(recorded) !== before;
  }
  return changed && await write(runtime, repoDir, record);
}
async function writeChange(runtime, repoDir, what) {
  const { change } = what;
  const first = Object.values(change.files)[0];
  const record = what.existing ?? {
    version: RECORD_FORMAT_VERSION,
    repo: change.repo,
    revision: change.facts?.revision ?? first?.revision ?? "",
    files: {}
  };
  const now = new Date().toISOString();
  for (const [path, file] of Object.entries(change.files)) {
    record.files[path] = await entryOf(runtime, repoDir, { path, file, now });
  }
  if (change.models)
    record.models = { ...record.models, ...change.models };
  const facts = change.facts ?? {};
  if (facts.revision !== undefined)
    record.revision = facts.revision;
  if (facts.private !== undefined)
    record.private = facts.private;
  if (facts.gated !== undefined)
    record.gated = facts.gated;
  if (facts.source !== undefined)
    record.source = facts.source;
  record.version = RECORD_FORMAT_VERSION;
  record.repo = change.repo;
  return await write(runtime, repoDir, record);
}
async function entryOf(runtime, repoDir, what) {
  const { file } = what;
  const mtimeMs = await mtimeOf(runtime, repoDir, what.path);
  return {
    size: file.size,
    ...file.sha256 ? { sha256: file.sha256 } : {},
    ...file.gitSha1 ? { gitSha1: file.gitSha1 } : {},
    revision: file.revision,
    downloadedAt: file.downloadedAt ?? what.now,
    ...mtimeMs === undefined ? {} : { mtimeMs }
  };
}
async function mtimeOf(runtime, repoDir, path) {
  const { stat } = await lstatInside(runtime, placeInRepo(repoDir, path)).catch(() => ({ stat: undefined }));
  return stat?.isFile ? stat.mtime?.getTime() : undefined;
}
async function write(runtime, repoDir, record) {
  try {
    return await writeRecordUnlessNewer(runtime, { dir: repoDir, record });
  } catch (error) {
    throw storageFailure(`write the registry record in ${repoDir}`, error);
  }
}
function newestDownload(record) {
  return Object.values(record?.files ?? {}).reduce((newest, file) => file.downloadedAt > newest ? file.downloadedAt : newest, "");
}

// src/store/model_files.ts
function filesOfModel(files, what) {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const present = new Set(byPath.keys());
  const companions = nearestCompanions(what.modelFile.path, { present, names: what.companionFiles }).map((path) => byPath.get(path));
  const encoders = pairedEncoders(what.modelFile.path, [...present]).map((path) => byPath.get(path));
  return [
    { file: what.modelFile, kind: "model" },
    ...companions.map((file) => ({ file, kind: "companion" })),
    ...encoders.map((file) => ({ file, kind: "encoder" }))
  ];
}
function modelRecordOf(planned) {
  const pathsOf = (kind) => planned.filter((entry) => entry.kind === kind).map((entry) => entry.file);
  return { companions: pathsOf("companion"), encoders: pathsOf("encoder") };
}

// src/store/store_directory.ts
async function realModelsDir(runtime, modelsDir) {
  try {
    return await runtime.realPath(modelsDir);
  } catch (error) {
    if (isNotFound(error) || errorCodeOf(error) === "ENOTDIR")
      return modelsDir;
    throw storageFailure(`read the models directory ${modelsDir}`, error);
  }
}
async function ensureStoreDirectory(runtime, place) {
  await runtime.mkdir(place.root).catch((error) => {
    throw storageFailure(`create the models directory ${place.root}`, error);
  });
  if (place.parts.length === 0)
    return place.root;
  return await ensureDirectoryInside(runtime, { root: place.root, path: place.parts.join("/") });
}

// src/store/store_ownership.ts
function ownerOf(file, present, record) {
  const name = file.split("/").pop();
  if (file === RECORD_FILE || Object.hasOwn(record?.files ?? {}, file))
    return "recorded";
  if (name.endsWith(STATE_SUFFIX))
    return "partial";
  if (name.endsWith(PARTIAL_SUFFIX) && present.has(statePathOf(destinationOfPartial(file)))) {
    return "partial";
  }
  if (file === LOCK_FILE)
    return "lock";
  if (isAtomicTemporary(name) || file === `${LOCK_FILE}.takeover`)
    return "scratch";
  return "foreign";
}
function ownersOf(files, record) {
  const owners = { recorded: [], partial: [], scratch: [], lock: [], foreign: [] };
  const present = new Set(files);
  for (const file of files)
    owners[ownerOf(file, present, record)].push(file);
  return owners;
}
function leftoversOf(files, record) {
  const present = new Set(files);
  const inPlace = (file) => present.has(file) && Object.hasOwn(record?.files ?? {}, file);
  return files.filter((file) => {
    const name = file.split("/").pop();
    if (isAtomicTemporary(name))
      return true;
    const destination = destinationOfPartial(file);
    if (destination === undefined)
      return false;
    if (file.endsWith(STATE_SUFFIX)) {
      return !present.has(partialPathOf(destination)) || inPlace(destination);
    }
    return present.has(statePathOf(destination)) && inPlace(destination);
  });
}

// src/manager/listing_names.ts
class ListingNames {
  #facts = new Map;
  #questions = 0;
  get questions() {
    return this.#questions;
  }
  variant(path) {
    return this.#read(path).variant;
  }
  isModel(path) {
    return this.#read(path).model;
  }
  isEncoder(path) {
    return this.#read(path).encoder;
  }
  #read(path) {
    this.#questions++;
    let facts = this.#facts.get(path);
    if (facts === undefined) {
      facts = {
        model: isModelFileName(path),
        encoder: isEncoderFileName(path),
        variant: parseModelVariant(path)
      };
      this.#facts.set(path, facts);
    }
    return facts;
  }
}

// src/manager/choose_model_file.ts
function modelFilesOf(files, filter = {}) {
  const names = filter.names ?? new ListingNames;
  return files.filter((file) => {
    if (!names.isModel(file.path))
      return false;
    const variant = names.variant(file.path);
    if (filter.platform && variant.platform !== filter.platform.toLowerCase())
      return false;
    if (filter.quantization && variant.quantization !== filter.quantization.toLowerCase()) {
      return false;
    }
    return true;
  });
}
function chooseModelFile(repo, files, options = {}) {
  const { file: requested } = options;
  const filter = options;
  const all = modelFilesOf(files);
  if (requested !== undefined) {
    const wanted = requested.trim();
    const found = all.find((file) => file.path === wanted) ?? uniqueOrUndefined(all.filter((file) => file.path.split("/").pop() === wanted)) ?? uniqueOrUndefined(all.filter((file) => file.path.split("/").pop() === `${wanted}.rkllm`));
    if (!found && files.some((file) => file.path === wanted)) {
      throw new ModelManagerError("usage", `download ${wanted} from ${repo}: it is not a .rkllm model file`, {
        hint: `the technical files come with the model; give one of: ${all.map((file) => file.path).join(", ") || "(none)"}`,
        repo,
        choices: all.map((file) => file.path)
      });
    }
    if (!found) {
      throw new ModelManagerError("file_not_found", `cannot find ${wanted} in ${repo}`, {
        hint: all.length ? `choose one of: ${all.map((file) => file.path).join(", ")}` : `${repo} has no .rkllm files; check the repo id`,
        repo,
        choices: all.map((file) => file.path)
      });
    }
    return found;
  }
  if (all.length === 0) {
    throw new ModelManagerError("file_not_found", `${repo} has no .rkllm file`, {
      hint: "check that this is an RKLLM conversion (search with: rkllm-models search rk3588)"
    });
  }
  const { candidates, chosen } = narrowModelFiles(files, filter);
  if (chosen)
    return chosen;
  if (candidates.length === 0) {
    throw new ModelManagerError("file_not_found", `no .rkllm file in ${repo} matches the filters`, {
      hint: groupedHint(all, filter) ?? `choose one of: ${all.map((file) => file.path).join(", ")}`,
      repo,
      choices: all.map((file) => file.path)
    });
  }
  throw unclearFileError(repo, { candidates, filter });
}
function narrowModelFiles(files, filter = {}) {
  const names = filter.names ?? new ListingNames;
  const suits = (file) => suitsChip(names.variant(file.path), filter.preferPlatform);
  const candidates = preferredFirst(modelFilesOf(files, { ...filter, names }), {
    chip: filter.preferPlatform,
    suits
  });
  if (candidates.length === 1)
    return { candidates, chosen: candidates[0] };
  const preferred = candidates.filter(suits);
  if (filter.preferPlatform && preferred.length === 1)
    return { candidates, chosen: preferred[0] };
  return { candidates };
}
function unclearFileError(repo, options) {
  const { candidates, filter = {} } = options;
  const filtered = Boolean(filter.platform || filter.quantization);
  return new ModelManagerError("usage", `${repo} has ${candidates.length} .rkllm files${filtered ? " left by the filters" : ""}, and the file to download is not given`, {
    hint: `give the file as the second argument, e.g. ${repo} ${candidates[0].path.split("/").pop()}`,
    repo,
    choices: candidates.map((file) => file.path)
  });
}
function groupedHint(all, filter) {
  const asked = filter.quantization?.toLowerCase();
  if (!asked || asked.includes("_g"))
    return;
  const grouped = modelFilesOf(all, { platform: filter.platform }).map((file) => parseModelVariant(file.path).quantization).filter((quantization) => quantization?.startsWith(`${asked}_g`) === true);
  if (grouped.length === 0)
    return;
  return `no file is plain ${asked}; use --quant ${[...new Set(grouped)].sort().join(" or --quant ")}`;
}
function suitsChip({ platform }, chip) {
  return chip !== undefined && (platform === undefined || platform === chip.toLowerCase());
}
function preferredFirst(files, preference) {
  if (!preference.chip)
    return files;
  return [...files.filter(preference.suits), ...files.filter((file) => !preference.suits(file))];
}
function uniqueOrUndefined(items) {
  return items.length === 1 ? items[0] : undefined;
}

// src/runtime/board.ts
var DEVICE_TREE_COMPATIBLE = "/proc/device-tree/compatible";
var SAME_NPU = { rk3588s: "rk3588" };
function chipOfCompatible(text, chips) {
  for (const entry of text.split("\x00")) {
    const name = entry.trim().toLowerCase().match(/^rockchip,(r[kv]\d+[a-z]?)$/)?.[1];
    if (!name)
      continue;
    const chip = SAME_NPU[name] ?? name;
    if (chips.includes(chip))
      return chip;
  }
  return;
}
async function detectBoardChip(runtime, chips, options = {}) {
  try {
    const bytes = await runtime.readFile(options.path ?? DEVICE_TREE_COMPATIBLE);
    return chipOfCompatible(new TextDecoder().decode(bytes), chips);
  } catch {
    return;
  }
}

// src/runtime/board_memory.ts
var MEMINFO = "/proc/meminfo";
function memTotalOf(text) {
  const match = /^MemTotal:\s*(\d+)\s*kB\s*$/im.exec(text);
  return match ? Number(match[1]) * 1024 : undefined;
}
async function detectMemTotal(runtime, options = {}) {
  try {
    const bytes = await runtime.readFile(options.path ?? MEMINFO);
    return memTotalOf(new TextDecoder().decode(bytes));
  } catch {
    return;
  }
}

// src/manager/board_fit.ts
async function detectBoard(runtime) {
  const chip = await detectBoardChip(runtime, PLATFORMS, {
    path: runtime.env("RKLLM_DEVICE_TREE") || undefined
  });
  if (chip === undefined)
    return;
  const memTotal = await detectMemTotal(runtime, {
    path: runtime.env("RKLLM_MEMINFO") || undefined
  });
  return memTotal === undefined ? { chip } : { chip, memTotal };
}
function fitsMemory(size, board) {
  return board?.memTotal === undefined ? undefined : size <= board.memTotal;
}
function downloadWarnings(model, board) {
  const warnings = [];
  const { toolkit } = model;
  if (toolkit && predatesCompatibleToolkit(toolkit.version)) {
    warnings.push(`${model.name} was converted with RKLLM toolkit ${toolkit.version} (says its ${toolkit.source}): ` + `RKLLM runtimes 1.1 and later do not load models converted before toolkit ${OLDEST_COMPATIBLE_TOOLKIT}; ` + `look for a newer conversion, or use a runtime of its version`);
  }
  if (fitsMemory(model.size, board) === false) {
    warnings.push(`${model.name} (${formatBytes(model.size)}) is larger than this board's memory (${formatBytes(board.memTotal)}): RKLLM loads a model whole into RAM, so it will not load here; choose a smaller variant`);
  }
  return warnings;
}

// src/manager/repo_variants.ts
function filterKey(filter) {
  return `${filter.platform ?? ""}\x00${filter.quantization ?? ""}`;
}
function filtersOf(file, names) {
  const { platform, quantization } = names.variant(file);
  const filters = [{ platform }, { quantization }, { platform, quantization }];
  return filters.filter((filter) => Object.values(filter).every(Boolean));
}
function countVariants(modelFiles, names) {
  const byFilter = new Map;
  const files = modelFiles.filter((file) => names.isModel(file));
  for (const file of files) {
    for (const filter of filtersOf(file, names)) {
      const key = filterKey(filter);
      byFilter.set(key, (byFilter.get(key) ?? 0) + 1);
    }
  }
  return { files: new Set(files), total: files.length, byFilter };
}
function flagsFor(file, counts, names) {
  if (counts.total === 1 && counts.files.has(file))
    return "";
  if (!counts.files.has(file))
    return;
  const filter = filtersOf(file, names).find((candidate) => counts.byFilter.get(filterKey(candidate)) === 1);
  if (!filter)
    return;
  return [
    filter.platform && `--platform ${filter.platform}`,
    filter.quantization && `--quant ${filter.quantization}`
  ].filter(Boolean).join(" ");
}
function variantDescriber(names, scope) {
  const { listing, choices = [], repo, board } = scope;
  const byPath = new Map((listing ?? []).map((file) => [file.path, file]));
  const paths = [...byPath.keys()];
  const counts = countVariants(listing ? paths : choices, names);
  const encodersOf = encoderPairing(paths, {
    variantOf: (path) => names.variant(path)
  });
  return (file) => {
    const encoders = encodersOf(file);
    const toolkit = toolkitVersionOf({ file, repo });
    const size = byPath.get(file)?.size;
    const fits = size === undefined ? undefined : fitsMemory(size, board);
    return {
      file,
      size: byPath.get(file)?.size,
      sha256: byPath.get(file)?.sha256,
      ...names.variant(file),
      flags: flagsFor(file, counts, names),
      ...encoders.length > 0 ? { encoders } : {},
      ...toolkit ? { toolkit } : {},
      ...fits === undefined ? {} : { fitsMemory: fits }
    };
  };
}
function listVariants(listing, options = {}) {
  const { files } = listing;
  const names = options.names ?? new ListingNames;
  const describe = variantDescriber(names, {
    listing: files,
    repo: listing.info.id,
    board: options.board
  });
  const variants = modelFilesOf(files, { ...options, names }).map((file) => describe(file.path));
  const narrowed = narrowModelFiles(files, { ...options, names });
  const candidates = narrowed.candidates.map((file) => describe(file.path));
  const chosen = narrowed.chosen && candidates.find((variant) => variant.file === narrowed.chosen?.path);
  return { ...listing, variants, candidates, ...chosen ? { chosen } : {} };
}

// src/manager/branch_variants.ts
var MAX_BRANCHES = 50;
var NOT_LISTED = ["repo_not_found", "file_not_found"];
async function branchesOf(connection, listed) {
  try {
    return (await listed.source.listRefs(connection, parseRepoId(listed.info.id))).branches;
  } catch (error) {
    if (error instanceof ModelManagerError && NOT_LISTED.includes(error.code))
      return [];
    throw error;
  }
}
async function branchVariants(connection, listed) {
  const { info, filter = {}, board } = listed;
  const source = listed.source ?? huggingFaceSource;
  const repo = parseRepoId(info.id);
  const branches = (await branchesOf(connection, { info, source })).filter((branch) => branch.targetCommit !== info.sha).slice(0, MAX_BRANCHES);
  const rows = [];
  for (const branch of branches) {
    const files = await source.listFiles(connection, repo, { revision: branch.targetCommit });
    const { variants } = listVariants({ info: { ...info, sha: branch.targetCommit }, files }, {
      platform: filter.platform,
      quantization: filter.quantization,
      board
    });
    for (const variant of variants) {
      const flags = variant.flags === undefined ? undefined : `--revision ${branch.name}${variant.flags ? ` ${variant.flags}` : ""}`;
      const toolkit = toolkitVersionOf({ file: variant.file, branch: branch.name, repo: info.id });
      rows.push({ ...variant, revision: branch.name, flags, ...toolkit ? { toolkit } : {} });
    }
  }
  return rows;
}
function branchChoiceError(repo, rows) {
  const branches = [...new Set(rows.flatMap((row) => row.revision ?? []))];
  return new ModelManagerError("usage", `${repo} keeps its .rkllm files on branches, and the branch is not given`, {
    hint: `choose one with --revision: ${branches.join(", ")} (rkllm-models files ${repo})`,
    repo,
    choices: branches
  });
}

// src/manager/offline_model.ts
function matches(model, fileName, filter) {
  if (fileName !== undefined) {
    const wanted = fileName.trim();
    return model.file === wanted || model.file.split("/").pop() === wanted || model.file.split("/").pop() === `${wanted}.rkllm`;
  }
  const variant = parseModelVariant(model.file);
  if (filter.platform && variant.platform !== filter.platform.toLowerCase())
    return false;
  return !filter.quantization || variant.quantization === filter.quantization.toLowerCase();
}
async function incompleteFiles(context, model) {
  const record = await readRepoRecord(context.runtime, model.dir, { warn: context.warn });
  const files = [model.file, ...model.companionFiles, ...model.encoders];
  const wrong = [];
  for (const file of files) {
    const recorded = record?.files[file];
    const stat = await context.runtime.stat(storePathOf(model.dir, file)).catch(() => {
      return;
    });
    if (!recorded || !stat?.isFile || stat.size !== recorded.size)
      wrong.push(file);
  }
  return wrong;
}
async function completeLocalModel(context, repoText, options = {}) {
  const { file: fileName } = options;
  const filter = options;
  const repo = parseRepoId(repoText);
  const { models } = await scanStore(context.runtime, context.modelsDir, { warn: context.warn });
  const local = models.filter((model) => model.repo.toLowerCase() === repo.id.toLowerCase() && matches(model, fileName, filter));
  const preferred = local.filter((model) => !filter.preferPlatform || parseModelVariant(model.file).platform === filter.preferPlatform);
  const candidates = preferred.length > 0 ? preferred : local;
  if (candidates.length !== 1) {
    throw new ModelManagerError("offline", candidates.length === 0 ? `download ${repo.id}: it is not in ${context.modelsDir}, and HF_HUB_OFFLINE is set` : `download ${repo.id}: ${candidates.length} local variants match, and HF_HUB_OFFLINE is set`, {
      hint: candidates.length === 0 ? "unset HF_HUB_OFFLINE to download it (see: rkllm-models list)" : `name the file, e.g. rkllm-models download ${repo.id} ${candidates[0].file}`
    });
  }
  const missing = await incompleteFiles(context, candidates[0]);
  if (missing.length > 0) {
    throw new ModelManagerError("offline", `download ${repo.id}: ${missing.join(", ")} missing or incomplete, and HF_HUB_OFFLINE is set`, { hint: "unset HF_HUB_OFFLINE to finish the download" });
  }
  return candidates[0];
}

// src/manager/plan_download.ts
import { join as join7 } from "node:path";
function isTrusted(recorded, mtime) {
  if (recorded.failedVerifyAt !== undefined)
    return false;
  return recorded.mtimeMs === undefined || recorded.mtimeMs === mtime?.getTime();
}
async function isPresent(context, file, destination, record, repoPath) {
  const stat = await context.runtime.stat(destination).catch(() => {
    return;
  });
  if (!stat?.isFile || stat.size !== file.size)
    return false;
  const recorded = record?.files[repoPath];
  const expected = expectedHashOf(identityOfFile(file));
  if (!expected)
    return true;
  if (recorded && isTrusted(recorded, stat.mtime) && (recorded.sha256 === expected.hex || recorded.gitSha1 === expected.hex)) {
    return true;
  }
  return await hashFile(context.runtime, destination, {
    algorithm: expected.algorithm,
    signal: context.connection.signal
  }) === expected.hex;
}
async function nearestExisting(context, path) {
  let current = path;
  for (;; ) {
    if (await context.runtime.stat(current).then(() => true, () => false))
      return current;
    const parent = join7(current, "..");
    if (parent === current)
      return current;
    current = parent;
  }
}
async function planDownload(context, target) {
  const { repo, revision, files, modelFile } = target;
  const force = target.force ?? false;
  const repoDir = repoDirOf(context.modelsDir, repo);
  const record = await readRepoRecord(context.runtime, repoDir, { warn: context.warn });
  const planned = [];
  for (const { file, kind } of filesOfModel(files, target)) {
    const destination = storePathOf(repoDir, file.path);
    const present = !force && await isPresent(context, file, destination, record, file.path);
    let bytesNeeded = present ? 0 : file.size;
    if (!present && !force) {
      const identity = identityOfFile(file);
      bytesNeeded -= (await partialProgress(context.runtime, destination, { identity }))?.bytes ?? 0;
    }
    planned.push({ file: file.path, kind, size: file.size, destination, present, bytesNeeded });
  }
  const bytesNeeded = planned.reduce((sum, file) => sum + file.bytesNeeded, 0);
  const freeBytes = await context.runtime.freeSpace(await nearestExisting(context, context.modelsDir));
  return {
    repo: repo.id,
    revision,
    modelFile: modelFile.path,
    files: planned,
    bytesNeeded,
    freeBytes
  };
}
function plannedModel(context, what) {
  const { repo, file, plan } = what;
  const pathsOf = (kind) => plan.files.filter((planned) => planned.kind === kind).map((planned) => planned.file);
  return {
    ...modelInfoOf({
      repo: repo.id,
      dir: repoDirOf(context.modelsDir, repo),
      file: file.path,
      size: file.size,
      technicalFiles: pathsOf("companion").filter(isTechnicalFile),
      pairing: { companions: pathsOf("companion"), encoders: pathsOf("encoder") }
    }),
    revision: plan.revision,
    sha256: file.sha256
  };
}

// src/manager/download_model.ts
async function warnBeforeFetching(context, what) {
  const { repo, file, branch } = what;
  const toolkit = toolkitVersionOf({ file: file.path, branch, repo: repo.id });
  const model = { name: `${repo.id}/${file.path}`, size: file.size, toolkit };
  for (const warning of downloadWarnings(model, await detectBoard(context.runtime))) {
    context.warn(warning);
  }
}
async function installModel(context, repoText, options = {}) {
  if (context.connection.offline && !options.dryRun && !options.force) {
    return offlineResult(await completeLocalModel(context, repoText, options));
  }
  const job = await resolveJob(context, repoText, options);
  const { repo, modelFile } = job.target;
  await warnBeforeFetching(context, { repo, file: modelFile, branch: options.revision });
  if (options.dryRun) {
    const plan = await planDownload(context, job.target);
    return { model: plannedModel(context, { repo, file: modelFile, plan }), plan, transferred: 0 };
  }
  await ensureStoreDirectory(context.runtime, {
    root: context.modelsDir,
    parts: [repo.owner, repo.name]
  });
  const lock = await lockRepo(context, job);
  try {
    return await installLocked(context, job);
  } finally {
    await lock.release().catch(() => {});
  }
}
async function resolveJob(context, repoText, options) {
  const { connection, runtime } = context;
  const asked = parseRepoId(repoText);
  const source = context.source ?? huggingFaceSource;
  const info = options.listing?.info ?? await source.repoInfo(connection, asked, { revision: options.revision });
  const repo = canonicalRepoId(info.id, asked);
  const revision = info.sha;
  const files = options.listing?.files ?? await source.listFiles(connection, repo, { revision });
  if (options.file === undefined && options.revision === undefined && !modelFilesOf(files).length) {
    const onBranches = await branchVariants(connection, { info, filter: options, source });
    if (onBranches.length > 0)
      throw branchChoiceError(repo.id, onBranches);
  }
  const modelFile = chooseModelFile(repo.id, files, options);
  const companionFiles = options.companionFiles ?? (await loadModelsConfig(runtime)).COMPANION_FILES;
  return {
    target: { repo, revision, files, modelFile, companionFiles, force: options.force },
    info,
    source,
    repoDir: repoDirOf(context.modelsDir, repo),
    options
  };
}
async function lockRepo(context, job) {
  const { repo, modelFile } = job.target;
  const lockPath = join8(job.repoDir, LOCK_FILE);
  return await acquireLock(context.runtime, lockPath, {
    signal: context.connection.signal,
    purpose: `download ${repo.id}/${modelFile.path}`,
    onWait: (holder) => job.options.onProgress?.({
      event: "wait",
      file: modelFile.path,
      holder: { pid: holder.pid, host: holder.host, since: holder.since },
      lock: lockPath
    })
  }).catch((error) => {
    throw storageFailure(`lock ${job.repoDir}`, error);
  });
}
async function installLocked(context, job) {
  const plan = await planDownload(context, job.target);
  refuseWithoutSpace(context, { repo: job.target.repo, plan });
  const results = await fetchPending(context, job, plan);
  await recordDownload(context, job, { plan, results });
  await removeLeftovers(context, job.repoDir);
  const { models } = await scanRepoDirectory(context.runtime, { repo: job.target.repo.id, dir: job.repoDir }, { warn: context.warn });
  const model = models.find((candidate) => candidate.file === job.target.modelFile.path);
  if (!model) {
    throw new ModelManagerError("storage", `cannot find ${job.target.modelFile.path} in ${job.repoDir} after downloading it`, { hint: "another process removed it meanwhile; run the command again" });
  }
  const transferred = results.reduce((sum, result) => sum + result.transferred, 0);
  return { model, plan, transferred };
}
function refuseWithoutSpace(context, what) {
  const { plan } = what;
  if (plan.freeBytes === undefined || plan.bytesNeeded <= plan.freeBytes)
    return;
  throw new ModelManagerError("storage", `download ${what.repo.id}: it needs ${formatBytes(plan.bytesNeeded)} but ${context.modelsDir} has ${formatBytes(plan.freeBytes)} free`, {
    hint: "free some space (rkllm-models clean --partial, rkllm-models remove <model>) or choose another --dir",
    bytesNeeded: plan.bytesNeeded,
    freeBytes: plan.freeBytes
  });
}
async function fetchPending(context, job, plan) {
  const { runtime } = context;
  const { options } = job;
  const engine = {
    runtime,
    connection: context.connection,
    source: job.source,
    connections: options.connections,
    parallelThreshold: options.parallelThreshold,
    idleTimeoutMs: options.idleTimeoutMs,
    retry: options.retry ?? context.connection.retry,
    onEvent: options.onProgress
  };
  const pending = plan.files.filter((file) => !file.present);
  const byPath = new Map(job.target.files.map((file) => [file.path, file]));
  for (const file of pending) {
    const subdirectories = file.file.split("/").slice(0, -1);
    await ensureStoreDirectory(runtime, { root: job.repoDir, parts: subdirectories });
  }
  const { repo, revision } = job.target;
  const settled = await Promise.allSettled(pending.map((file) => downloadToPartial({
    repo,
    commit: revision,
    file: byPath.get(file.file),
    destination: file.destination
  }, engine)));
  const failure = settled.find((result) => result.status === "rejected");
  if (failure)
    throw failure.reason;
  const results = settled.map((result) => result.value);
  for (const result of [...results].reverse()) {
    await finalizeDownload(runtime, result.destination).catch((error) => {
      throw storageFailure(`move ${result.file} into place`, error);
    });
  }
  return results;
}
function recordedHash(result, known) {
  if (result)
    return { sha256: result.sha256, gitSha1: result.gitSha1 };
  const listed = identityOfFile(known.file);
  if (listed.sha256 || listed.gitSha1)
    return { sha256: listed.sha256, gitSha1: listed.gitSha1 };
  return { sha256: known.previous?.sha256, gitSha1: known.previous?.gitSha1 };
}
async function removeLeftovers(context, repoDir) {
  const { runtime } = context;
  const { files } = await listRepoDirectory(runtime, repoDir);
  const record = await readRepoRecord(runtime, repoDir, { warn: context.warn });
  for (const file of leftoversOf(files, record)) {
    const path = storePathOf(repoDir, file);
    await runtime.remove(path).catch((error) => {
      const reason = error instanceof Error ? error.message : String(error);
      context.warn(`could not remove the leftover ${path} (${reason}); it is safe to delete`);
    });
  }
}
function offlineResult(model) {
  const planned = { file: model.file, kind: "model", size: model.size };
  return {
    model,
    plan: {
      repo: model.repo,
      revision: model.revision ?? "",
      modelFile: model.file,
      files: [{ ...planned, destination: model.path, present: true, bytesNeeded: 0 }],
      bytesNeeded: 0
    },
    transferred: 0
  };
}
function canonicalRepoId(hubId, asked) {
  try {
    return parseRepoId(hubId);
  } catch {
    return asked;
  }
}
async function recordDownload(context, job, what) {
  const { plan } = what;
  const { repo, revision } = job.target;
  const downloaded = new Map(what.results.map((result) => [result.file, result]));
  const byPath = new Map(job.target.files.map((file) => [file.path, file]));
  const record = await readRepoRecord(context.runtime, job.repoDir, { warn: context.warn });
  const files = {};
  for (const planned of plan.files) {
    const file = byPath.get(planned.file);
    const previous = record?.files[planned.file];
    const kept = planned.present && previous?.size === file.size ? previous : undefined;
    const result = downloaded.get(planned.file);
    files[planned.file] = {
      size: result?.size ?? file.size,
      ...recordedHash(result, { file, previous: kept }),
      revision: kept?.revision ?? revision,
      downloadedAt: kept?.downloadedAt
    };
  }
  await recordStoredFiles(context.runtime, {
    dir: job.repoDir,
    repo: repo.id,
    files,
    models: { [plan.modelFile]: modelRecordOf(plan.files) },
    facts: {
      revision,
      private: job.info.private,
      gated: job.info.gated,
      source: job.source.name
    }
  }, { warn: context.warn });
}

// src/manager/remove_models.ts
import { join as join9, relative, sep as SEP } from "node:path";

// src/store/model_query.ts
function ambiguous(query, candidates) {
  const names = candidates.map((model) => `${model.repo}/${model.file}`);
  return new ModelManagerError("ambiguous", `"${query}" matches ${candidates.length} models: ${names.join(", ")}`, {
    hint: "give the exact model name, or owner/name/file.rkllm",
    choices: names
  });
}
function findModel(models, query) {
  const text = typeof query === "string" ? query.trim() : "";
  if (!text) {
    throw new ModelManagerError("usage", "the model query is empty", {
      hint: "give a model name, owner/name, or part of a name (see: rkllm-models list)"
    });
  }
  const lower = text.toLowerCase();
  const levels = [
    (model) => model.name === text || model.name + ".rkllm" === text,
    (model) => `${model.repo}/${model.file}` === text,
    (model) => model.repo === text,
    (model) => model.repo.toLowerCase() === lower || `${model.repo}/${model.file}`.toLowerCase() === lower,
    (model) => model.name.toLowerCase().startsWith(lower),
    (model) => model.name.toLowerCase().includes(lower) || model.repo.toLowerCase().includes(lower)
  ];
  for (const matches of levels) {
    const found = models.filter(matches);
    if (found.length === 1)
      return found[0];
    if (found.length > 1)
      throw ambiguous(text, found);
  }
  return;
}
function requireModel(models, query) {
  const model = findModel(models, query);
  if (!model) {
    throw new ModelManagerError("model_not_found", `no local model matches "${query}"`, {
      hint: "see the models you have with: rkllm-models list"
    });
  }
  return model;
}

// src/manager/remove_models.ts
async function removeFile(runtime, where, report) {
  const found = await lstatInside(runtime, placeInRepo(where.dir, where.file)).catch((error) => {
    if (isLinkRefusal(error))
      return;
    throw error;
  });
  const stat = found?.stat;
  if (!found || !stat || stat.isDirectory)
    return;
  try {
    await runtime.remove(found.path);
  } catch (error) {
    throw storageFailure(`remove ${found.path}`, error);
  }
  report.removedFiles.push(found.path);
  report.freedBytes += stat.diskUsage ?? stat.size;
}
async function removeIfEmpty(runtime, path) {
  const entries = await runtime.readDir(path).catch(() => {
    return;
  });
  if (!entries || entries.length > 0)
    return false;
  await runtime.remove(path).catch(() => {});
  return true;
}
async function removeModel(context, query) {
  const { runtime } = context;
  const target = await removableModel(context, query);
  const where = { repo: target.repo, dir: target.dir };
  const lock = await acquireLock(runtime, join9(target.dir, LOCK_FILE), {
    signal: context.connection.signal,
    purpose: `remove ${target.repo}/${target.file}`
  }).catch((error) => {
    throw storageFailure(`lock ${target.dir}`, error);
  });
  const report = { removedFiles: [], freedBytes: 0 };
  let othersLeft;
  try {
    const { models } = await scanRepoDirectory(runtime, where, { warn: context.warn });
    const model = models.find((candidate) => candidate.path === target.path);
    if (!model) {
      await lock.release().catch(() => {});
      await removeIfEmpty(runtime, target.dir);
      throw new ModelManagerError("model_not_found", `remove ${target.file}: another process removed it first`, {
        hint: "see the models you have with: rkllm-models list"
      });
    }
    const others = models.filter((candidate) => candidate.path !== model.path);
    othersLeft = others.length > 0;
    await removeFile(runtime, { dir: model.dir, file: model.file }, report);
    if (othersLeft)
      await forgetModel(context, { model, others, report });
    else
      await removeEverythingRecorded(context, { model, report });
  } finally {
    await lock.release().catch(() => {});
  }
  const removedDirectory = !othersLeft && await removeIfEmpty(runtime, target.dir);
  if (removedDirectory)
    await removeIfEmpty(runtime, join9(target.dir, ".."));
  return { ...report, model: target, removedDirectory };
}
function unsharedEncoders(model, others) {
  const used = new Set(others.flatMap((other) => other.encoders));
  return model.encoders.filter((encoder) => !used.has(encoder));
}
async function forgetModel(context, what) {
  const { model, others, report } = what;
  const record = await readRepoRecord(context.runtime, model.dir, { warn: context.warn });
  const encoders = unsharedEncoders(model, others).filter((file) => record?.files[file]);
  for (const encoder of encoders) {
    await removeFile(context.runtime, { dir: model.dir, file: encoder }, report);
  }
  if (!record)
    return;
  const forgotten = [model.file, ...encoders].filter((file) => record.files[file] !== undefined);
  if (forgotten.length === 0 && record.models?.[model.file] === undefined)
    return;
  for (const file of forgotten)
    delete record.files[file];
  if (record.models)
    delete record.models[model.file];
  await writeRecordUnlessNewer(context.runtime, { dir: model.dir, record }).catch((error) => {
    throw storageFailure(`update the registry record in ${model.dir}`, error);
  });
}
async function removeEverythingRecorded(context, what) {
  const { model, report } = what;
  const { runtime } = context;
  const record = await readRepoRecord(runtime, model.dir, { warn: context.warn });
  const keepRecord = await newerRecordVersion(runtime, model.dir) !== undefined;
  const { recorded } = ownersOf(await filesInRepoDirectory(runtime, model.dir), record);
  for (const file of recorded) {
    if (keepRecord && file === RECORD_FILE)
      continue;
    await removeFile(runtime, { dir: model.dir, file }, report);
  }
}
async function removableModel(context, query) {
  const scan = await scanStore(context.runtime, context.modelsDir, { warn: context.warn });
  return findModel(scan.models, query) ?? refuseLinks(scan.links, context.modelsDir, query) ?? requireModel(scan.models, query);
}
function refuseLinks(links, modelsDir, query) {
  const wanted = query.trim().toLowerCase();
  const link = links.find((path) => relative(modelsDir, path).split(SEP).join("/").toLowerCase().includes(wanted));
  if (!wanted || !link)
    return;
  throw new ModelManagerError("storage", `remove ${query.trim()}: ${link} is a symbolic link, which rkllm-models neither follows nor removes`, { hint: `if you do not need it, remove the link yourself (rm ${link})` });
}
async function removeEmptyDirectories(runtime, dir, removed) {
  const parents = new Set;
  for (const file of removed) {
    const parts = file.split("/").slice(0, -1);
    for (let length = parts.length;length > 0; length--) {
      parents.add(parts.slice(0, length).join("/"));
    }
  }
  const deepestFirst = [...parents].sort((a, b) => b.split("/").length - a.split("/").length);
  for (const parent of deepestFirst)
    await removeIfEmpty(runtime, join9(dir, parent));
}
async function cleanPlan(context, dir, options) {
  const { files, links } = await listRepoDirectory(context.runtime, dir);
  const record = await readRepoRecord(context.runtime, dir, { warn: context.warn });
  const owners = ownersOf(files, record);
  const doomed = [...owners.partial, ...owners.scratch];
  if (!options.partialOnly)
    doomed.push(...owners.recorded);
  return { doomed: doomed.sort(), foreign: owners.foreign, links };
}
async function leftAloneOf(runtime, paths) {
  const entries = [];
  for (const path of paths) {
    const stat = await runtime.lstat(path).catch(() => {
      return;
    });
    if (!stat)
      continue;
    entries.push({
      path,
      kind: stat.isSymlink ? "symlink" : "file",
      size: stat.isSymlink ? 0 : stat.size
    });
  }
  return entries;
}
async function cleanRepoDirectory(context, where, options, report) {
  const { runtime } = context;
  const { repo, dir } = where;
  const first = await cleanPlan(context, dir, options);
  if (first.doomed.length === 0)
    return [...first.foreign, ...first.links];
  let lock;
  try {
    lock = await acquireLock(runtime, join9(dir, LOCK_FILE), { timeoutMs: 0, purpose: "clean" });
  } catch (error) {
    if (error instanceof ModelManagerError && error.code === "locked") {
      context.warn(`skipped ${repo}: a download is running there`);
      return;
    }
    throw storageFailure(`lock ${dir}`, error);
  }
  let plan;
  try {
    plan = await cleanPlan(context, dir, options);
    for (const file of plan.doomed)
      await removeFile(runtime, { dir, file }, report);
    await removeEmptyDirectories(runtime, dir, plan.doomed);
  } finally {
    await lock.release().catch(() => {});
  }
  if (await removeIfEmpty(runtime, dir))
    await removeIfEmpty(runtime, join9(dir, ".."));
  return [...plan.foreign, ...plan.links];
}
async function cleanModels(context, options = {}) {
  const { runtime } = context;
  const report = { removedFiles: [], freedBytes: 0 };
  const { repos, links } = await storeDirectories(runtime, context.modelsDir);
  const kept = [...links];
  for (const where of repos) {
    const left = await cleanRepoDirectory(context, where, options, report);
    kept.push(...(left ?? []).map((file) => storePathOf(where.dir, file)));
  }
  return { ...report, leftAlone: await leftAloneOf(runtime, kept.sort()) };
}

// src/manager/outdated_models.ts
async function fromSource(context, what) {
  const model = what.models.find((item) => item.repo === what.repo);
  const record = await readRepoRecord(context.runtime, model.dir, { warn: context.warn });
  const recorded = record?.source ?? "huggingface";
  if (recorded === what.source.name)
    return true;
  context.warn(`${what.repo} was downloaded from ${recorded}, so it is not compared with ${what.source.name}: use --source ${recorded}`);
  return false;
}
function selectModels(models, query) {
  if (query === undefined)
    return models;
  const text = query.trim().toLowerCase();
  const matched = models.filter((model) => model.name.toLowerCase().includes(text) || model.repo.toLowerCase().includes(text) || `${model.repo}/${model.file}`.toLowerCase() === text);
  return matched.length > 0 ? matched : [requireModel(models, query)];
}
function freshnessOf(recorded, remote) {
  if (!remote)
    return "gone";
  const now = identityOfFile(remote);
  const hub = now.sha256 ?? now.gitSha1;
  const local = now.sha256 ? recorded?.sha256 : recorded?.gitSha1;
  if (!hub || !local)
    return "unknown";
  return hub === local.toLowerCase() ? "same" : "changed";
}
function statusOf(files) {
  if (files.some((file) => file.status === "changed"))
    return "outdated";
  return files.every((file) => file.status === "same") ? "current" : "unknown";
}
async function compareRepo(context, local) {
  const info = await local.source.repoInfo(context.connection, parseRepoId(local.repo));
  const listing = await local.source.listFiles(context.connection, parseRepoId(local.repo), {
    revision: info.sha
  });
  const byPath = new Map(listing.map((file) => [file.path, file]));
  const reports = [];
  for (const model of local.models) {
    const record = await readRepoRecord(context.runtime, model.dir, { warn: context.warn });
    const files = [model.file, ...model.companionFiles, ...model.encoders].map((file) => ({
      file,
      status: freshnessOf(record?.files[file], byPath.get(file))
    }));
    reports.push({ model, latestRevision: info.sha, status: statusOf(files), files });
  }
  return reports;
}
async function outdatedModels(context, query) {
  const { models } = await scanStore(context.runtime, context.modelsDir, { warn: context.warn });
  const selected = selectModels(models, query);
  const reports = [];
  const source = context.source ?? huggingFaceSource;
  for (const repo of [...new Set(selected.map((model) => model.repo))]) {
    if (!await fromSource(context, { repo, models: selected, source }))
      continue;
    const local = { repo, models: selected.filter((item) => item.repo === repo) };
    try {
      reports.push(...await compareRepo(context, { ...local, source }));
    } catch (error) {
      const alone = error instanceof ModelManagerError && error.code !== "cancelled" && error.code !== "offline";
      if (!alone)
        throw error;
      reports.push(...local.models.map((model) => ({
        model,
        latestRevision: model.revision ?? "",
        status: "failed",
        files: [],
        error
      })));
    }
  }
  return reports;
}

// src/manager/verify_models.ts
async function verifyFile(context, what) {
  const { file, recorded } = what;
  const place = placeInRepo(what.dir, file);
  const found = await lstatInside(context.runtime, place).catch((error) => {
    if (isLinkRefusal(error))
      return "link";
    throw error;
  });
  const checkedBy = recorded ? expectedHashOf(recorded)?.algorithm ?? "size" : undefined;
  if (found === "link" || found.stat !== undefined && !found.stat.isFile) {
    return { file, status: "mismatch", detail: "not a regular file (never followed)", checkedBy };
  }
  if (!found.stat)
    return { file, status: "missing" };
  if (!recorded)
    return { file, status: "unrecorded" };
  if (found.stat.size !== recorded.size) {
    const detail = `size ${found.stat.size}, recorded ${recorded.size}`;
    return { file, status: "mismatch", detail, checkedBy };
  }
  const expected = expectedHashOf(recorded);
  if (!expected)
    return { file, status: "ok", checkedBy };
  const { handle, stat } = await openInside(context.runtime, place);
  try {
    const actual = await hashOpenFile(handle, stat.size, {
      algorithm: expected.algorithm,
      signal: context.connection.signal
    });
    if (actual !== expected.hex) {
      const detail = `${expected.algorithm} ${actual}, recorded ${expected.hex}`;
      return { file, status: "mismatch", detail, checkedBy };
    }
  } finally {
    await handle.close();
  }
  return { file, status: "ok", checkedBy };
}
async function verifyModels(context, query, options = {}) {
  const { runtime } = context;
  const { models } = await scanStore(runtime, context.modelsDir, { warn: context.warn });
  const selected = query === undefined ? models : [requireModel(models, query)];
  const verdicts = [];
  for (const model of selected) {
    const record = await readRepoRecord(runtime, model.dir, { warn: context.warn });
    const files = [];
    const recordedTechnical = TECHNICAL_FILES.filter((name) => record?.files[name] !== undefined);
    const companions = [
      ...new Set([...model.technicalFiles, ...recordedTechnical, ...model.companionFiles])
    ];
    for (const file of [model.file, ...companions, ...model.encoders]) {
      options.onFile?.({ model, file });
      files.push(await verifyFile(context, { dir: model.dir, file, recorded: record?.files[file] }));
    }
    const verdict = {
      model,
      ok: files.every((file) => file.status === "ok"),
      sizeOnly: files.filter((file) => file.status === "ok" && file.checkedBy === "size").map((file) => file.file),
      files
    };
    if (record)
      await markFailures(context, model.dir, files);
    options.onResult?.(verdict);
    verdicts.push(verdict);
  }
  return verdicts;
}
async function markFailures(context, repoDir, files) {
  const verdicts = files.filter((file) => file.status !== "unrecorded").map((file) => ({
    file: file.file,
    ok: file.status === "ok",
    hashed: file.status === "ok" && file.checkedBy !== "size"
  }));
  await recordVerification(context.runtime, { dir: repoDir, verdicts }, { warn: context.warn }).catch((error) => context.warn(`could not mark the failed files in the record of ${repoDir} (${error})`));
}

// src/runtime/deno_runtime.ts
import { statfs } from "node:fs/promises";

// src/runtime/process_alive.ts
import process from "node:process";
function isPidAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0)
    return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCodeOf(error) === "EPERM";
  }
}

// src/runtime/deno_runtime.ts
function toStat(info) {
  return {
    size: info.size,
    isFile: info.isFile,
    isDirectory: info.isDirectory,
    isSymlink: info.isSymlink,
    mtime: info.mtime ?? undefined,
    ...typeof info.mode === "number" ? { mode: info.mode & 4095 } : {},
    ...typeof info.blocks === "number" ? { diskUsage: info.blocks * 512 } : {}
  };
}

class DenoFileHandle {
  #file;
  #closed = false;
  #queue = Promise.resolve();
  constructor(file) {
    this.#file = file;
  }
  #serial(operation) {
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => {});
    return result;
  }
  write(data, position) {
    return this.#serial(async () => {
      await this.#file.seek(position, Deno.SeekMode.Start);
      let written = 0;
      while (written < data.length) {
        written += await this.#file.write(data.subarray(written));
      }
    });
  }
  read(buffer, position) {
    return this.#serial(async () => {
      await this.#file.seek(position, Deno.SeekMode.Start);
      let total = 0;
      while (total < buffer.length) {
        const count = await this.#file.read(buffer.subarray(total));
        if (count === null)
          break;
        total += count;
      }
      return total;
    });
  }
  truncate(size) {
    return this.#serial(() => this.#file.truncate(size));
  }
  sync() {
    return this.#serial(() => this.#file.sync());
  }
  async close() {
    if (this.#closed)
      return;
    this.#closed = true;
    await this.#queue;
    this.#file.close();
  }
}
async function openNoFollow(path, options) {
  const exclusive = { read: true, write: true, createNew: true, mode: 420 };
  if (options.createNew)
    return await Deno.open(path, exclusive);
  if (options.create) {
    try {
      return await Deno.open(path, exclusive);
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists))
        throw error;
    }
  }
  if ((await Deno.lstat(path)).isSymlink)
    throw symlinkRefusal(path);
  const file = await Deno.open(path, { read: true, write: true });
  try {
    const [opened, named] = [await file.stat(), await Deno.lstat(path)];
    if (named.isSymlink || opened.ino !== named.ino || opened.dev !== named.dev) {
      throw symlinkRefusal(path);
    }
    if (options.truncate)
      await file.truncate(0);
    return file;
  } catch (error) {
    file.close();
    throw error;
  }
}
async function openReadNoFollow(path) {
  if ((await Deno.lstat(path)).isSymlink)
    throw symlinkRefusal(path);
  const file = await Deno.open(path, { read: true });
  try {
    const [opened, named] = [await file.stat(), await Deno.lstat(path)];
    if (named.isSymlink || opened.ino !== named.ino || opened.dev !== named.dev) {
      throw symlinkRefusal(path);
    }
    return file;
  } catch (error) {
    file.close();
    throw error;
  }
}
var textEncoder = new TextEncoder;
var stdinLines;
var bootId = null;
function hostName() {
  try {
    return Deno.hostname();
  } catch {
    try {
      return Deno.readTextFileSync("/proc/sys/kernel/hostname").trim() || "localhost";
    } catch {
      return "localhost";
    }
  }
}
function readBootId() {
  try {
    const { state } = Deno.permissions.querySync({ name: "read", path: BOOT_ID_PATH });
    if (state !== "granted")
      return;
    return Deno.readTextFileSync(BOOT_ID_PATH).trim() || undefined;
  } catch {
    return;
  }
}
var closedStreams = new Map;
async function* linesOf(stream) {
  let pending = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream)) {
    pending += text;
    let newline = pending.indexOf(`
`);
    while (newline >= 0) {
      yield pending.slice(0, newline).replace(/\r$/, "");
      pending = pending.slice(newline + 1);
      newline = pending.indexOf(`
`);
    }
  }
  if (pending)
    yield pending;
}
function createDenoRuntime() {
  return {
    name: "deno",
    async open(path, options = {}) {
      const writing = options.write || options.create || options.createNew;
      return new DenoFileHandle(writing ? await openNoFollow(path, options) : options.noFollow ? await openReadNoFollow(path) : await Deno.open(path, { read: true }));
    },
    readFile: (path) => Deno.readFile(path),
    readFileSync: (path) => Deno.readFileSync(path),
    async stat(path) {
      return toStat(await Deno.stat(path));
    },
    async lstat(path) {
      return toStat(await Deno.lstat(path));
    },
    realPath: (path) => Deno.realPath(path),
    mkdir: (path) => Deno.mkdir(path, { recursive: true }),
    rename: (from, to) => Deno.rename(from, to),
    async remove(path) {
      try {
        await Deno.remove(path);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound))
          throw error;
      }
    },
    async readDir(path) {
      const entries = [];
      for await (const entry of Deno.readDir(path)) {
        entries.push({
          name: entry.name,
          isFile: entry.isFile,
          isDirectory: entry.isDirectory,
          isSymlink: entry.isSymlink
        });
      }
      return entries;
    },
    async freeSpace(path) {
      try {
        const stats = await statfs(path);
        return Number(stats.bavail) * Number(stats.bsize);
      } catch {
        return;
      }
    },
    env: (key) => Deno.env.get(key),
    args: () => [...Deno.args],
    cwd: () => Deno.cwd(),
    homeDir: () => Deno.env.get("HOME") ?? undefined,
    pid: () => Deno.pid,
    isProcessAlive: isPidAlive,
    hostname: () => hostName(),
    bootId() {
      if (bootId === null)
        bootId = readBootId();
      return bootId;
    },
    exit: (code) => Deno.exit(code),
    isTTY: (stream) => Deno[stream].isTerminal(),
    columns() {
      try {
        return Deno.consoleSize().columns;
      } catch {
        return;
      }
    },
    async print(stream, text) {
      const closed = closedStreams.get(stream);
      if (closed)
        throw closed;
      const bytes = textEncoder.encode(text);
      let written = 0;
      try {
        while (written < bytes.length) {
          written += await Deno[stream].write(bytes.subarray(written));
        }
      } catch (error) {
        if (error instanceof Error)
          closedStreams.set(stream, error);
        throw error;
      }
    },
    async readLine() {
      stdinLines ??= linesOf(Deno.stdin.readable);
      const next = await stdinLines.next();
      return next.done ? undefined : next.value;
    },
    onInterrupt(handler) {
      Deno.addSignalListener("SIGINT", handler);
      return () => Deno.removeSignalListener("SIGINT", handler);
    },
    onTerminate(handler) {
      Deno.addSignalListener("SIGTERM", handler);
      return () => Deno.removeSignalListener("SIGTERM", handler);
    }
  };
}

// src/runtime/node_runtime.ts
import { constants, promises as fs, readFileSync } from "node:fs";
import { homedir, hostname } from "node:os";
import { dirname as dirname4, resolve as resolve2 } from "node:path";
import process2 from "node:process";
import { createInterface } from "node:readline";

// src/runtime/node_http_fetch.ts
import * as http from "node:http";
import * as https from "node:https";

// src/runtime/request_url.ts
function requestUrl(input) {
  return new URL(input instanceof Request ? input.url : String(input));
}

// src/runtime/node_http_fetch.ts
var BODY_HIGH_WATER_BYTES = 64 * 1024;
var NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
function nodeHttpFetch(input, init = {}) {
  const url = requestUrl(input);
  const method = (init.method ?? "GET").toUpperCase();
  const signal = init.signal ?? undefined;
  return new Promise((resolve, reject) => {
    if (signal?.aborted)
      return reject(signal.reason);
    const client = url.protocol === "https:" ? https : http;
    const request = client.request(url, { method, headers: plainHeaders(init.headers) });
    const onAbort = () => request.destroy(signal?.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    request.on("close", () => signal?.removeEventListener("abort", onAbort));
    request.on("error", (error) => reject(signal?.aborted ? signal.reason : error));
    request.on("response", (message) => {
      const status = message.statusCode ?? 0;
      const bodiless = method === "HEAD" || NULL_BODY_STATUSES.has(status);
      if (bodiless)
        message.resume();
      try {
        resolve(new Response(bodiless ? null : bodyStream(message, signal), {
          status,
          statusText: message.statusMessage,
          headers: headersOf(message.rawHeaders)
        }));
      } catch (error) {
        message.destroy();
        reject(error);
      }
    });
    request.end();
  });
}
function plainHeaders(headers) {
  const plain = { "accept-encoding": "identity" };
  new Headers(headers).forEach((value, name) => plain[name] = value);
  return plain;
}
function headersOf(raw) {
  const headers = new Headers;
  for (let index = 0;index + 1 < raw.length; index += 2) {
    headers.append(raw[index], raw[index + 1]);
  }
  return headers;
}
function bodyStream(message, signal) {
  return new ChunkedBody(messageReader(message, signal));
}
function messageReader(message, signal) {
  const queue = [];
  let queued = 0;
  let ended = false;
  let failure;
  let wake;
  const woken = () => wake?.();
  message.on("data", (chunk) => {
    queue.push(chunk);
    queued += chunk.byteLength;
    if (queued >= BODY_HIGH_WATER_BYTES)
      message.pause();
    woken();
  });
  message.on("end", () => {
    ended = true;
    woken();
  });
  message.on("error", (error) => {
    failure ??= error;
    woken();
  });
  message.on("close", () => {
    if (!ended)
      failure ??= new Error("the connection closed before the body ended");
    woken();
  });
  return {
    async read() {
      for (;; ) {
        const chunk = queue.shift();
        if (chunk) {
          queued -= chunk.byteLength;
          if (queued < BODY_HIGH_WATER_BYTES && message.isPaused())
            message.resume();
          return { done: false, value: chunk };
        }
        if (failure !== undefined)
          throw signal?.aborted ? signal.reason : failure;
        if (ended)
          return { done: true };
        await new Promise((resolve) => wake = resolve);
        wake = undefined;
      }
    },
    cancel() {
      ended = true;
      queue.length = 0;
      message.destroy();
      return Promise.resolve();
    }
  };
}

// src/runtime/http1_body.ts
var MAX_LINE_BYTES = 8 * 1024;
var LF = 10;
function framingOf(head, method) {
  const { status, headers } = head;
  if (method === "HEAD" || status === 204 || status === 304)
    return { kind: "none" };
  const coding = headers.get("transfer-encoding");
  if (coding !== null) {
    const last = coding.split(",").pop().trim().toLowerCase();
    return last === "chunked" ? { kind: "chunked" } : { kind: "close" };
  }
  const lengths = headers.get("content-length");
  if (lengths === null)
    return { kind: "close" };
  const values = new Set(lengths.split(",").map((value) => value.trim()));
  const [value] = values;
  if (values.size !== 1 || !/^\d{1,15}$/.test(value)) {
    throw new Error(`conflicting or malformed Content-Length: ${JSON.stringify(lengths)}`);
  }
  return { kind: "length", length: Number(value) };
}

class BodyDecoder {
  #framing;
  #remaining;
  #state = "size";
  #line = "";
  #done;
  constructor(framing) {
    this.#framing = framing;
    this.#remaining = framing.kind === "length" ? framing.length : 0;
    this.#done = framing.kind === "none" || framing.kind === "length" && framing.length === 0;
  }
  get done() {
    return this.#done;
  }
  get bodiless() {
    return this.#framing.kind === "none";
  }
  get endsAtClose() {
    return this.#framing.kind === "close";
  }
  step(input) {
    if (this.#done)
      return { body: input.subarray(0, 0), used: 0 };
    if (this.#framing.kind === "close")
      return { body: input, used: input.length };
    if (this.#framing.kind === "length")
      return this.#counted(input);
    return this.#chunked(input);
  }
  #counted(input) {
    const count = Math.min(this.#remaining, input.length);
    this.#remaining -= count;
    if (this.#remaining === 0 && this.#framing.kind === "length")
      this.#done = true;
    return { body: input.subarray(0, count), used: count };
  }
  #chunked(input) {
    if (this.#state === "data") {
      const step = this.#counted(input);
      if (this.#remaining === 0)
        this.#state = "data-end";
      return step;
    }
    const end = input.indexOf(LF);
    const taken = end === -1 ? input.length : end + 1;
    this.#line += new TextDecoder("latin1").decode(input.subarray(0, taken));
    if (this.#line.length > MAX_LINE_BYTES) {
      throw new Error("a chunk-size or trailer line is too long");
    }
    if (end !== -1)
      this.#lineEnded(this.#line.replace(/\r?\n$/, ""));
    return { body: input.subarray(0, 0), used: taken };
  }
  #lineEnded(line) {
    this.#line = "";
    if (this.#state === "data-end") {
      if (line !== "")
        throw new Error("a chunk did not end where its size said");
      this.#state = "size";
    } else if (this.#state === "size") {
      const size = /^([0-9a-fA-F]{1,12})[ \t]*(;.*)?$/.exec(line);
      if (!size)
        throw new Error(`malformed chunk size: ${JSON.stringify(line.slice(0, 40))}`);
      this.#remaining = parseInt(size[1], 16);
      this.#state = this.#remaining === 0 ? "trailers" : "data";
    } else if (line === "") {
      this.#done = true;
    }
  }
}

// src/runtime/http1_head.ts
var MAX_HEAD_BYTES = 64 * 1024;
var LF2 = 10;
var CR = 13;
var STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: ([^\r\n]*))?$/;
var FIELD = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*(.*?)[ \t]*$/;
function headEndIn(bytes) {
  for (let index = bytes.indexOf(LF2);index !== -1; index = bytes.indexOf(LF2, index + 1)) {
    if (bytes[index + 1] === LF2)
      return index + 2;
    if (bytes[index + 1] === CR && bytes[index + 2] === LF2)
      return index + 3;
  }
  return -1;
}
function parseHead(bytes) {
  const lines = new TextDecoder("latin1").decode(bytes).split(/\r?\n/);
  const status = STATUS_LINE.exec(lines[0]);
  if (!status) {
    throw new Error(`not an HTTP/1.x status line: ${JSON.stringify(lines[0].slice(0, 80))}`);
  }
  const headers = new Headers;
  for (const line of lines.slice(1)) {
    if (line === "")
      continue;
    const field = FIELD.exec(line);
    if (!field)
      throw new Error(`malformed header field: ${JSON.stringify(line.slice(0, 80))}`);
    headers.append(field[1], field[2]);
  }
  return {
    minorVersion: Number(status[1]),
    status: Number(status[2]),
    statusText: status[3] ?? "",
    headers
  };
}

// src/runtime/socket_connection.ts
import * as net from "node:net";
import * as tls from "node:tls";
var READ_BYTES2 = 256 * 1024;
var IDLE_MS = 4000;
var IDLE_PER_ORIGIN = 16;

class SocketConnection {
  origin;
  answers = 0;
  #socket;
  #buffer = new Uint8Array(READ_BYTES2);
  #pending;
  #ended = false;
  #failure;
  #wake;
  #idleTimer;
  #onIdleEvent;
  constructor(url) {
    this.origin = originOf(url);
    const host = url.hostname.replace(/^\[|\]$/g, "");
    const secure = url.protocol === "https:";
    const port = Number(url.port || (secure ? 443 : 80));
    const onread = { buffer: this.#buffer, callback: (count) => this.#received(count) };
    this.#socket = secure ? tls.connect({
      host,
      port,
      servername: net.isIP(host) ? undefined : host,
      ALPNProtocols: ["http/1.1"],
      onread
    }) : net.connect({ host, port, onread });
    this.#socket.setNoDelay(true);
    this.#socket.on("end", () => this.#stop());
    this.#socket.on("close", () => this.#stop());
    this.#socket.on("error", (error) => this.#stop(error));
  }
  get usable() {
    return !this.#ended && this.#failure === undefined && this.#pending === undefined && !this.#socket.destroyed;
  }
  send(text) {
    this.#clearIdle();
    this.#socket.ref();
    this.#socket.write(text, "latin1");
  }
  async nextBytes() {
    for (;; ) {
      const pending = this.#pending;
      if (pending) {
        this.#pending = undefined;
        return pending;
      }
      if (this.#failure !== undefined)
        throw this.#failure;
      if (this.#ended)
        return;
      this.#socket.resume();
      if (this.#pending || this.#ended || this.#failure !== undefined)
        continue;
      await new Promise((resolve) => this.#wake = resolve);
      this.#wake = undefined;
    }
  }
  destroy(reason) {
    this.#clearIdle();
    this.#stop(reason ?? new Error("the connection was closed"));
    this.#socket.destroy();
  }
  idle(onGone) {
    const gone = () => {
      this.destroy();
      onGone();
    };
    this.#socket.unref();
    this.#idleTimer = setTimeout(gone, IDLE_MS);
    this.#idleTimer.unref?.();
    this.#onIdleEvent = gone;
    this.#socket.resume();
  }
  #received(count) {
    this.#pending = this.#buffer.subarray(0, count);
    this.#woken();
    return false;
  }
  #stop(error) {
    if (error !== undefined)
      this.#failure ??= error;
    this.#ended = true;
    this.#woken();
  }
  #woken() {
    this.#wake?.();
    const onIdleEvent = this.#onIdleEvent;
    this.#onIdleEvent = undefined;
    onIdleEvent?.();
  }
  #clearIdle() {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    this.#onIdleEvent = undefined;
  }
}
function originOf(url) {
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return `${url.protocol}//${url.hostname}:${port}`;
}

class SocketPool {
  #idle = new Map;
  take(url) {
    const list = this.#idle.get(originOf(url));
    for (let connection = list?.pop();connection; connection = list?.pop()) {
      if (connection.usable)
        return connection;
      connection.destroy();
    }
    return;
  }
  keep(connection) {
    const list = this.#idle.get(connection.origin) ?? [];
    if (!connection.usable || list.length >= IDLE_PER_ORIGIN)
      return connection.destroy();
    list.push(connection);
    this.#idle.set(connection.origin, list);
    connection.idle(() => {
      const at = list.indexOf(connection);
      if (at !== -1)
        list.splice(at, 1);
    });
  }
  closeIdle() {
    for (const list of this.#idle.values())
      for (const connection of list)
        connection.destroy();
    this.#idle.clear();
  }
}

// src/runtime/node_socket_fetch.ts
var OWN_FIELDS = new Set([
  "host",
  "connection",
  "content-length",
  "transfer-encoding",
  "keep-alive",
  "upgrade",
  "te"
]);
var pool = new SocketPool;

class StaleConnection extends Error {
}
async function socketFetch(input, init = {}) {
  const url = requestUrl(input);
  const method = (init.method ?? "GET").toUpperCase();
  const signal = init.signal ?? undefined;
  if (signal?.aborted)
    throw signal.reason;
  if (method !== "GET" && method !== "HEAD") {
    throw new TypeError(`this transport sends GET and HEAD only, not ${method}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError("fetch failed", { cause: new Error(`unsupported ${url.protocol}`) });
  }
  const ask = { url, method, head: requestHead(url, method, init.headers), signal };
  const reused = pool.take(url);
  try {
    return await exchange(reused ?? new SocketConnection(url), ask);
  } catch (error) {
    if (!(error instanceof StaleConnection))
      throw error;
    return await exchange(new SocketConnection(url), ask);
  }
}
function requestHead(url, method, headers) {
  const lines = [`${method} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`];
  const fields = new Headers(headers);
  if (!fields.has("accept-encoding"))
    fields.set("accept-encoding", "identity");
  fields.forEach((value, name) => {
    if (!OWN_FIELDS.has(name))
      lines.push(`${name}: ${value}`);
  });
  return `${lines.join(`\r
`)}\r
\r
`;
}
async function exchange(connection, ask) {
  const { signal } = ask;
  const onAbort = () => connection.destroy(signal.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  let answer;
  try {
    connection.send(ask.head);
    const { head, rest } = await readHead(connection);
    if (head.status < 200 || head.status > 599)
      throw new Error(`status ${head.status}`);
    answer = { head, rest, decoder: new BodyDecoder(framingOf(head, ask.method)) };
  } catch (error) {
    signal?.removeEventListener("abort", onAbort);
    connection.destroy();
    if (signal?.aborted)
      throw signal.reason;
    if (error instanceof StaleConnection)
      throw error;
    throw new TypeError("fetch failed", { cause: error });
  }
  connection.answers++;
  const { head, decoder } = answer;
  const reusable = head.minorVersion === 1 && !decoder.endsAtClose && !/(^|,)\s*close\s*(,|$)/i.test(head.headers.get("connection") ?? "") && !(head.headers.has("transfer-encoding") && head.headers.has("content-length"));
  let released = false;
  const finish = (clean) => {
    if (released)
      return;
    released = true;
    signal?.removeEventListener("abort", onAbort);
    if (clean && reusable)
      pool.keep(connection);
    else
      connection.destroy();
  };
  if (decoder.done)
    finish(answer.rest.length === 0);
  const reader = bodyReader(connection, { decoder, rest: answer.rest, finish, signal });
  const body = decoder.bodiless ? null : new ChunkedBody(reader, { reusesChunks: true });
  return new Response(body, {
    status: head.status,
    statusText: head.statusText,
    headers: head.headers
  });
}
async function readHead(connection) {
  let gathered = new Uint8Array(0);
  for (;; ) {
    const end = headEndIn(gathered);
    if (end > MAX_HEAD_BYTES || end === -1 && gathered.length > MAX_HEAD_BYTES) {
      throw new Error("the answer's head is too large");
    }
    if (end !== -1) {
      const head = parseHead(gathered.subarray(0, end));
      if (head.status >= 200 || head.status < 100)
        return { head, rest: gathered.subarray(end) };
      if (head.status === 101)
        throw new Error("the server switched protocols");
      gathered = gathered.slice(end);
      continue;
    }
    const bytes = await nextOrStale(connection, gathered.length === 0);
    if (!bytes)
      throw new Error("the connection closed before the answer's head ended");
    const joined = new Uint8Array(gathered.length + bytes.length);
    joined.set(gathered);
    joined.set(bytes, gathered.length);
    gathered = joined;
  }
}
async function nextOrStale(connection, first) {
  const stale = first && connection.answers > 0;
  try {
    const bytes = await connection.nextBytes();
    if (!bytes && stale)
      throw new StaleConnection;
    return bytes;
  } catch (error) {
    if (stale && !(error instanceof StaleConnection))
      throw new StaleConnection;
    throw error;
  }
}
function bodyReader(connection, state) {
  const { decoder, signal, finish } = state;
  let rest = state.rest;
  const fail = (error) => {
    finish(false);
    throw signal?.aborted ? signal.reason : error;
  };
  return {
    async read() {
      for (;; ) {
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
          if (!bytes)
            return fail(new Error("the connection closed before the body ended"));
          rest = bytes;
        }
        let step;
        try {
          step = decoder.step(rest);
        } catch (error) {
          return fail(error);
        }
        rest = rest.subarray(step.used);
        if (step.body.length > 0)
          return { done: false, value: step.body };
      }
    },
    cancel() {
      finish(decoder.done && rest.length === 0);
      return Promise.resolve();
    }
  };
}

// src/runtime/proxy_variables.ts
function proxyVariable(env, name) {
  return env(name.toLowerCase()) || env(name) || undefined;
}
function namesAProxy(env) {
  return ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"].some((name) => proxyVariable(env, name));
}
function bypassesProxy(url, env) {
  const entries = (proxyVariable(env, "NO_PROXY") ?? "").split(/[\s,]+/).filter(Boolean);
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return entries.some((entry) => {
    if (entry === "*")
      return true;
    const [name, entryPort] = entry.toLowerCase().replace(/^\*/, "").split(/:(?=\d+$)/);
    if (entryPort && entryPort !== port)
      return false;
    const bare = name.replace(/^\./, "");
    return host === bare || host.endsWith(`.${bare}`);
  });
}
function proxyFor(url, env) {
  const named = url.protocol === "https:" ? proxyVariable(env, "HTTPS_PROXY") : url.protocol === "http:" ? proxyVariable(env, "HTTP_PROXY") : undefined;
  const proxy = named ?? proxyVariable(env, "ALL_PROXY");
  if (!proxy || bypassesProxy(url, env))
    return;
  try {
    return new URL(proxy.includes("://") ? proxy : `http://${proxy}`);
  } catch {
    return;
  }
}

// src/runtime/node_runtime.ts
function toStat2(stat) {
  return {
    size: stat.size,
    isFile: stat.isFile(),
    isDirectory: stat.isDirectory(),
    isSymlink: stat.isSymbolicLink(),
    mtime: stat.mtime,
    mode: stat.mode & 4095,
    ...typeof stat.blocks === "number" ? { diskUsage: stat.blocks * 512 } : {}
  };
}
function openFlags(options) {
  let flags = options.write ? constants.O_RDWR : constants.O_RDONLY;
  if (options.create)
    flags |= constants.O_CREAT;
  if (options.createNew)
    flags |= constants.O_CREAT | constants.O_EXCL;
  if (options.truncate)
    flags |= constants.O_TRUNC;
  if (options.write || options.create || options.createNew || options.noFollow) {
    flags |= constants.O_NOFOLLOW;
  }
  return flags;
}

class NodeFileHandle {
  #handle;
  #closed = false;
  constructor(handle) {
    this.#handle = handle;
  }
  async write(data, position) {
    let written = 0;
    while (written < data.length) {
      const { bytesWritten } = await this.#handle.write(data, written, data.length - written, position + written);
      written += bytesWritten;
    }
  }
  async read(buffer, position) {
    const { bytesRead } = await this.#handle.read(buffer, 0, buffer.length, position);
    return bytesRead;
  }
  truncate(size) {
    return this.#handle.truncate(size);
  }
  sync() {
    return this.#handle.sync();
  }
  async close() {
    if (this.#closed)
      return;
    this.#closed = true;
    await this.#handle.close();
  }
}
function nodeHubTransport(url, env) {
  return proxyFor(url, env) ? nodeHttpFetch : socketFetch;
}
function nodeHubFetch() {
  const env = (name) => process2.env[name];
  if (!namesAProxy(env))
    return socketFetch;
  return function hubFetch(input, init) {
    const url = requestUrl(input);
    return nodeHubTransport(url, env)(input, init);
  };
}
var stdinLines2;
var bootId2 = null;
function readBootId2() {
  try {
    return readFileSync(BOOT_ID_PATH, "utf8").trim() || undefined;
  } catch {
    return;
  }
}
var closedStreams2 = new Map;
var watchedStreams = new Set;
function printTo(name, text) {
  const closed = closedStreams2.get(name);
  if (closed)
    return Promise.reject(closed);
  const stream = process2[name];
  if (!watchedStreams.has(name)) {
    watchedStreams.add(name);
    stream.on("error", (error) => {
      if (!closedStreams2.has(name))
        closedStreams2.set(name, error);
    });
  }
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => {
      if (!error)
        return resolve();
      if (!closedStreams2.has(name))
        closedStreams2.set(name, error);
      reject(error);
    });
  });
}
function createNodeRuntime(name) {
  return {
    name,
    async open(path, options = {}) {
      return new NodeFileHandle(await fs.open(path, openFlags(options), 420));
    },
    readFileSync(path) {
      return new Uint8Array(readFileSync(path));
    },
    async readFile(path) {
      return new Uint8Array(await fs.readFile(path));
    },
    async stat(path) {
      return toStat2(await fs.stat(path));
    },
    async lstat(path) {
      return toStat2(await fs.lstat(path));
    },
    realPath: (path) => fs.realpath(path),
    async mkdir(path) {
      const missing = [];
      for (let current = resolve2(path);; current = dirname4(current)) {
        if (await fs.stat(current).then(() => true, () => false))
          break;
        missing.unshift(current);
        if (dirname4(current) === current)
          break;
      }
      for (const directory of missing) {
        await fs.mkdir(directory).catch((error) => {
          if (errorCodeOf(error) !== "EEXIST")
            throw error;
        });
      }
    },
    rename(from, to) {
      return fs.rename(from, to);
    },
    async remove(path) {
      try {
        if ((await fs.lstat(path)).isDirectory())
          await fs.rmdir(path);
        else
          await fs.unlink(path);
      } catch (error) {
        if (errorCodeOf(error) !== "ENOENT")
          throw error;
      }
    },
    async readDir(path) {
      const entries = await fs.readdir(path, { withFileTypes: true });
      return entries.map((entry) => ({
        name: entry.name,
        isFile: entry.isFile(),
        isDirectory: entry.isDirectory(),
        isSymlink: entry.isSymbolicLink()
      }));
    },
    async freeSpace(path) {
      try {
        const stats = await fs.statfs(path);
        return Number(stats.bavail) * Number(stats.bsize);
      } catch {
        return;
      }
    },
    env: (key) => process2.env[key],
    args: () => process2.argv.slice(2),
    cwd: () => process2.cwd(),
    homeDir: () => homedir() || undefined,
    pid: () => process2.pid,
    isProcessAlive: isPidAlive,
    hostname: () => hostname(),
    bootId() {
      if (bootId2 === null)
        bootId2 = readBootId2();
      return bootId2;
    },
    exit: (code) => process2.exit(code),
    isTTY: (stream) => Boolean(process2[stream].isTTY),
    columns: () => process2.stderr.columns || process2.stdout.columns || undefined,
    print: printTo,
    async readLine() {
      stdinLines2 ??= createInterface({ input: process2.stdin, terminal: false })[Symbol.asyncIterator]();
      const next = await stdinLines2.next();
      return next.done ? undefined : next.value;
    },
    onInterrupt(handler) {
      process2.on("SIGINT", handler);
      return () => process2.off("SIGINT", handler);
    },
    onTerminate(handler) {
      process2.on("SIGTERM", handler);
      return () => process2.off("SIGTERM", handler);
    },
    hubFetch: name === "node" ? nodeHubFetch() : undefined,
    collectGarbage: name === "bun" ? bunCollector() : undefined
  };
}
function bunCollector() {
  const bun = globalThis.Bun;
  const gc = bun?.gc;
  return typeof gc === "function" ? () => gc.call(bun, true) : undefined;
}

// src/runtime/file_system.ts
function createFileSystem(runtime) {
  const writeFile = async (path, data) => {
    const handle = await runtime.open(path, { write: true, create: true, truncate: true });
    try {
      await handle.write(data, 0);
    } finally {
      await handle.close();
    }
  };
  return {
    open: (path, options) => runtime.open(path, options),
    readFile: (path) => runtime.readFile(path),
    stat: (path) => runtime.stat(path),
    lstat: (path) => runtime.lstat(path),
    realPath: (path) => runtime.realPath(path),
    mkdir: (path) => runtime.mkdir(path),
    rename: (from, to) => runtime.rename(from, to),
    remove: (path) => runtime.remove(path),
    readDir: (path) => runtime.readDir(path),
    freeSpace: (path) => runtime.freeSpace(path),
    readTextFile: async (path) => new TextDecoder().decode(await runtime.readFile(path)),
    writeFile,
    writeTextFile: (path, text) => writeFile(path, new TextEncoder().encode(text)),
    exists: (path) => runtime.stat(path).then(() => true, (error) => {
      if (isNotFound(error))
        return false;
      throw error;
    })
  };
}

// src/runtime/detect_runtime.ts
import * as nodePath from "node:path";

class RuntimeDetector {
  static #current;
  static #instance;
  #fileSystem;
  static getInstance() {
    RuntimeDetector.#instance ??= new RuntimeDetector;
    return RuntimeDetector.#instance;
  }
  detect() {
    const type = RuntimeDetector.detect();
    return { type, version: runtimeVersion(type) };
  }
  getFileSystem() {
    this.#fileSystem ??= createFileSystem(RuntimeDetector.current());
    return this.#fileSystem;
  }
  getPath() {
    return nodePath;
  }
  static detect() {
    const global = globalThis;
    if (global.Deno !== undefined)
      return "deno";
    if (global.Bun !== undefined)
      return "bun";
    if (global.process?.versions?.node)
      return "node";
    throw new ModelManagerError("unsupported_runtime", "unsupported JavaScript runtime: rkllm-models runs on Deno, Node.js and Bun", {
      hint: "use Deno 2, Node.js 24 or Bun 1.2 or newer"
    });
  }
  static current() {
    if (!RuntimeDetector.#current) {
      const name = RuntimeDetector.detect();
      RuntimeDetector.#current = name === "deno" ? createDenoRuntime() : createNodeRuntime(name);
    }
    return RuntimeDetector.#current;
  }
}
function runtimeVersion(type) {
  const global = globalThis;
  if (type === "deno")
    return global.Deno?.version?.deno ?? "unknown";
  if (type === "bun")
    return global.Bun?.version ?? "unknown";
  return global.process?.versions?.node ?? "unknown";
}

// src/model_manager.ts
class ModelManager {
  modelsDir;
  endpoint;
  #source;
  #options;
  #runtime;
  #token;
  #storeDir;
  constructor(options = {}) {
    this.#options = options;
    this.#runtime = options.runtime ?? RuntimeDetector.current();
    const userConfig = options.userConfig ?? readUserConfig(this.#runtime);
    this.modelsDir = resolveModelsDir(this.#runtime, options.modelsDir, { userConfig });
    this.#source = sourceNamed(options.source ?? userConfig.source ?? "huggingface");
    this.endpoint = sourceEndpoint(this.#runtime, {
      source: this.#source,
      option: options.endpoint,
      userConfig
    });
  }
  async#context(signal, onRetry) {
    const connection = {
      endpoint: this.endpoint,
      token: await (this.#token ??= sourceToken(this.#runtime, {
        source: this.#source,
        option: this.#options.token
      })),
      tokenCookie: this.#source.tokenCookie,
      fetch: hubTransport(this.#runtime, this.#options.fetch),
      signal: anySignal(this.#options.signal, signal),
      retry: this.#options.retry ?? {},
      timeoutMs: this.#options.requestTimeoutMs ?? this.#options.idleTimeoutMs,
      maxJsonBytes: this.#options.maxJsonBytes,
      offline: this.offline,
      onRetry: onRetry ?? this.#options.onRetry,
      clock: this.#options.clock
    };
    return {
      runtime: this.#runtime,
      modelsDir: await (this.#storeDir ??= realModelsDir(this.#runtime, this.modelsDir)),
      connection,
      source: this.#source,
      warn: this.#options.onWarning ?? ((message) => console.warn(`warning: ${message}`))
    };
  }
  async downloadModel(repo, file, options = {}) {
    return (await this.downloadWithPlan(repo, file, options)).model;
  }
  async downloadWithPlan(repo, file, options = {}) {
    const onProgress = options.onProgress ?? this.#options.onProgress;
    const context = await this.#context(options.signal, (event) => onProgress?.(retryEventOf(file ?? repo, event)));
    return installModel(context, repo, {
      retry: this.#options.retry,
      idleTimeoutMs: this.#options.idleTimeoutMs,
      ...options,
      onProgress,
      file
    });
  }
  async listModels() {
    return (await this.scanStore()).models;
  }
  async listPartialDownloads() {
    return (await this.scanStore()).partials;
  }
  async scanStore() {
    const context = await this.#context();
    return await scanStore(this.#runtime, context.modelsDir, { warn: context.warn });
  }
  async getModel(query) {
    return findModel(await this.listModels(), query);
  }
  async requireRemovableModel(query) {
    return removableModel(await this.#context(), query);
  }
  async removeModel(query) {
    return removeModel(await this.#context(), query);
  }
  async cleanModels(options = {}) {
    return cleanModels(await this.#context(), options);
  }
  async verifyModel(query, options = {}) {
    return verifyModels(await this.#context(), query, options);
  }
  async outdatedModels(query) {
    return outdatedModels(await this.#context(), query);
  }
  async listRemoteFiles(repo, options = {}) {
    const { connection } = await this.#context(options.signal, options.onRetry);
    const id = parseRepoId(repo);
    const info = await this.#source.repoInfo(connection, id, { revision: options.revision });
    return { info, files: await this.#source.listFiles(connection, id, { revision: info.sha }) };
  }
  async listVariants(repo, options = {}) {
    const listing = await this.listRemoteFiles(repo, options);
    const board = await detectBoard(this.#runtime);
    const variants = listVariants(listing, { ...options, board });
    if (options.revision !== undefined || modelFilesOf(listing.files).length > 0)
      return variants;
    const { connection } = await this.#context(options.signal, options.onRetry);
    const branches = await branchVariants(connection, {
      info: listing.info,
      filter: options,
      board,
      source: this.#source
    });
    return { ...variants, branches };
  }
  get offline() {
    return this.#options.offline ?? isTruthy(this.#runtime.env("HF_HUB_OFFLINE"));
  }
  async searchModels(options = {}) {
    return this.#source.searchModels((await this.#context(options.signal)).connection, options);
  }
}
// src/version.ts
var VERSION2 = "0.1.0";
// src/serve/serve_store.ts
import { createServer } from "node:http";
import { networkInterfaces } from "node:os";

// src/serve/connection_guard.ts
var BUSY_BODY = JSON.stringify({ error: "too many connections; retry later" });
var BUSY_ANSWER = `HTTP/1.1 503 Service Unavailable\r
` + `Content-Type: application/json; charset=utf-8\r
` + `Content-Length: ${BUSY_BODY.length}\r
` + `Retry-After: 5\r
` + `X-Error-Message: too many connections\r
` + `Connection: close\r
\r
${BUSY_BODY}`;
var RESERVED_DESCRIPTORS = 48;
function connectionCapOf(limitsText, wanted) {
  const soft = limitsText?.match(/^Max open files\s+(\d+)/m)?.[1];
  if (soft === undefined)
    return wanted;
  return Math.max(1, Math.min(wanted, Math.floor((Number(soft) - RESERVED_DESCRIPTORS) / 3)));
}
function guardConnections(server, limits) {
  const counts = { open: 0, refused: 0, timedOut: 0 };
  const sockets = new Set;
  const headerTimers = new Map;
  const awaitHeaders = (socket) => {
    clearTimeout(headerTimers.get(socket));
    headerTimers.set(socket, setTimeout(() => {
      counts.timedOut++;
      socket.destroy();
    }, limits.headerTimeoutMs));
  };
  server.headersTimeout = limits.headerTimeoutMs;
  server.requestTimeout = 0;
  server.keepAliveTimeout = Math.min(5000, limits.idleTimeoutMs);
  server.on("connection", (socket) => {
    if (limits.listener?.claims(socket))
      return;
    if (sockets.size >= limits.maxConnections) {
      counts.refused++;
      turnAway(socket);
      limits.listener?.nudge();
      return;
    }
    sockets.add(socket);
    counts.open = sockets.size;
    awaitHeaders(socket);
    socket.setTimeout(limits.idleTimeoutMs, () => {
      counts.timedOut++;
      socket.destroy();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(headerTimers.get(socket));
      headerTimers.delete(socket);
      sockets.delete(socket);
      counts.open = sockets.size;
    });
  });
  server.on("request", (request, response) => {
    const socket = request.socket;
    clearTimeout(headerTimers.get(socket));
    headerTimers.delete(socket);
    socket.setTimeout(0);
    response.on("finish", () => {
      if (socket.destroyed || !sockets.has(socket))
        return;
      socket.setTimeout(limits.idleTimeoutMs);
      awaitHeaders(socket);
    });
  });
  return { counts, sockets, admits: (socket) => sockets.has(socket) };
}
function turnAway(socket) {
  socket.on("error", () => {});
  const timer = setTimeout(() => socket.destroy(), 1000);
  socket.once("close", () => clearTimeout(timer));
  socket.end(BUSY_ANSWER);
}

// src/serve/body_buffers.ts
var FULL_CHUNK_BYTES = 512 * 1024;
var SHARED_CHUNK_BYTES = 64 * 1024;
var FULL_BODIES = 8;

class BodyBuffers {
  #sending = 0;
  get sending() {
    return this.#sending;
  }
  take(length) {
    this.#sending++;
    const size = this.#sending > FULL_BODIES ? SHARED_CHUNK_BYTES : FULL_CHUNK_BYTES;
    return new Uint8Array(Math.max(1, Math.min(size, length)));
  }
  release() {
    this.#sending = Math.max(0, this.#sending - 1);
  }
}

// src/serve/file_answer.ts
var IMMUTABLE = "public, max-age=31536000, immutable";
function rangeAskOf(header, size) {
  const match = header?.trim().match(/^bytes=(\d*)-(\d*)$/);
  if (size === 0)
    return { kind: "whole" };
  if (!match || match[1] === "" && match[2] === "")
    return { kind: "whole" };
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0)
      return { kind: "unsatisfiable" };
    return { kind: "slice", start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size)
    return { kind: "unsatisfiable" };
  if (end < start)
    return { kind: "whole" };
  return { kind: "slice", start, end };
}
function etagOf(file) {
  return `"${file.sha256 ?? file.gitSha1 ?? ""}"`;
}
function fileMetadataHeaders(file, commit) {
  return {
    "X-Repo-Commit": commit,
    ETag: etagOf(file),
    "X-Linked-Etag": etagOf(file),
    "X-Linked-Size": String(file.size)
  };
}
async function answerFile(exchange, what) {
  const { request, response } = exchange;
  const { file } = what;
  const headers = {
    ...fileMetadataHeaders(file, what.commit),
    "Accept-Ranges": "bytes",
    "Content-Type": "application/octet-stream",
    "Cache-Control": IMMUTABLE
  };
  const ask = rangeAskOf(headerText(request.headers.range), file.size);
  if (ask.kind === "unsatisfiable") {
    response.writeHead(416, { ...headers, "Content-Range": `bytes */${file.size}` });
    response.end();
    return;
  }
  const start = ask.kind === "slice" ? ask.start : 0;
  const end = ask.kind === "slice" ? ask.end : file.size - 1;
  if (ask.kind === "slice")
    headers["Content-Range"] = `bytes ${start}-${end}/${file.size}`;
  headers["Content-Length"] = String(end - start + 1);
  const status = ask.kind === "slice" ? 206 : 200;
  if (request.method === "HEAD" || end < start) {
    response.writeHead(status, headers);
    response.end();
    return;
  }
  const body = await what.openBody();
  try {
    await streamBody(response, {
      source: body,
      start,
      end,
      onBodyBytes: what.onBodyBytes,
      sendTimeoutMs: what.sendTimeoutMs,
      buffers: what.buffers,
      head: () => response.writeHead(status, headers)
    });
  } finally {
    await body.close().catch(() => {});
  }
}
function headerText(value) {
  return Array.isArray(value) ? value[0] : value;
}
async function streamBody(response, range) {
  const { source } = range;
  let position = range.start;
  let head = range.head;
  const buffers = range.buffers ?? new BodyBuffers;
  const buffer = buffers.take(range.end - range.start + 1);
  const sender = new ChunkSender(response, range.sendTimeoutMs);
  try {
    while (position <= range.end) {
      if (response.destroyed)
        return;
      const chunk = buffer.subarray(0, Math.min(buffer.length, range.end - position + 1));
      const count = await source.read(chunk, position);
      if (count === 0)
        throw new Error("the file ended before its recorded size");
      position += count;
      head?.();
      head = undefined;
      range.onBodyBytes?.(count);
      await sender.send(chunk.subarray(0, count));
    }
    response.end();
  } catch (error) {
    if (head && !response.headersSent)
      return answerBadGateway(response);
    response.destroy(error instanceof Error ? error : new Error(String(error)));
  } finally {
    buffers.release();
    sender.finish();
  }
}
function answerBadGateway(response) {
  const body = JSON.stringify({ error: "the file could not be read or pulled; retry later" });
  response.writeHead(502, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(body.length),
    "Cache-Control": "no-cache",
    "X-Error-Message": "the file could not be read or pulled"
  });
  response.end(body);
}

class ChunkSender {
  #response;
  #timeoutMs;
  #timer;
  #sentAt = 0;
  #settle;
  #written = () => this.#release();
  #expired = () => {
    this.#timer = undefined;
    if (!this.#settle || this.#timeoutMs === undefined)
      return;
    const left = this.#sentAt + this.#timeoutMs - performance.now();
    if (left <= 0)
      this.#response.destroy(new Error("the client stopped reading"));
    else
      this.#timer = setTimeout(this.#expired, left);
  };
  constructor(response, timeoutMs) {
    this.#response = response;
    this.#timeoutMs = timeoutMs;
    response.on("close", this.#written);
  }
  send(bytes) {
    const response = this.#response;
    if (response.destroyed || response.closed)
      return Promise.resolve();
    this.#sentAt = performance.now();
    if (this.#timeoutMs !== undefined && !this.#timer) {
      this.#timer = setTimeout(this.#expired, this.#timeoutMs);
    }
    return new Promise((resolve) => {
      this.#settle = resolve;
      response.write(bytes, this.#written);
    });
  }
  finish() {
    clearTimeout(this.#timer);
    this.#response.off("close", this.#written);
    this.#release();
  }
  #release() {
    const settle = this.#settle;
    this.#settle = undefined;
    settle?.();
  }
}

// src/serve/listener_watch.ts
import { connect as connect3 } from "node:net";
var PROBE_WAIT_MS = 2000;
var PROBE_DELAY_MS = 500;

class ListenerWatch {
  relistened = 0;
  #server;
  #host;
  #port = 0;
  #timer;
  #probes = new Map;
  #stopped = false;
  constructor(server, host) {
    this.#server = server;
    this.#host = host;
  }
  nudge() {
    if (this.#stopped || this.#timer !== undefined)
      return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#probe().catch(() => {});
    }, PROBE_DELAY_MS);
  }
  claims(socket) {
    const seen = this.#probes.get(`${socket.remoteAddress}:${socket.remotePort}`);
    if (!seen)
      return false;
    seen();
    socket.on("error", () => {});
    socket.destroy();
    return true;
  }
  stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }
  async#probe() {
    const address = this.#server.address();
    if (typeof address === "object" && address)
      this.#port = address.port;
    const probe = connect3(this.#port, probeHost(this.#host));
    probe.on("error", () => {});
    const connected = await new Promise((resolve) => {
      probe.once("connect", () => resolve(true));
      probe.once("error", () => resolve(false));
    });
    if (!connected || probe.localPort === undefined || probe.localAddress === undefined) {
      probe.destroy();
      return this.nudge();
    }
    const key = `${probe.localAddress}:${probe.localPort}`;
    const accepted = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), PROBE_WAIT_MS);
      this.#probes.set(key, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    this.#probes.delete(key);
    probe.destroy();
    if (!accepted && !this.#stopped)
      await this.#relisten();
  }
  async#relisten() {
    this.relistened++;
    this.#server.close();
    await new Promise((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(this.#port, this.#host, () => {
        this.#server.off("error", reject);
        resolve();
      });
    }).catch(() => this.nudge());
  }
}
function probeHost(host) {
  if (host === "0.0.0.0" || host === "")
    return "127.0.0.1";
  if (host === "::")
    return "::1";
  return host;
}

// src/serve/pull_rate.ts
var MAX_CLIENTS = 1024;

class PullRate {
  #perMinute;
  #now;
  #buckets = new Map;
  constructor(options) {
    this.#perMinute = options.perMinute;
    this.#now = options.now ?? Date.now;
  }
  admit(client) {
    const now = this.#now();
    const bucket = this.#buckets.get(client) ?? { tokens: this.#perMinute, at: now };
    bucket.tokens = Math.min(this.#perMinute, bucket.tokens + (now - bucket.at) * this.#perMinute / 60000);
    bucket.at = now;
    const admitted = bucket.tokens >= 1;
    if (admitted)
      bucket.tokens -= 1;
    this.#buckets.set(client, bucket);
    if (this.#buckets.size > MAX_CLIENTS)
      this.#forgetFull(now);
    return admitted;
  }
  #forgetFull(now) {
    for (const [client, bucket] of this.#buckets) {
      const tokens = bucket.tokens + (now - bucket.at) * this.#perMinute / 60000;
      if (tokens >= this.#perMinute)
        this.#buckets.delete(client);
    }
  }
}

// src/serve/hub_routes.ts
import { createHash as createHash3 } from "node:crypto";

// src/serve/hub_answers.ts
import { createHash as createHash2 } from "node:crypto";
var encoder3 = new TextEncoder;
function lfsPointerText(sha256, size) {
  return `version https://git-lfs.github.com/spec/v1
oid sha256:${sha256}
size ${size}
`;
}
function gitBlobSha1Of(bytes) {
  return createHash2("sha1").update(`blob ${bytes.length}\x00`).update(bytes).digest("hex");
}
function treeEntryOf(file) {
  if (file.sha256) {
    const pointer = encoder3.encode(lfsPointerText(file.sha256, file.size));
    return {
      type: "file",
      oid: gitBlobSha1Of(pointer),
      size: file.size,
      path: file.path,
      lfs: { oid: file.sha256, size: file.size, pointerSize: pointer.length }
    };
  }
  return { type: "file", oid: file.gitSha1 ?? "", size: file.size, path: file.path };
}
function directoryEntriesOf(paths) {
  const directories = new Set;
  for (const path of paths) {
    const parts = path.split("/");
    for (let depth = 1;depth < parts.length; depth++) {
      directories.add(parts.slice(0, depth).join("/"));
    }
  }
  return [...directories].sort().map((path) => ({
    type: "directory",
    oid: createHash2("sha1").update(`tree ${path}`).digest("hex"),
    size: 0,
    path
  }));
}
function treeAnswer(files, options) {
  const prefix = options.under === "" ? "" : `${options.under.replace(/\/+$/, "")}/`;
  const inside = files.filter((file) => file.path.startsWith(prefix));
  if (prefix !== "" && inside.length === 0) {
    const exact = files.find((file) => file.path === options.under);
    return exact ? [treeEntryOf(exact)] : undefined;
  }
  const depthOf = (path) => path.slice(prefix.length).split("/").length;
  const entries = [
    ...directoryEntriesOf(inside.map((file) => file.path)).filter((entry) => String(entry.path).startsWith(prefix)),
    ...inside.map(treeEntryOf)
  ];
  return entries.filter((entry) => options.recursive || depthOf(String(entry.path)) === 1).sort((a, b) => String(a.path) < String(b.path) ? -1 : 1);
}
function repoInfoAnswer(repo) {
  const [author] = repo.id.split("/");
  return {
    _id: createHash2("sha1").update(repo.id).digest("hex").slice(0, 24),
    id: repo.id,
    modelId: repo.id,
    author,
    sha: repo.sha,
    lastModified: repo.lastModified,
    createdAt: repo.lastModified,
    private: repo.private,
    gated: repo.gated,
    disabled: false,
    downloads: 0,
    likes: 0,
    tags: [],
    library_name: "rkllm",
    siblings: repo.files.map((file) => ({
      rfilename: file.path,
      size: file.size,
      blobId: treeEntryOf(file).oid,
      ...file.sha256 ? { lfs: { sha256: file.sha256, size: file.size, pointerSize: pointerSizeOf(file) } } : {}
    }))
  };
}
function pointerSizeOf(file) {
  return encoder3.encode(lfsPointerText(file.sha256 ?? "", file.size)).length;
}
function pathsInfoAnswer(files, paths) {
  const answer = [];
  for (const path of paths) {
    const file = files.find((candidate) => candidate.path === path);
    if (file) {
      answer.push(treeEntryOf(file));
    } else if (files.some((candidate) => candidate.path.startsWith(`${path}/`))) {
      answer.push(...directoryEntriesOf([`${path}/x`]).filter((entry) => entry.path === path));
    }
  }
  return answer;
}
function requestedPaths(body, contentType) {
  if (contentType.includes("json") || body.trimStart().startsWith("{")) {
    try {
      const parsed = JSON.parse(body);
      const paths = Array.isArray(parsed.paths) ? parsed.paths : [parsed.paths];
      return paths.filter((path) => typeof path === "string");
    } catch {
      return [];
    }
  }
  return new URLSearchParams(body).getAll("paths");
}

// src/serve/served_repo.ts
import { join as join10 } from "node:path";
async function readServedRepo(runtime, asked) {
  const { modelsDir } = asked;
  const repoText = asked.repo;
  let id;
  try {
    id = parseRepoId(repoText);
  } catch {
    return;
  }
  const dir = await findRepoDir(runtime, modelsDir, id);
  if (!dir)
    return;
  const record = await readRepoRecord(runtime, dir);
  return record ? servedRepoOf(record, dir) : undefined;
}
async function directoriesIn(runtime, dir) {
  try {
    return (await runtime.readDir(dir)).filter((entry) => entry.isDirectory).map((entry) => entry.name);
  } catch {
    return [];
  }
}
async function findRepoDir(runtime, modelsDir, id) {
  const exact = repoDirOf(modelsDir, id);
  if (await isDirectory(runtime, exact))
    return exact;
  const owner = (await directoriesIn(runtime, modelsDir)).find((name) => name.toLowerCase() === id.owner.toLowerCase());
  if (!owner)
    return;
  const name = (await directoriesIn(runtime, join10(modelsDir, owner))).find((entry) => entry.toLowerCase() === id.name.toLowerCase());
  return name ? join10(modelsDir, owner, name) : undefined;
}
async function isDirectory(runtime, path) {
  try {
    return (await runtime.lstat(path)).isDirectory;
  } catch (error) {
    if (isNotFound(error))
      return false;
    throw error;
  }
}
function servedRepoOf(record, dir) {
  const files = new Map;
  const commits = new Set;
  let lastModified = "";
  const latest = record.revision.toLowerCase();
  for (const [path, file] of Object.entries(record.files)) {
    const revision = typeof file.revision === "string" ? file.revision.toLowerCase() : latest;
    commits.add(revision);
    if ((file.downloadedAt ?? "") > lastModified)
      lastModified = file.downloadedAt;
    files.set(path, {
      path,
      size: file.size,
      sha256: isSha256Hex(file.sha256) ? file.sha256.toLowerCase() : undefined,
      gitSha1: isGitSha1Hex(file.gitSha1) ? file.gitSha1.toLowerCase() : undefined,
      revision,
      storePath: storePathOf(dir, path),
      place: placeInRepo(dir, path),
      recorded: file
    });
  }
  commits.add(latest);
  return {
    id: record.repo,
    dir,
    latest,
    commits,
    files,
    private: record.private === true,
    gated: record.gated === "auto" || record.gated === "manual" ? record.gated : false,
    lastModified: lastModified || "1970-01-01T00:00:00.000Z"
  };
}
function filesAtCommit(repo, commit) {
  const all = [...repo.files.values()];
  const chosen = commit === repo.latest ? all : all.filter((file) => file.revision === commit);
  return chosen.sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}
function commitOf(repo, revision) {
  if (!isCommitId(revision))
    return repo.latest;
  const commit = revision.toLowerCase();
  return repo.commits.has(commit) ? commit : undefined;
}
function isCommitId(revision) {
  return /^[0-9a-f]{40}$/i.test(revision);
}

// src/store/stored_copy.ts
async function storedCopyOf(runtime, question) {
  const { recorded, wanted } = question;
  if (!recorded || wanted && !namesSameContent(recorded, wanted))
    return "other";
  const { stat } = await lstatInside(runtime, question.place).catch(() => ({ stat: undefined }));
  if (!stat?.isFile || stat.size !== recorded.size)
    return "other";
  if (recorded.failedVerifyAt !== undefined)
    return "stale";
  const changed = recorded.mtimeMs !== undefined && stat.mtime?.getTime() !== recorded.mtimeMs;
  return changed ? "stale" : "same";
}
function namesSameContent(recorded, wanted) {
  if (recorded.size !== wanted.size)
    return false;
  const [want, have] = wanted.sha256 ? [wanted.sha256, recorded.sha256] : [wanted.gitSha1, recorded.gitSha1];
  return want !== undefined && have?.toLowerCase() === want.toLowerCase();
}

// src/serve/store_files.ts
var LARGE_FILE_BYTES = 10 * 1024 * 1024;

class ComputedHashes {
  #known = new Map;
  runtime;
  constructor(runtime) {
    this.runtime = runtime;
  }
  async factsOf(file) {
    if (file.sha256 || file.gitSha1) {
      return { path: file.path, size: file.size, sha256: file.sha256, gitSha1: file.gitSha1 };
    }
    return await this.computed(file);
  }
  async computed(file) {
    const { stat } = await lstatInside(this.runtime, file.place);
    if (!stat?.isFile)
      throw new Error(`${file.storePath} is not a regular file`);
    const algorithm = file.sha256 ? "sha256" : file.gitSha1 ? "git-sha1" : file.size >= LARGE_FILE_BYTES ? "sha256" : "git-sha1";
    const key = `${file.storePath}\x00${stat.size}\x00${stat.mtime?.getTime() ?? 0}\x00${algorithm}`;
    let facts = this.#known.get(key);
    if (!facts) {
      facts = this.#hash(file, algorithm);
      this.#known.set(key, facts);
      facts.catch(() => this.#known.delete(key));
    }
    return await facts;
  }
  async#hash(file, algorithm) {
    const { handle } = await openInside(this.runtime, file.place);
    try {
      const hex = await hashOpenFile(handle, file.size, { algorithm });
      return algorithm === "sha256" ? { path: file.path, size: file.size, sha256: hex } : { path: file.path, size: file.size, gitSha1: hex };
    } finally {
      await handle.close();
    }
  }
}
async function isServable(hashes, file) {
  const copy = await storedCopyOf(hashes.runtime, { place: file.place, recorded: file.recorded });
  if (copy !== "stale")
    return copy === "same";
  if (!file.sha256 && !file.gitSha1)
    return true;
  const facts = await hashes.computed(file).catch(() => {
    return;
  });
  return facts !== undefined && (file.sha256 ? facts.sha256 === file.sha256 : facts.gitSha1 === file.gitSha1);
}
async function openStoreFile(runtime, place) {
  const { handle } = await openInside(runtime, place);
  return {
    read: (buffer, position) => handle.read(buffer, position),
    close: () => handle.close()
  };
}

// src/serve/repo_views.ts
async function repoView(settings, asked) {
  const stored = await readServedRepo(settings.runtime, {
    modelsDir: settings.modelsDir,
    repo: asked.repo
  });
  const byCommit = isCommitId(asked.revision);
  const pullable = settings.pulls.any || settings.pulls.repos.has(asked.repo.toLowerCase());
  if (settings.upstream && !stored && !pullable) {
    return {
      status: 404,
      code: "RepoNotFound",
      message: "Repository not found on this mirror, which pulls only the repositories it allows"
    };
  }
  if (settings.upstream) {
    const answer = await upstreamView(settings, settings.upstream, { ...asked, stored });
    if (answer !== undefined && !(("status" in answer) && stored))
      return answer;
  }
  if (!stored)
    return { status: 404, code: "RepoNotFound", message: "Repository not found" };
  const refused = accessRefusal(settings, stored);
  if (refused)
    return refused;
  const commit = commitOf(stored, asked.revision);
  if (!commit) {
    return { status: 404, code: "RevisionNotFound", message: `Invalid rev id: ${asked.revision}` };
  }
  return await storeView(settings, stored, { commit, byCommit });
}
function accessRefusal(settings, access) {
  if (settings.allowPrivate)
    return;
  if (access.private) {
    return { status: 404, code: "RepoNotFound", message: "Repository not found" };
  }
  if (access.gated) {
    return {
      status: 403,
      code: "GatedRepo",
      message: "This repository is gated; this mirror serves it only with --allow-private",
      headers: { [SERVE_REFUSAL_HEADER]: "allow-private" }
    };
  }
  return;
}
async function storeView(settings, repo, at) {
  const files = [];
  for (const file of filesAtCommit(repo, at.commit)) {
    if (await isServable(settings.hashes, file))
      files.push(file);
  }
  const facts = await Promise.all(files.map((file) => settings.hashes.factsOf(file)));
  return {
    facts: {
      id: repo.id,
      sha: at.commit,
      private: repo.private,
      gated: repo.gated,
      lastModified: repo.lastModified,
      files: facts
    },
    byCommit: at.byCommit,
    file(path) {
      const index = files.findIndex((file) => file.path === path);
      if (index === -1)
        return Promise.resolve(undefined);
      return Promise.resolve({
        startsPull: false,
        facts: facts[index],
        openBody: () => openStoreFile(settings.runtime, files[index].place)
      });
    }
  };
}
async function upstreamView(settings, upstream, asked) {
  let view;
  try {
    view = await upstream.view(asked.repo, asked.revision, {
      isLatest: !isCommitId(asked.revision),
      via: asked.via
    });
  } catch (error) {
    return upstreamRefusal(settings, upstream, { error, revision: asked.revision });
  }
  const refused = accessRefusal(settings, view.info);
  if (refused)
    return refused;
  const facts = view.files.map(factsOfListed);
  return {
    facts: {
      id: view.info.id,
      sha: view.info.sha,
      private: view.info.private,
      gated: view.info.gated,
      lastModified: view.info.lastModified ?? new Date(0).toISOString(),
      files: facts
    },
    byCommit: !view.isLatest,
    async file(path) {
      const listed = view.files.find((file) => file.path === path);
      if (!listed)
        return;
      const held = await storedCopy(settings, asked.stored, listed);
      return {
        startsPull: !held && !upstream.isPulling(view, listed),
        facts: factsOfListed(listed),
        openBody: () => held ? openStoreFile(settings.runtime, held.place) : Promise.resolve(upstream.pull(view, listed).source())
      };
    }
  };
}
function upstreamRefusal(settings, upstream, failure) {
  const { error } = failure;
  if (!(error instanceof ModelManagerError))
    throw error;
  if (errorSignals(error).status === LOOP_STATUS) {
    return { status: LOOP_STATUS, message: "the request came back to a mirror it went through" };
  }
  switch (error.code) {
    case "repo_not_found":
      return errorSignals(error).hubErrorCode === "RevisionNotFound" ? { status: 404, code: "RevisionNotFound", message: `Invalid rev id: ${failure.revision}` } : { status: 404, code: "RepoNotFound", message: "Repository not found" };
    case "gated":
      return {
        status: 403,
        code: "GatedRepo",
        message: "This repository is gated upstream, and the mirror's token has no access to it",
        headers: { [SERVE_REFUSAL_HEADER]: "upstream-gated" }
      };
    case "auth":
      return { status: 401, code: "RepoNotFound", message: "Upstream refused the mirror's token" };
    case "config":
      throw error;
    default:
      settings.warn(`upstream ${upstream.endpoint} did not answer (${error.message}); serving the store alone`);
      return;
  }
}
var LOOP_STATUS = 508;
function factsOfListed(file) {
  return {
    path: file.path,
    size: file.size,
    sha256: file.lfs ? file.sha256 : undefined,
    gitSha1: file.lfs ? undefined : file.gitSha1
  };
}
async function storedCopy(settings, stored, listed) {
  const file = stored?.files.get(listed.path);
  if (!file)
    return;
  const copy = await storedCopyOf(settings.runtime, {
    place: file.place,
    recorded: file.recorded,
    wanted: identityOfFile(listed)
  });
  return copy === "same" ? file : undefined;
}

// src/serve/pull_flight.ts
import { join as join11 } from "node:path";
class PullFlight {
  destination;
  size;
  done;
  #written = 0;
  #finished = false;
  #failure;
  #generation = 0;
  #wake = new Set;
  #runtime;
  constructor(request, settings) {
    this.#runtime = settings.runtime;
    this.size = request.file.size;
    this.destination = storePathOf(repoDirOf(settings.modelsDir, request.repo), request.file.path);
    this.done = this.#run(request, settings).then(() => {
      this.#finished = true;
      this.#notify();
    }, (error) => {
      this.#failure = error instanceof Error ? error : new Error(String(error));
      this.#notify();
      throw this.#failure;
    });
    this.done.catch(() => {});
  }
  async#run(request, settings) {
    const repoDir = repoDirOf(settings.modelsDir, request.repo);
    const hold = await settings.holds.hold(repoDir, {
      purpose: `serve: pull ${request.repo.id}/${request.file.path}`,
      signal: settings.connection.signal
    });
    try {
      if (await isRecorded(settings.runtime, repoDir, request))
        return;
      await this.#pull(request, settings, hold);
    } finally {
      await hold.release();
    }
  }
  async#pull(request, settings, hold) {
    const { runtime } = settings;
    await runtime.mkdir(join11(this.destination, ".."));
    const result = await downloadToPartial({
      repo: request.repo,
      commit: request.commit,
      file: request.file,
      destination: this.destination
    }, {
      runtime,
      connection: settings.connection,
      connections: 1,
      parallelThreshold: Number.MAX_SAFE_INTEGER,
      idleTimeoutMs: settings.idleTimeoutMs,
      retry: settings.connection.retry,
      onEvent: (event) => this.#onEvent(event)
    });
    await hold.exclusive(() => recordPulledFile(settings, request, result));
  }
  #onEvent(event) {
    if (event.event === "progress") {
      this.#written = event.bytes;
    } else if (event.event === "restart") {
      this.#generation++;
      this.#written = 0;
    } else if (event.event === "start") {
      this.#written = event.resumedBytes;
    }
    this.#notify();
  }
  #notify() {
    const waiting = [...this.#wake];
    this.#wake.clear();
    waiting.forEach((wake) => wake());
  }
  #changed() {
    return new Promise((resolve) => this.#wake.add(resolve));
  }
  source() {
    const generation = this.#generation;
    let handle;
    let closed = false;
    const readable = () => this.#finished ? this.size : Math.min(this.#written, this.size - 1);
    return {
      read: async (buffer, position) => {
        for (;; ) {
          if (this.#failure)
            throw this.#failure;
          if (this.#generation !== generation) {
            throw new Error("the upstream download restarted");
          }
          const limit = readable();
          if (position < limit) {
            handle ??= await this.#open();
            if (closed) {
              await handle?.close();
              throw new Error("the body source is closed");
            }
            if (handle) {
              const wanted = Math.min(buffer.length, limit - position);
              return await handle.read(buffer.subarray(0, wanted), position);
            }
          }
          if (this.#finished && position >= this.size)
            return 0;
          await this.#changed();
        }
      },
      close: async () => {
        closed = true;
        await handle?.close();
      }
    };
  }
  async#open() {
    for (const path of [partialPathOf(this.destination), this.destination]) {
      try {
        return await this.#runtime.open(path);
      } catch (error) {
        if (!isNotFound(error))
          throw error;
      }
    }
    return;
  }
}
async function isRecorded(runtime, repoDir, request) {
  const { file } = request;
  return await storedCopyOf(runtime, {
    place: placeInRepo(repoDir, file.path),
    recorded: (await readRepoRecord(runtime, repoDir))?.files[file.path],
    wanted: identityOfFile(file)
  }) === "same";
}
async function recordPulledFile(settings, request, result) {
  const { runtime } = settings;
  const repoDir = repoDirOf(settings.modelsDir, request.repo);
  try {
    await finalizeDownload(runtime, result.destination);
    const { size, sha256, gitSha1 } = result;
    await recordStoredFiles(runtime, {
      dir: repoDir,
      repo: request.repo.id,
      files: { [request.file.path]: { size, sha256, gitSha1, revision: request.commit } },
      models: await modelEntriesOf(runtime, { repoDir, request }),
      facts: {
        revision: request.isLatest ? request.commit : undefined,
        private: request.private,
        gated: request.gated,
        source: "huggingface"
      }
    });
  } catch (error) {
    throw new ModelManagerError("storage", `record ${request.file.path} of ${request.repo.id} in ${repoDir}: ${error instanceof Error ? error.message : error}`, { hint: "check that the store is writable", cause: error });
  }
}
async function modelEntriesOf(runtime, what) {
  const { file, listing } = what.request;
  const record = await readRepoRecord(runtime, what.repoDir);
  const held = new Set([...Object.keys(record?.files ?? {}), file.path]);
  const { COMPANION_FILES } = await loadModelsConfig(runtime);
  const entries = {};
  for (const modelFile of listing.filter((entry) => isModelFileName(entry.path))) {
    if (!held.has(modelFile.path))
      continue;
    const planned = filesOfModel(listing, { modelFile, companionFiles: COMPANION_FILES }).filter((entry) => held.has(entry.file.path));
    entries[modelFile.path] = modelRecordOf(planned.map((entry) => ({ file: entry.file.path, kind: entry.kind })));
  }
  return entries;
}

// src/serve/repo_holds.ts
import { join as join12 } from "node:path";
class RepoHolds {
  #runtime;
  #shared = new Map;
  constructor(runtime) {
    this.#runtime = runtime;
  }
  async hold(repoDir, options) {
    let shared = this.#shared.get(repoDir);
    if (!shared) {
      const lock = acquireLock(this.#runtime, join12(repoDir, LOCK_FILE), options);
      shared = { users: 0, lock, turn: Promise.resolve() };
      this.#shared.set(repoDir, shared);
      lock.catch(() => this.#shared.delete(repoDir));
    }
    shared.users++;
    try {
      await shared.lock;
    } catch (error) {
      shared.users--;
      throw error;
    }
    return this.#share(repoDir, shared);
  }
  #share(repoDir, shared) {
    let released = false;
    return {
      exclusive(work) {
        const result = shared.turn.then(work);
        shared.turn = result.catch(() => {});
        return result;
      },
      release: async () => {
        if (released)
          return;
        released = true;
        if (--shared.users > 0)
          return;
        this.#shared.delete(repoDir);
        await (await shared.lock).release();
      }
    };
  }
}

// src/serve/upstream.ts
var SERVE_VIA_HEADER = "X-Rkllm-Serve-Via";
function viaChainOf(header) {
  return (header ?? "").split(",").map((id) => id.trim()).filter(Boolean).slice(-32);
}
var METADATA_TTL_MS = 30000;

class Upstream {
  endpoint;
  #settings;
  #connection;
  #views = new Map;
  #flights = new Map;
  #holds;
  constructor(settings) {
    this.endpoint = settings.endpoint;
    this.#settings = settings;
    this.#holds = new RepoHolds(settings.runtime);
    this.#connection = {
      endpoint: settings.endpoint,
      token: settings.token,
      fetch: markedFetch(settings.fetch ?? globalThis.fetch, {
        serverId: settings.serverId,
        via: []
      }),
      signal: settings.signal,
      retry: { attempts: settings.attempts ?? 3, baseDelayMs: 500, maxDelayMs: 4000 },
      offline: false
    };
  }
  view(repoText, revision, options) {
    const key = `${repoText.toLowerCase()}@${revision}`;
    const cached = this.#views.get(key);
    if (cached && Date.now() - cached.at < METADATA_TTL_MS)
      return cached.view;
    const connection = this.#connectionVia(options.via);
    const view = this.#fetchView(connection, { repoText, revision, isLatest: options.isLatest });
    this.#views.set(key, { at: Date.now(), view });
    view.catch(() => this.#views.delete(key));
    return view;
  }
  async search(query, options = {}) {
    const url = new URL(`${this.endpoint}/api/models${query}`);
    return (await sendRequest(this.#connectionVia(options.via), url)).response;
  }
  #connectionVia(via) {
    return {
      ...this.#connection,
      fetch: markedFetch(this.#settings.fetch ?? globalThis.fetch, {
        serverId: this.#settings.serverId,
        via: via ?? []
      })
    };
  }
  async#fetchView(connection, asked) {
    const { revision, isLatest } = asked;
    const info = await fetchRepoInfo(connection, parseRepoId(asked.repoText), { revision });
    let repo = parseRepoId(asked.repoText);
    try {
      repo = parseRepoId(info.id);
    } catch {}
    const files = await listRepoFiles(connection, repo, { revision: info.sha });
    return { repo, info, files, isLatest };
  }
  pull(view, file) {
    const key = flightKey(view, file);
    const running = this.#flights.get(key);
    if (running)
      return running;
    const flight = new PullFlight({
      repo: view.repo,
      commit: view.info.sha,
      file,
      listing: view.files,
      private: view.info.private,
      gated: view.info.gated,
      isLatest: view.isLatest
    }, {
      runtime: this.#settings.runtime,
      modelsDir: this.#settings.modelsDir,
      connection: this.#connection,
      idleTimeoutMs: this.#settings.idleTimeoutMs,
      holds: this.#holds
    });
    this.#flights.set(key, flight);
    flight.done.catch(() => {}).finally(() => this.#flights.delete(key));
    return flight;
  }
  isPulling(view, file) {
    return this.#flights.has(flightKey(view, file));
  }
  async settle() {
    await Promise.allSettled([...this.#flights.values()].map((flight) => flight.done));
  }
}
function flightKey(view, file) {
  return `${view.repo.id.toLowerCase()}@${view.info.sha}/${file.path}`;
}
async function refuseSelfUpstream(endpoint, options) {
  const doFetch = options.fetch ?? globalThis.fetch;
  let answerId = null;
  try {
    const response = await doFetch(`${endpoint}/api/models/rkllm-models/serve-probe`, {
      signal: AbortSignal.timeout(5000)
    });
    answerId = response.headers.get(SERVE_ID_HEADER);
    await response.body?.cancel();
  } catch {
    return;
  }
  if (answerId === options.serverId)
    throw selfUpstreamError(endpoint);
}
function selfUpstreamError(endpoint) {
  return new ModelManagerError("config", `invalid --upstream ${endpoint}: it is this server itself`, { hint: "give the URL of another Hub or mirror, such as https://huggingface.co" });
}
function markedFetch(inner, mark) {
  const { serverId } = mark;
  const chain = [...mark.via, serverId].join(", ");
  return async (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : {}));
    headers.set(SERVE_VIA_HEADER, chain);
    const response = await inner(input, { ...init, headers });
    if (response.headers.get(SERVE_ID_HEADER) === serverId) {
      await response.body?.cancel();
      throw selfUpstreamError(new URL(response.url || String(input)).origin);
    }
    return response;
  };
}

// src/serve/hub_routes.ts
function routeOf(rawPath) {
  let parts;
  try {
    parts = rawPath.split("/").slice(1).map(decodeURIComponent);
  } catch {
    return;
  }
  if (parts[0] === "api" && parts[1] === "models" && parts.length >= 4) {
    const repo = `${parts[2]}/${parts[3]}`;
    const [verb, revision, ...rest] = parts.slice(4);
    if (verb === undefined)
      return { kind: "info", repo, revision: "HEAD" };
    if (verb === "revision" && revision && rest.length === 0) {
      return { kind: "info", repo, revision };
    }
    if (verb === "tree" && revision) {
      return { kind: "tree", repo, revision, path: rest.filter(Boolean).join("/") };
    }
    if (verb === "paths-info" && revision && rest.length === 0) {
      return { kind: "paths-info", repo, revision };
    }
    return;
  }
  if (parts[2] === "resolve" && parts.length >= 5) {
    return {
      kind: "resolve",
      repo: `${parts[0]}/${parts[1]}`,
      revision: parts[3],
      path: parts.slice(4).join("/")
    };
  }
  return;
}
async function answerRoute(settings, exchange) {
  const { request, response, route } = exchange;
  const method = request.method ?? "GET";
  const allowed = route.kind === "paths-info" ? ["POST"] : ["GET", "HEAD"];
  if (!allowed.includes(method)) {
    answerRefusal(response, { status: 405, message: `method ${method} is not allowed here` });
    return;
  }
  if (route.kind !== "info" && route.kind !== "paths-info" && route.path !== "") {
    if (!isSafeRepoPath(route.path)) {
      answerRefusal(response, { status: 400, message: `invalid file path ${route.path}` });
      return;
    }
  }
  const via = viaChainOf(headerText(request.headers[SERVE_VIA_HEADER.toLowerCase()]));
  const view = await repoView(settings, { ...route, via });
  if ("status" in view) {
    answerRefusal(response, view);
    return;
  }
  if (route.kind === "info") {
    answerJson(exchange, { view, body: repoInfoAnswer(view.facts) });
  } else if (route.kind === "tree") {
    const body = treeAnswer(view.facts.files, {
      under: route.path,
      recursive: new URL(request.url ?? "/", "http://x").searchParams.get("recursive")?.toLowerCase() === "true"
    });
    if (!body)
      answerRefusal(response, entryNotFound(view, route.path));
    else
      answerJson(exchange, { view, body });
  } else if (route.kind === "paths-info") {
    const text = await readBody(request);
    const paths = requestedPaths(text, headerText(request.headers["content-type"]) ?? "");
    answerJson(exchange, { view, body: pathsInfoAnswer(view.facts.files, paths) });
  } else {
    await answerResolve(exchange, { view, path: route.path, settings });
  }
}
async function answerResolve(exchange, what) {
  const { request, response } = exchange;
  const { view, path } = what;
  const file = await view.file(path);
  if (!file) {
    answerRefusal(response, entryNotFound(view, path));
    return;
  }
  if (!view.byCommit) {
    const location = `/${view.facts.id}/resolve/${view.facts.sha}/${path.split("/").map(encodeURIComponent).join("/")}`;
    response.writeHead(307, {
      ...fileMetadataHeaders(file.facts, view.facts.sha),
      Location: location,
      "Cache-Control": "no-cache",
      "Content-Length": "0"
    });
    response.end();
    return;
  }
  const client = request.socket.remoteAddress ?? "";
  if (request.method === "GET" && file.startsPull && !what.settings.pullRate.admit(client)) {
    answerRefusal(response, {
      status: 429,
      message: "this client started too many new pulls; retry in a minute",
      headers: { "Retry-After": "60" }
    });
    return;
  }
  await answerFile({ request, response }, {
    file: file.facts,
    commit: view.facts.sha,
    openBody: () => file.openBody(),
    onBodyBytes: (count) => {
      what.settings.stats.bodyBytes += count;
      if (exchange.sent)
        exchange.sent.bytes += count;
    },
    sendTimeoutMs: what.settings.sendTimeoutMs,
    buffers: what.settings.bodyBuffers
  });
}
function entryNotFound(view, path) {
  return {
    status: 404,
    code: "EntryNotFound",
    message: `${path} does not exist on "${view.facts.sha}"`,
    headers: { "X-Repo-Commit": view.facts.sha }
  };
}
function answerJson(exchange, what) {
  const { request, response } = exchange;
  const text = JSON.stringify(what.body);
  const etag = `"${createHash3("sha1").update(text).digest("hex")}"`;
  const headers = {
    "Content-Type": "application/json; charset=utf-8",
    ETag: etag,
    "Cache-Control": what.view.byCommit ? IMMUTABLE : "no-cache"
  };
  if (headerText(request.headers["if-none-match"]) === etag) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  const bytes = new TextEncoder().encode(text);
  response.writeHead(200, { ...headers, "Content-Length": String(bytes.length) });
  response.end(request.method === "HEAD" ? undefined : bytes);
}
function answerRefusal(response, refusal) {
  const body = new TextEncoder().encode(JSON.stringify({ error: refusal.message }));
  response.writeHead(refusal.status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(body.length),
    "Cache-Control": "no-cache",
    "X-Error-Message": refusal.message.replace(/[^\x20-\x7e]/g, "?"),
    ...refusal.code ? { "X-Error-Code": refusal.code } : {},
    ...refusal.headers
  });
  response.end(body);
}
var MAX_BODY_BYTES = 1024 * 1024;
async function readBody(request) {
  const chunks = [];
  let total = 0;
  for await (const chunk of request) {
    total += chunk.length;
    if (total > MAX_BODY_BYTES)
      break;
    chunks.push(chunk);
  }
  const all = new Uint8Array(Math.min(total, MAX_BODY_BYTES));
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk.subarray(0, all.length - offset), offset);
    offset += chunk.length;
  }
  return new TextDecoder().decode(all);
}

// src/serve/request_log.ts
function watchRequest(exchange, onServed) {
  const { request, response, sent } = exchange;
  const started = performance.now();
  let told = false;
  const tell = () => {
    if (told)
      return;
    told = true;
    const finished = response.writableFinished;
    const declared = Number(response.getHeader("content-length") ?? 0);
    const whole = finished && request.method !== "HEAD" && response.statusCode !== 304 ? declared || 0 : 0;
    onServed({
      method: request.method ?? "GET",
      path: (request.url ?? "/").replace(/[^\x21-\x7e]/g, "?"),
      status: response.statusCode,
      bytes: Math.max(sent.bytes, whole),
      ms: Math.round(performance.now() - started),
      client: request.socket.remoteAddress ?? "",
      cut: !finished
    });
  };
  response.once("finish", tell);
  response.once("close", tell);
}

// src/serve/search_answer.ts
var MAX_SEARCH_BYTES = 16 * 1024 * 1024;
async function answerSearch(settings, exchange) {
  const { request, response } = exchange;
  const method = request.method ?? "GET";
  if (method !== "GET" && method !== "HEAD") {
    answerRefusal(response, { status: 405, message: `method ${method} is not allowed here` });
    return;
  }
  const upstream = settings.upstream;
  if (!upstream) {
    answerRefusal(response, {
      status: 501,
      message: "this mirror has no upstream to search; it serves only its store",
      headers: { [SERVE_REFUSAL_HEADER]: "no-upstream" }
    });
    return;
  }
  const query = new URL(request.url ?? "/", "http://mirror").search;
  const via = viaChainOf(headerText(request.headers[SERVE_VIA_HEADER.toLowerCase()]));
  let answer;
  let body;
  try {
    answer = await upstream.search(query, { via });
    body = new Uint8Array(await answer.arrayBuffer()).subarray(0, MAX_SEARCH_BYTES);
  } catch (error) {
    if (!(error instanceof ModelManagerError) || error.code === "config")
      throw error;
    answerRefusal(response, {
      status: 502,
      message: `upstream ${upstream.endpoint} did not answer the search`
    });
    return;
  }
  const headers = {
    "Content-Type": answer.headers.get("content-type") ?? "application/json; charset=utf-8",
    "Content-Length": String(body.length),
    "Cache-Control": "no-cache"
  };
  for (const name of ["X-Error-Code", "X-Error-Message"]) {
    const value = answer.headers.get(name);
    if (value !== null)
      headers[name] = value;
  }
  const link = mirroredLink(answer.headers.get("link"), {
    upstream: upstream.endpoint,
    mirror: mirrorBaseOf(request)
  });
  if (link)
    headers["Link"] = link;
  response.writeHead(answer.status, headers);
  response.end(method === "HEAD" ? undefined : body);
}
function mirrorBaseOf(request) {
  const proto = headerText(request.headers["x-forwarded-proto"]) === "https" ? "https" : "http";
  return `${proto}://${headerText(request.headers.host) ?? "127.0.0.1"}`;
}
function mirroredLink(link, bases) {
  if (!link)
    return;
  const kept = [];
  for (const part of link.split(/,(?=\s*<)/)) {
    const match = part.match(/<([^>]*)>(.*)$/);
    if (!match || !match[1].startsWith(`${bases.upstream}/`))
      continue;
    kept.push(`<${bases.mirror}${match[1].slice(bases.upstream.length)}>${match[2]}`);
  }
  return kept.length ? kept.join(", ") : undefined;
}

// src/serve/serve_store.ts
var DEFAULT_SERVE_PORT = 8090;
async function serveStore(modelsDir, options = {}) {
  const runtime = options.runtime ?? RuntimeDetector.current();
  const serverId = crypto.randomUUID();
  const stop = new AbortController;
  const upstreamUrl = options.upstream === undefined ? undefined : normalizeEndpoint(options.upstream);
  const settings = viewSettingsOf(modelsDir, {
    runtime,
    options,
    upstream: upstreamUrl === undefined ? undefined : { endpoint: upstreamUrl, serverId, signal: stop.signal }
  });
  const server = createServer((request, response) => {
    if (!guard.admits(request.socket))
      return;
    answer(settings, { request, response, serverId, onRequest: options.onRequest });
  });
  const host = options.host ?? "127.0.0.1";
  const listener = new ListenerWatch(server, host);
  const guard = guardConnections(server, { ...limitsOf(runtime, options), listener });
  const port = await listen(server, { host, port: options.port ?? DEFAULT_SERVE_PORT });
  const close = async () => {
    stop.abort(new DOMException("the server is closing", "AbortError"));
    listener.stop();
    const closed = new Promise((resolve) => server.close(() => resolve()));
    guard.sockets.forEach((socket) => socket.destroy());
    await closed;
    await settings.upstream?.settle();
  };
  if (upstreamUrl !== undefined) {
    try {
      await refuseSelfUpstream(upstreamUrl, { serverId, fetch: options.fetch });
    } catch (error) {
      await close();
      throw error;
    }
  }
  return {
    url: `http://${localHost(host)}:${port}`,
    lanUrls: lanUrlsOf(host, port),
    port,
    stats: settings.stats,
    connections: guard.counts,
    close
  };
}
function viewSettingsOf(modelsDir, parts) {
  const { runtime, options, upstream } = parts;
  return {
    runtime,
    modelsDir,
    allowPrivate: options.allowPrivate === true,
    hashes: new ComputedHashes(runtime),
    warn: options.onWarning ?? ((message) => console.warn(`warning: ${message}`)),
    stats: { requests: 0, bodyBytes: 0 },
    sendTimeoutMs: options.clientTimeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS,
    bodyBuffers: new BodyBuffers,
    pullRate: new PullRate({ perMinute: options.pullsPerMinute ?? 30, now: options.now }),
    pulls: {
      any: options.pullAny === true,
      repos: new Set((options.pullRepos ?? []).map((repo) => repo.toLowerCase()))
    },
    upstream: upstream && new Upstream({
      ...upstream,
      runtime,
      modelsDir,
      token: options.token,
      fetch: options.fetch,
      idleTimeoutMs: options.idleTimeoutMs
    })
  };
}
function answer(settings, exchange) {
  const { request, response, serverId, onRequest } = exchange;
  const sent = { bytes: 0 };
  if (onRequest)
    watchRequest({ request, response, sent }, onRequest);
  handle(settings, { request, response, serverId, sent }).catch((error) => {
    if (!response.headersSent) {
      answerRefusal(response, { status: 500, message: "internal error" });
    } else {
      response.destroy();
    }
    settings.warn(`serve: ${error instanceof Error ? error.message : error}`);
  });
}
var DEFAULT_CLIENT_TIMEOUT_MS = 60000;
function limitsOf(runtime, options) {
  let limitsText;
  try {
    limitsText = new TextDecoder().decode(runtime.readFileSync?.("/proc/self/limits"));
  } catch {}
  return {
    maxConnections: connectionCapOf(limitsText, options.maxConnections ?? 256),
    headerTimeoutMs: options.headerTimeoutMs ?? 20000,
    idleTimeoutMs: options.clientTimeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS
  };
}
async function handle(settings, exchange) {
  const { request, response, serverId, sent } = exchange;
  settings.stats.requests++;
  response.setHeader(SERVE_ID_HEADER, serverId);
  const via = viaChainOf(headerText(request.headers[SERVE_VIA_HEADER.toLowerCase()]));
  if (via.includes(serverId)) {
    answerRefusal(response, { status: 508, message: "this request came back to the same server" });
    return;
  }
  const path = (request.url ?? "/").split("?")[0];
  if (path === "/api/models" || path === "/api/models/") {
    await answerSearch(settings, { request, response });
    return;
  }
  const route = routeOf(path);
  if (!route) {
    answerRefusal(response, { status: 404, message: `no route for ${path}` });
    return;
  }
  await answerRoute(settings, { request, response, route, sent });
}
function listen(server, at) {
  return new Promise((resolve, reject) => {
    server.once("error", (error) => {
      const code = errorCodeOf(error);
      reject(new ModelManagerError("config", code === "EADDRINUSE" ? `listen on ${at.host}:${at.port}: the port is in use` : `listen on ${at.host}:${at.port}: ${error.message}`, {
        hint: code === "EADDRINUSE" ? "choose another --port, or --port 0 for a free one" : "check --host and --port",
        cause: error
      }));
    });
    server.listen(at.port, at.host, () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : at.port);
    });
  });
}
function localHost(host) {
  if (host === "0.0.0.0" || host === "")
    return "127.0.0.1";
  if (host === "::")
    return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
function lanUrlsOf(host, port) {
  if (host !== "0.0.0.0" && host !== "::" && host !== "")
    return [];
  const urls = [];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.internal || address.family !== "IPv4")
        continue;
      urls.push(`http://${address.address}:${port}`);
    }
  }
  return urls;
}
// src/fleet/export_models.ts
import { join as join14 } from "node:path";

// src/fleet/fat_limit.ts
import { resolve as resolve3 } from "node:path";
var FAT32_MAX_FILE_BYTES = 4 * 1024 * 1024 * 1024 - 1;
var FAT_TYPES = new Set(["vfat", "msdos", "fat", "fat32"]);
async function filesystemTypeOf(runtime, path, options = {}) {
  let text;
  try {
    text = new TextDecoder().decode(await runtime.readFile(options.mountsPath ?? "/proc/self/mounts"));
  } catch {
    return;
  }
  const target = resolve3(path);
  let best;
  for (const line of text.split(`
`)) {
    const [, rawMountPoint, type] = line.split(" ");
    if (!rawMountPoint || !type)
      continue;
    const mountPoint = rawMountPoint.replace(/\\(\d{3})/g, (_, octal) => String.fromCharCode(parseInt(octal, 8)));
    const inside = target === mountPoint || target.startsWith(mountPoint.endsWith("/") ? mountPoint : `${mountPoint}/`);
    if (inside && (!best || mountPoint.length >= best.mountPoint.length)) {
      best = { mountPoint, type };
    }
  }
  return best?.type;
}
async function refuseTooLargeForFat(runtime, what) {
  const { dir } = what;
  const tooLarge = what.files.filter((file) => file.size > FAT32_MAX_FILE_BYTES);
  if (tooLarge.length === 0)
    return;
  const type = await filesystemTypeOf(runtime, dir, { mountsPath: what.mountsPath });
  if (type === undefined || !FAT_TYPES.has(type.toLowerCase()))
    return;
  throw new ModelManagerError("storage", `write ${tooLarge.map((file) => `${file.path} (${formatBytes(file.size)})`).join(", ")} to ${dir}: it is on a ${type} (FAT32) file system, which cannot hold files of 4 GiB or more`, {
    hint: "reformat the drive as exFAT or ext4 (mkfs.exfat / mkfs.ext4), or choose a directory on another drive; nothing was written"
  });
}

// src/fleet/place_file.ts
import { link } from "node:fs/promises";
import { basename as basename2, dirname as dirname5, join as join13 } from "node:path";
var COPY_CHUNK = 4 * 1024 * 1024;
async function stageVerifiedFile(runtime, request) {
  const { destination: place } = request;
  const parent = dirname5(place.path);
  const dir = parent === "." ? place.root : await ensureDirectoryInside(runtime, { root: place.root, path: parent });
  const destination = join13(dir, basename2(place.path));
  const temporary = `${destination}.rkllm-import`;
  await runtime.remove(temporary).catch(() => {});
  const source = await openInside(runtime, request.source);
  let method;
  try {
    method = linking(request.how, source.stat) && await linked(source.path, temporary) ? "link" : await copied(runtime, source.handle, temporary).then(() => "copy");
  } finally {
    await source.handle.close();
  }
  try {
    const temporaryPlace = { root: place.root, path: `${place.path}.rkllm-import` };
    const checkedBy = await verifyPlaced(runtime, temporaryPlace, request);
    return { method, checkedBy, temporary, destination };
  } catch (error) {
    await runtime.remove(temporary).catch(() => {});
    throw error;
  }
}
async function placeVerifiedFile(runtime, request) {
  const staged = await stageVerifiedFile(runtime, request);
  try {
    await runtime.rename(staged.temporary, staged.destination);
  } catch (error) {
    await runtime.remove(staged.temporary).catch(() => {});
    throw error;
  }
  return { method: staged.method, checkedBy: staged.checkedBy };
}
function linking(how, source) {
  if (how === "link-or-copy")
    return true;
  return how === "link-if-read-only" && source.mode !== undefined && (source.mode & 146) === 0;
}
async function linked(source, destination) {
  try {
    await link(source, destination);
    return true;
  } catch (error) {
    if (isNotFound(error))
      throw error;
    if (!["EXDEV", "EPERM", "ENOTSUP", "EOPNOTSUPP", "EMLINK"].includes(errorCodeOf(error) ?? "")) {
      throw error;
    }
    return false;
  }
}
async function copied(runtime, source, destination) {
  const target = await runtime.open(destination, { write: true, createNew: true });
  try {
    const buffer = new Uint8Array(COPY_CHUNK);
    let position = 0;
    for (;; ) {
      const count = await source.read(buffer, position);
      if (count === 0)
        break;
      await target.write(buffer.subarray(0, count), position);
      position += count;
    }
    await target.sync();
  } catch (error) {
    await target.close().catch(() => {});
    await runtime.remove(destination).catch(() => {});
    throw error;
  }
  await target.close();
}
async function verifyPlaced(runtime, placed, request) {
  const { expected, label } = request;
  const { handle, stat } = await openInside(runtime, placed);
  try {
    if (stat.size !== expected.size) {
      throw mismatch(label, `expected ${expected.size} bytes, found ${stat.size}`);
    }
    const algorithm = expected.sha256 ? "sha256" : expected.gitSha1 ? "git-sha1" : undefined;
    if (!algorithm)
      return "size";
    const wanted = (expected.sha256 ?? expected.gitSha1).toLowerCase();
    const actual = await hashOpenFile(handle, stat.size, { algorithm });
    if (actual !== wanted)
      throw mismatch(label, `expected ${algorithm} ${wanted}, got ${actual}`);
    return algorithm;
  } finally {
    await handle.close();
  }
}
function mismatch(label, detail) {
  return new ModelManagerError("integrity", `verify ${label}: ${detail}`, {
    hint: "the copy is damaged or was changed; export it again from a store that verifies"
  });
}

// src/fleet/export_models.ts
async function exportModels(modelsDir, request, options = {}) {
  const runtime = options.runtime ?? RuntimeDetector.current();
  const warn = options.onWarning ?? ((message) => console.warn(`warning: ${message}`));
  const { models } = await scanStore(runtime, modelsDir, { warn });
  const chosen = new Map;
  for (const query of request.queries) {
    const model = requireModel(models, query);
    chosen.set(`${model.repo}/${model.file}`, model);
  }
  const byRepo = new Map;
  for (const model of chosen.values()) {
    const record = byRepo.get(model.repo)?.record ?? await readRepoRecord(runtime, model.dir, { warn });
    if (!record?.files[model.file])
      throw unrecorded(model);
    const entry = byRepo.get(model.repo) ?? { record, models: [] };
    entry.models.push(model);
    byRepo.set(model.repo, entry);
  }
  const planned = [...byRepo.values()].flatMap(({ record, models }) => filesOf(record, models).map((path) => ({ path, size: record.files[path].size })));
  await refuseTooLargeForFat(runtime, {
    dir: request.target,
    files: planned,
    mountsPath: options.mountsPath
  });
  const files = [];
  for (const [repo, { record, models }] of byRepo) {
    files.push(...await exportRepo(runtime, { repo, record, models, target: request.target }));
  }
  return { target: request.target, models: [...chosen.keys()], files };
}
function filesOf(record, models) {
  const paths = new Set;
  for (const model of models) {
    const recorded = record.models?.[model.file];
    const companions = recorded?.companions ?? model.companionFiles;
    const encoders = recorded?.encoders ?? model.encoders;
    for (const path of [model.file, ...companions, ...encoders]) {
      if (record.files[path])
        paths.add(path);
    }
  }
  return [...paths];
}
async function exportRepo(runtime, what) {
  const { record, models } = what;
  const sourceDir = models[0].dir;
  const targetDir = await ensureDirectoryInside(runtime, {
    root: what.target,
    path: parseRepoId(what.repo).id
  });
  const lock = await acquireLock(runtime, join14(targetDir, LOCK_FILE), {
    purpose: `export ${what.repo}`
  });
  try {
    const written = [];
    const paths = filesOf(record, models);
    for (const path of paths) {
      const placed = await placeVerifiedFile(runtime, {
        source: placeInRepo(sourceDir, path),
        destination: { root: what.target, path: `${what.repo}/${path}` },
        expected: record.files[path],
        label: `${what.repo}/${path} in the store`,
        how: "copy"
      });
      written.push({ repo: what.repo, path, size: record.files[path].size, ...placed });
    }
    const exported = { ...record, models: { ...record.models } };
    for (const model of models) {
      exported.models[model.file] ??= {
        companions: model.companionFiles,
        encoders: model.encoders
      };
    }
    await recordCopiedFiles(runtime, { dir: targetDir, record: exported, accepted: paths });
    return written;
  } finally {
    await lock.release().catch(() => {});
  }
}
function unrecorded(model) {
  return new ModelManagerError("model_not_found", `export ${model.repo}/${model.file}: it has no registry record, so it cannot be verified on import`, { hint: `download it with: rkllm-models download ${model.repo} ${model.file}` });
}
// src/fleet/import_store.ts
import { dirname as dirname6, join as join15 } from "node:path";
async function importStore(sourceDir, modelsDir, options = {}) {
  const runtime = options.runtime ?? RuntimeDetector.current();
  const warn = options.onWarning ?? ((message) => console.warn(`warning: ${message}`));
  const report = { imported: [], present: [], refused: [] };
  const sources = await recordedRepos(runtime, sourceDir, report);
  if (sources.length === 0 && report.refused.length === 0) {
    throw new ModelManagerError("model_not_found", `import from ${sourceDir}: it holds no exported models (no .rkllm-models.json records under owner/name directories)`, { hint: "give the directory that rkllm-models export wrote to" });
  }
  await refuseTooLargeForFat(runtime, {
    dir: modelsDir,
    files: sources.flatMap(({ record }) => Object.entries(record.files).map(([path, file]) => ({ path, size: file.size }))),
    mountsPath: options.mountsPath
  });
  for (const source of sources) {
    await importRepo(runtime, { source, sourceDir, modelsDir, report, warn, options });
  }
  return report;
}
async function recordedRepos(runtime, sourceDir, report) {
  const found = [];
  const directories = async (dir) => (await runtime.readDir(dir).catch(() => [])).filter((entry) => entry.isDirectory).map((entry) => entry.name).sort();
  for (const owner of await directories(sourceDir)) {
    for (const name of await directories(join15(sourceDir, owner))) {
      const dir = join15(sourceDir, owner, name);
      const read = await readRecordFile(runtime, dir);
      if (read.status === "missing")
        continue;
      const problem = recordRefusal(read, `${owner}/${name}`);
      if (problem)
        report.refused.push({ repo: `${owner}/${name}`, path: RECORD_FILE, ...problem });
      else if (read.status === "ok")
        found.push({ dir, record: read.value });
    }
  }
  return found;
}
function recordRefusal(read, repo) {
  if (read.status === "ok") {
    if (read.value.repo === repo)
      return;
    return {
      code: "integrity",
      reason: `the record names ${JSON.stringify(read.value.repo)}, not the directory's ${repo}`
    };
  }
  if (read.status === "unreadable") {
    const error = read.error;
    if (error instanceof ModelManagerError)
      return { code: error.code, reason: error.message };
    return { code: "storage", reason: error instanceof Error ? error.message : String(error) };
  }
  if (read.status === "invalid")
    return { code: "integrity", reason: read.problem };
  return { code: "integrity", reason: "the record is not JSON" };
}
async function importRepo(runtime, what) {
  const repo = what.source.record.repo;
  const targetDir = await ensureDirectoryInside(runtime, { root: what.modelsDir, path: repo });
  const lock = await acquireLock(runtime, join15(targetDir, LOCK_FILE), {
    purpose: `import ${repo}`
  });
  let added = false;
  try {
    const existing = await readRepoRecord(runtime, targetDir, { warn: what.warn });
    const { staged, present, refused } = await stageRepo(runtime, { ...what, existing });
    what.report.refused.push(...refused);
    if (refused.length > 0) {
      for (const file of staged)
        await runtime.remove(file.temporary).catch(() => {});
    } else {
      for (const file of staged) {
        await runtime.rename(file.temporary, file.destination);
        what.report.imported.push(file.transferred);
      }
      what.report.present.push(...present.map((path) => ({ repo, path })));
      const accepted = [...present, ...staged.map((file) => file.transferred.path)];
      await recordCopiedFiles(runtime, { dir: targetDir, record: what.source.record, accepted }, {
        warn: what.warn
      });
      added = true;
    }
  } finally {
    await lock.release().catch(() => {});
  }
  if (!added) {
    await removeEmptyDirectories2(runtime, targetDir, Object.keys(what.source.record.files));
  }
}
async function stageRepo(runtime, what) {
  const { record } = what.source;
  const repo = record.repo;
  const result = { staged: [], present: [], refused: [] };
  for (const [path, file] of Object.entries(record.files)) {
    const destination = { root: what.modelsDir, path: `${repo}/${path}` };
    const have = what.existing?.files[path];
    if (await storedCopyOf(runtime, { place: destination, recorded: have, wanted: file }) === "same") {
      result.present.push(path);
      continue;
    }
    if (!file.sha256 && !file.gitSha1 && !what.options.allowUnhashed) {
      result.refused.push({ repo, path, code: "integrity", reason: UNHASHED });
      continue;
    }
    try {
      const staged = await stageVerifiedFile(runtime, {
        source: placeInRepo(what.source.dir, path),
        destination,
        expected: file,
        label: `${repo}/${path}`,
        how: what.options.link ? "link-or-copy" : "link-if-read-only"
      });
      if (staged.checkedBy === "size") {
        what.warn(`${repo}/${path} was recorded without a hash: imported after checking its size only`);
      }
      const transferred = {
        repo,
        path,
        size: file.size,
        method: staged.method,
        checkedBy: staged.checkedBy
      };
      result.staged.push({ ...staged, transferred });
    } catch (error) {
      result.refused.push({
        repo,
        path,
        code: error instanceof ModelManagerError ? error.code : "storage",
        reason: error instanceof Error ? error.message : String(error)
      });
    }
  }
  return result;
}
var UNHASHED = "it was recorded without a hash, so its content cannot be checked (pass --allow-unhashed to accept it by its size)";
async function removeEmptyDirectories2(runtime, dir, paths) {
  const parents = new Set;
  for (const path of paths) {
    const parts = path.split("/").slice(0, -1);
    for (let length = parts.length;length > 0; length--) {
      parents.add(parts.slice(0, length).join("/"));
    }
  }
  const deepestFirst = [...parents].sort((a, b) => b.split("/").length - a.split("/").length);
  for (const parent of [...deepestFirst.map((part) => join15(dir, part)), dir, dirname6(dir)]) {
    const entries = await runtime.readDir(parent).catch(() => {
      return;
    });
    if (entries?.length === 0)
      await runtime.remove(parent).catch(() => {});
  }
}
// src/npm_library.ts
setEmbeddedModelsConfig(import_models.default);
export {
  DEFAULT_SERVE_PORT,
  ModelManager,
  ModelManagerError,
  PLATFORMS,
  RuntimeDetector,
  VERSION2 as VERSION,
  cancelledError,
  exitCodeFor,
  exportModels,
  importStore,
  isAbortError,
  parseModelVariant,
  serveStore
};
