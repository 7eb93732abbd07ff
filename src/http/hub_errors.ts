/**
 * Turns the Hub's error answers (status, `X-Error-Code`, `X-Error-Message`, JSON
 * body) into {@linkcode ModelManagerError}s with hints users can act on.
 *
 * @module
 */
import { errorSignals, ModelManagerError } from "../errors.ts";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "./hub_connection.ts";
import { readBodyPrefix } from "./read_body.ts";
import { retryableError, serverRetryDelay } from "./retry.ts";
import { mirrorMarksOf, type ServeRefusal } from "./serve_marks.ts";

/** What was being asked for, so the error can name it. */
export interface RequestContext {
  /** `owner/name`. */
  repo?: string;
  /** A file path inside the repository. */
  file?: string;
  revision?: string;
  /** The Hub's base URL, for links in hints. */
  endpoint: string;
  /** Whether a token was sent. */
  hasToken: boolean;
  /** A short description of the request ("read repo info"), starting with a verb. */
  action: string;
  /** The URL that answered, when redirects led away from the endpoint (a Hub alias). */
  answeredBy?: URL;
  /** The request timeout, for reading the error's body. */
  timeoutMs?: number;
}

/** Options for {@linkcode unexpectedAnswer}. */
export interface UnexpectedAnswerOptions {
  /** The endpoint that answered, named in the hint. */
  endpoint: string;
  /** The error behind it (e.g. a JSON parse error). */
  cause?: unknown;
}

/**
 * The error for an answer that no Hugging Face Hub would give (not JSON, no
 * commit, an unexpected status): most likely the endpoint is not a Hub.
 */
export function unexpectedAnswer(
  message: string,
  options: UnexpectedAnswerOptions,
): ModelManagerError {
  const { endpoint, cause } = options;
  return new ModelManagerError("network", message, {
    hint: `check that ${endpoint} is a Hugging Face Hub endpoint (--endpoint / HF_ENDPOINT)`,
    cause,
  });
}

const RETRYABLE_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Whether an HTTP status is worth retrying.
 */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}

/** The most of an error body read for its message. */
const ERROR_BODY_BYTES = 16 * 1024;

async function serverMessage(response: Response, context: RequestContext): Promise<string> {
  const header = response.headers.get("x-error-message");
  if (header) {
    await response.body?.cancel().catch(() => {});
    return header;
  }
  try {
    const { bytes } = await readBodyPrefix(response, {
      maxBytes: ERROR_BODY_BYTES,
      idleTimeoutMs: context.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      action: context.action,
    });
    const text = new TextDecoder().decode(bytes).slice(0, 2000);
    try {
      const body = JSON.parse(text);
      if (typeof body?.error === "string") return body.error;
      if (typeof body?.message === "string") return body.message;
    } catch {
      // not JSON; the text itself is the message
    }
    return text.trim().slice(0, 200);
  } catch {
    return "";
  }
}

/**
 * When the endpoint redirected to another host (an alias such as `hf.co`), the
 * token was not sent there: name the host to use as `--endpoint` instead.
 */
function aliasHint(context: RequestContext): string | undefined {
  const answeredBy = context.answeredBy;
  if (!answeredBy || answeredBy.origin === new URL(context.endpoint).origin) return undefined;
  return `${context.endpoint} redirects to ${answeredBy.origin}, and the token is never sent to another host: use --endpoint ${answeredBy.origin} (or HF_ENDPOINT)`;
}

/**
 * What the request was about, for a message that starts with "cannot": `read the
 * repo info of a/b`, `resolve the file model.rkllm in a/b`, or the action alone.
 */
function failedRequest(context: RequestContext): string {
  if (context.file) {
    return `${context.action} ${context.file} in ${context.repo ?? "the repository"}`;
  }
  return context.repo ? `${context.action} of ${context.repo}` : context.action;
}

/**
 * The error for a response that is not a success. Its message says what was wrong
 * (`cannot find repository acme/nope on the Hub`); its hint what to do.
 */
export async function errorForResponse(
  response: Response,
  context: RequestContext,
): Promise<ModelManagerError> {
  const status = response.status;
  const code = response.headers.get("x-error-code") ?? "";
  const said = await serverMessage(response, context);
  const because = `${status}${said ? `: ${said}` : ""}`;
  const repo = context.repo ?? "the repository";
  const what = context.file ? `file ${context.file} in ${repo}` : `repository ${repo}`;
  const cannot = `cannot ${failedRequest(context)}`;
  const about = { status, repo: context.repo, file: context.file };
  const answered = `the server answered ${status}${said ? ` (${said})` : ""}`;
  const tokenHint = aliasHint(context) ??
    (context.hasToken
      ? "check that your token (HF_TOKEN or --token) has access to it"
      : "if it is private, set HF_TOKEN or pass --token");
  const mirror = mirrorMarksOf(response.headers);
  const answer: FailedAnswer = {
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
    tokenHint,
  };
  const error = (mirror?.refusal && errorForMirrorRefusal(answer, mirror.refusal)) ??
    errorForCode(answer) ?? errorForStatus(answer);
  if (code) errorSignals(error).hubErrorCode = code;
  return error;
}

/** A failed answer, and the phrases its error is worded from. */
interface FailedAnswer {
  response: Response;
  /** `on the Hub`, or `on the mirror at <endpoint>` when a mirror of ours answered. */
  place: string;
  context: RequestContext;
  status: number;
  /** `X-Error-Code`, or "". */
  code: string;
  /** What the server said, shortened, or "". */
  said: string;
  /** The status with what the server said. */
  because: string;
  /** The repository, or "the repository". */
  repo: string;
  /** `file F in R` or `repository R`. */
  what: string;
  /** `cannot <the failed request>`. */
  cannot: string;
  /** The fields every error of the answer carries. */
  about: { status: number; repo?: string; file?: string };
  /** `the server answered <status> (<said>)`. */
  answered: string;
  /** What to do about the token (or the alias). */
  tokenHint: string;
}

/** The error for what a mirror of ours says it refused, worded for a mirror. */
function errorForMirrorRefusal(answer: FailedAnswer, refusal: ServeRefusal): ModelManagerError {
  const { context, status, repo, cannot, about } = answer;
  const mirror = `the mirror at ${context.endpoint}`;
  if (refusal === "no-upstream") {
    return new ModelManagerError(
      "config",
      `${cannot} through ${mirror}: it has no upstream and serves only its store (${status})`,
      {
        hint:
          "whoever runs the mirror can start it with --upstream https://huggingface.co; or ask the Hub itself with --endpoint https://huggingface.co",
        ...about,
      },
    );
  }
  if (refusal === "upstream-gated") {
    return new ModelManagerError(
      "gated",
      `cannot access gated repository ${repo} through ${mirror}: the mirror's token has no access to it upstream (${status})`,
      {
        hint:
          "whoever runs the mirror accepts the licence upstream and starts it with a token that has access (--token or HF_TOKEN)",
        ...about,
      },
    );
  }
  return new ModelManagerError(
    "gated",
    `cannot access gated repository ${repo} through ${mirror}: it serves private and gated repositories only with --allow-private (${status})`,
    {
      hint:
        "whoever runs the mirror can restart it with --allow-private; or download from the Hub itself with --endpoint https://huggingface.co and a token",
      ...about,
    },
  );
}

/** The error the Hub's `X-Error-Code` names, if it names one this knows. */
function errorForCode(answer: FailedAnswer): ModelManagerError | undefined {
  const { context, status, code, repo, what, about, tokenHint, place } = answer;
  if (code === "GatedRepo") {
    return new ModelManagerError(
      "gated",
      `cannot access gated repository ${repo}: ${
        context.hasToken ? "the token has no access to it yet" : "no token was sent"
      } (${status})`,
      {
        hint: aliasHint(context) ??
          `accept the licence at ${context.endpoint}/${context.repo ?? ""}, then set HF_TOKEN`,
        ...about,
      },
    );
  }
  if (code === "RepoNotFound") {
    return new ModelManagerError("repo_not_found", `cannot find repository ${repo} ${place}`, {
      hint: place === "on the Hub"
        ? `check the spelling of the repo id (owner/name); ${tokenHint}`
        : "check the spelling of the repo id (owner/name); a mirror serves the repositories its store holds and, with an upstream, those it is set to pull",
      ...about,
    });
  }
  if (code === "RevisionNotFound") {
    return new ModelManagerError(
      "repo_not_found",
      `cannot find revision ${context.revision ?? ""} of ${repo} ${place}`,
      {
        hint: "use an existing branch, tag or commit, or leave --revision out",
        ...about,
      },
    );
  }
  if (code === "EntryNotFound") {
    return new ModelManagerError("file_not_found", `cannot find ${what} ${place}`, {
      hint: `list the repo's files with: rkllm-models files ${context.repo ?? "owner/name"}`,
      ...about,
    });
  }
  return undefined;
}

/** The error for a failed answer by its status (and what the server said). */
function errorForStatus(answer: FailedAnswer): ModelManagerError {
  const { response, context, status, said, because, repo, what, cannot, about, place } = answer;
  const { answered, tokenHint } = answer;
  if (status === 401 && /invalid credentials/i.test(said)) {
    return new ModelManagerError("auth", `${cannot}: the Hub rejected the token (${because})`, {
      hint:
        `check HF_TOKEN / --token, or create a new token at ${context.endpoint}/settings/tokens`,
      ...about,
    });
  }
  if (status === 403 && /disabled/i.test(said)) {
    return new ModelManagerError("auth", `repository ${repo} is disabled on the Hub`, {
      hint: "its owner or the Hub disabled it; choose another repository",
      ...about,
    });
  }
  if (isRetryableStatus(status)) {
    const wait = serverRetryDelay(status, response.headers);
    const problem = status === 429 ? `rate limited by the Hub (${because})` : answered;
    return retryableError(`${cannot}: ${problem}`, {
      retryAfterMs: wait?.delayMs,
      retryReason: wait?.reason,
      status,
    });
  }
  if (status === 401 || status === 403) {
    return new ModelManagerError("auth", `${cannot}: access denied (${because})`, {
      hint: tokenHint,
      ...about,
    });
  }
  if (status === 404) {
    return new ModelManagerError(
      context.file ? "file_not_found" : "repo_not_found",
      `cannot find ${what} ${place} (${because})`,
      { hint: tokenHint, ...about },
    );
  }
  return new ModelManagerError("network", `${cannot}: ${answered}`, {
    hint: "the server answered with an error; try again later, or check --endpoint / HF_ENDPOINT",
    ...about,
  });
}
