/**
 * Byte counts for people: the one formatter used by messages and the CLI.
 *
 * @module
 */
/** Formats a byte count in binary units (B, KiB, MiB, GiB). */
export declare function formatBytes(bytes: number): string;
