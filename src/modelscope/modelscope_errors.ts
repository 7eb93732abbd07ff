/**
 * Turns ModelScope's error answers (an HTTP status and the `Code/Message`
 * envelope) into {@linkcode ModelManagerError}s worded as ModelScope users
 * know them, with what to do next (`MODELSCOPE_API_TOKEN`, `--source`).
 *
 * @module
 */
import { ModelManagerError } from "../errors.ts";
import { DEFAULT_REQUEST_TIMEOUT_MS } from "../http/hub_connection.ts";
import { errorForResponse, isRetryableStatus, type RequestContext } from "../http/hub_errors.ts";
import { readBodyPrefix } from "../http/read_body.ts";

/** What ModelScope said: the envelope's `Message` (or another message key), or the text. */
async function saidBy(response: Response, context: RequestContext): Promise<string> {
  try {
    const { bytes } = await readBodyPrefix(response, {
      maxBytes: 16 * 1024,
      idleTimeoutMs: context.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      action: context.action,
    });
    const text = new TextDecoder().decode(bytes).slice(0, 2000);
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      for (const key of ["Message", "message", "msg", "error", "detail"]) {
        if (typeof body?.[key] === "string") return body[key] as string;
      }
    } catch {
      // not JSON; the text itself is the message
    }
    return text.trim().slice(0, 200);
  } catch {
    return "";
  }
}

/** What to do about access: set a token, or check the one sent. */
function tokenHint(context: RequestContext): string {
  return context.hasToken
    ? "check that your ModelScope token (MODELSCOPE_API_TOKEN or --token) has access to this model"
    : `the model may be private: set MODELSCOPE_API_TOKEN (your SDK token from ${context.endpoint}/my/myaccesstoken) or pass --token`;
}

/**
 * The error for a failed ModelScope answer. Retryable statuses keep the shared wording
 * and retry policy.
 */
export async function errorForModelScope(
  response: Response,
  context: RequestContext,
): Promise<ModelManagerError> {
  const { status } = response;
  if (isRetryableStatus(status)) return await errorForResponse(response, context);
  const said = await saidBy(response, context);
  const because = `${status}${said ? `: ${said}` : ""}`;
  const repo = context.repo ?? "the model";
  const about = { status, repo: context.repo, file: context.file };
  if (status === 401 || status === 403) {
    return new ModelManagerError(
      "auth",
      `cannot access model ${repo} on ModelScope: permission denied (${because})`,
      { hint: tokenHint(context), ...about },
    );
  }
  if (status === 404) return notFound(context, because);
  return new ModelManagerError(
    "network",
    `cannot ${context.action} of ${repo}: ModelScope answered ${because}`,
    {
      hint: "try again later, or check --endpoint / MODELSCOPE_ENDPOINT",
      ...about,
    },
  );
}

/** A 404: the file, else the revision, else the model does not exist (or is private). */
function notFound(context: RequestContext, because: string): ModelManagerError {
  const repo = context.repo ?? "the model";
  const about = { status: 404, repo: context.repo, file: context.file };
  if (context.file) return fileNotFound(repo, context.file);
  if (context.revision) return revisionNotFound(repo, context.revision);
  return new ModelManagerError(
    "repo_not_found",
    `cannot find model ${repo} on ModelScope: the model does not exist (${because})`,
    {
      hint: `check the model id (owner/name) at ${context.endpoint}/models/${context.repo ?? ""}; ${
        tokenHint(context)
      }`,
      ...about,
    },
  );
}

/**
 * The error for a revision ModelScope does not have.
 */
export function revisionNotFound(repo: string, revision: string): ModelManagerError {
  return new ModelManagerError(
    "repo_not_found",
    `cannot find revision ${revision} of model ${repo} on ModelScope`,
    {
      hint:
        "use an existing branch or tag (ModelScope's default branch is master), or leave --revision out",
      repo,
      status: 404,
    },
  );
}

/**
 * The error for a file path ModelScope does not list.
 */
export function fileNotFound(repo: string, file: string): ModelManagerError {
  return new ModelManagerError(
    "file_not_found",
    `cannot find file ${file} in model ${repo} on ModelScope: the file path does not exist`,
    {
      hint: `list the model's files with: rkllm-models files --source modelscope ${repo}`,
      repo,
      file,
      status: 404,
    },
  );
}

/**
 * Reads an envelope's `Data`, or fails when `Code` is not 200 or `Success` is false.
 */
export function envelopeData(body: unknown, action: string): Record<string, unknown> {
  const envelope = (body ?? {}) as Record<string, unknown>;
  const data = envelope.Data;
  if (envelope.Code !== 200 || envelope.Success === false || typeof data !== "object" || !data) {
    const said = typeof envelope.Message === "string" ? `: ${envelope.Message.slice(0, 200)}` : "";
    throw new ModelManagerError(
      "network",
      `cannot ${action}: ModelScope answered Code ${String(envelope.Code)}${said}`,
      { hint: "check that --endpoint / MODELSCOPE_ENDPOINT is a ModelScope endpoint" },
    );
  }
  return data as Record<string, unknown>;
}
