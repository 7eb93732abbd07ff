/**
 * `serve`: the store as a read-only Hugging Face endpoint for the boards of a
 * fleet; with `--upstream`, a pull-through mirror.
 *
 * @module
 */
import { resolveModelsDir, resolveToken } from "../../config/settings.ts";
import { loadModelsConfig } from "../../config/models_config.ts";
import { repoListOf } from "../../config/user_config.ts";
import { ModelManagerError } from "../../errors.ts";
import type { ServedRequest } from "../../serve/request_log.ts";
import { DEFAULT_SERVE_PORT, serveStore } from "../../serve/serve_store.ts";
import { type Command, type CommandContext, STORE_GLOBALS } from "../command.ts";
import { wholeNumber } from "../option_values.ts";

/**
 * The `serve` command.
 */
export const serveCommand: Command = {
  name: "serve",
  summary: "serve the store as a Hugging Face endpoint for other boards (HF_ENDPOINT=…)",
  action: "serve the store",
  usage: "serve [options]",
  maxArguments: 0,
  // --token is the mirror's own token for --upstream.
  globals: [...STORE_GLOBALS, "token"],
  description:
    "Read-only: every Hugging Face client downloads the store's models with HF_ENDPOINT set to the URL printed first. With --upstream, files the store lacks are fetched once from upstream, verified and kept, for the repositories the store holds, the models config lists or pullRepos of the user config names (--pull any: every repository). Search is asked of upstream (without --upstream it is refused). Private and gated repositories are served only with --allow-private. Each request is logged on stderr (--json: as JSON; --quiet: not at all). Ctrl-C or SIGTERM stops it.",
  options: {
    host: {
      type: "string",
      description: "address to listen on (default 127.0.0.1; 0.0.0.0 serves the LAN)",
      valueName: "H",
    },
    port: {
      type: "string",
      description: `port to listen on (default ${DEFAULT_SERVE_PORT}; 0 picks a free one)`,
      valueName: "P",
    },
    upstream: {
      type: "string",
      description: "pull what the store lacks from this Hub or mirror, e.g. https://huggingface.co",
      valueName: "URL",
    },
    pull: {
      type: "string",
      description:
        "with --upstream, which repositories the store lacks are pulled: known (those in the models config and pullRepos of the user config) or any",
      valueName: "WHICH",
    },
    "pulls-per-minute": {
      type: "string",
      description: "with --upstream, new pulls each client address may start a minute (default 30)",
      valueName: "N",
    },
    "max-connections": {
      type: "string",
      description:
        "client connections open at once; more are answered 503 (default 256, fewer under a low ulimit -n)",
      valueName: "N",
    },
    "client-timeout": {
      type: "string",
      description:
        "disconnect a client that sends nothing between requests, or takes no byte of an answer, for S seconds (default 60)",
      valueName: "S",
    },
    "allow-private": {
      type: "boolean",
      description:
        "also serve private and gated repositories (anyone who reaches the port gets them)",
    },
  },
  examples: () => [
    "rkllm-models serve --host 0.0.0.0",
    "rkllm-models serve --upstream https://huggingface.co --port 0 --json",
    "rkllm-models serve --host 0.0.0.0 --upstream https://huggingface.co --pull any",
  ],
  async run(context) {
    const { runtime, values, output } = context;
    const upstream = values.upstream as string | undefined;
    if (upstream !== undefined && !/^https?:\/\//i.test(upstream)) {
      throw new ModelManagerError(
        "usage",
        `invalid --upstream "${upstream}": expected an http(s) URL`,
        {
          hint: "for example --upstream https://huggingface.co",
        },
      );
    }
    const pull = values.pull as string | undefined;
    if (pull !== undefined && pull !== "known" && pull !== "any") {
      throw new ModelManagerError("usage", `invalid --pull "${pull}": expected known or any`, {
        hint: "--pull any lets every client make this mirror pull any repository",
      });
    }
    const server = await serveStore(resolveModelsDir(runtime, values.dir as string | undefined), {
      host: values.host as string | undefined,
      port: wholeNumber(values.port, "--port", {
        min: 0,
        max: 65535,
        fallback: DEFAULT_SERVE_PORT,
      }),
      upstream,
      token: upstream === undefined
        ? undefined
        : await resolveToken(runtime, values.token as string | undefined),
      allowPrivate: values["allow-private"] === true,
      pullAny: pull === "any",
      pullRepos: upstream === undefined ? [] : await configuredRepos(context),
      pullsPerMinute: wholeNumber(values["pulls-per-minute"], "--pulls-per-minute", {
        min: 1,
        max: 100_000,
        fallback: 30,
      }),
      maxConnections: wholeNumber(values["max-connections"], "--max-connections", {
        min: 1,
        max: 100_000,
        fallback: 256,
      }),
      clientTimeoutMs: 1000 * wholeNumber(values["client-timeout"], "--client-timeout", {
        min: 1,
        max: 86_400,
        fallback: 60,
      }),
      runtime,
      onWarning: (message) => output.err(`warning: ${message}`),
      onRequest: values.quiet === true ? undefined : requestLogger(context),
    });
    if (context.json) {
      output.out(JSON.stringify({ url: server.url, lanUrls: server.lanUrls, port: server.port }));
      // That line is the command's one JSON document: nothing more is printed on stop.
      context.json = false;
    } else {
      output.out(server.url);
      server.lanUrls.forEach((url) => output.out(url));
      output.note(
        `serving ${resolveModelsDir(runtime, values.dir as string | undefined)}${
          upstream ? `, pulling from ${upstream}` : ""
        }; Ctrl-C stops`,
      );
    }
    await stopped(context);
    await server.close();
    return { exitCode: 0 };
  },
};

/** The repositories a mirror pulls by default: the models config's and the user's `pullRepos`. */
async function configuredRepos(context: CommandContext): Promise<string[]> {
  const config = await loadModelsConfig(context.runtime);
  const { pullRepos } = context.userConfig();
  return [
    ...config.REPOSITORY_SUGGESTIONS.map((suggestion) => suggestion.repo),
    ...config.EXAMPLE_MODEL_FILES.map((example) => example.repo),
    ...(pullRepos === undefined ? [] : repoListOf(pullRepos) ?? []),
  ];
}

/** The request log: one line per request on stderr, a JSON object under `--json`. */
function requestLogger(context: CommandContext): (served: ServedRequest) => void {
  const { output } = context;
  if (context.json) return (served) => output.err(JSON.stringify(served));
  return (served) =>
    output.err(
      `${served.method} ${served.path} ${served.status} ${served.bytes} B ${served.ms} ms ${served.client}${
        served.cut ? " (cut)" : ""
      }`,
    );
}

/** Waits for Ctrl-C or SIGTERM: main.ts aborts the context's signal on either. */
function stopped(context: CommandContext): Promise<void> {
  return new Promise((resolve) => {
    if (context.signal.aborted) return resolve();
    context.signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
