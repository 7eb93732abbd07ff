/**
 * The one check of a registry record's shape: every field the code reads has
 * the type it expects, and every file path stays inside its repo directory. A
 * record that parses as JSON but fails it is handled like a corrupt one.
 *
 * @module
 */
import { isSafeRepoPath } from "../hub/repo_id.ts";

type Check = (value: unknown) => string | undefined;

function typeName(value: unknown): string {
  if (value === null) return "null";
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const text: Check = (value) =>
  typeof value === "string" ? undefined : `is ${typeName(value)}, expected a string`;

const optionalText: Check = (value) => value === undefined ? undefined : text(value);

const byteCount: Check = (value) =>
  Number.isSafeInteger(value) && (value as number) >= 0
    ? undefined
    : `is ${typeName(value)} (${String(value)}), expected a whole number of bytes`;

const FILE_FIELDS: Record<string, Check> = {
  size: byteCount,
  revision: text,
  downloadedAt: text,
  sha256: optionalText,
  gitSha1: optionalText,
};

function fileProblem(path: string, entry: unknown): string | undefined {
  const where = `files[${JSON.stringify(path)}]`;
  if (!isSafeRepoPath(path)) return `${where} is not a path inside the repository`;
  if (!isObject(entry)) return `${where} is ${typeName(entry)}, expected an object`;
  for (const [field, check] of Object.entries(FILE_FIELDS)) {
    const problem = check(entry[field]);
    if (problem) return `${where}.${field} ${problem}`;
  }
  return undefined;
}

/**
 * What is wrong with a parsed registry record, or `undefined` when every field
 * it has is of the right type. Unknown fields are allowed (newer versions add some).
 */
export function recordProblem(record: unknown): string | undefined {
  if (!isObject(record)) return `the record is ${typeName(record)}, expected an object`;
  for (const field of ["repo", "revision"]) {
    const problem = text(record[field]);
    if (problem) return `${field} ${problem}`;
  }
  if (!isObject(record.files)) return `files is ${typeName(record.files)}, expected an object`;
  for (const [path, entry] of Object.entries(record.files)) {
    const problem = fileProblem(path, entry);
    if (problem) return problem;
  }
  return undefined;
}
