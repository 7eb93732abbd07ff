/**
 * What is wrong with a parsed registry record, or `undefined` when every field
 * it has is of the right type. Unknown fields are allowed (newer versions add some).
 */
export declare function recordProblem(record: unknown): string | undefined;
