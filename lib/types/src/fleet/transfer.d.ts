/**
 * What export and import share: their options and the report of one file written.
 *
 * @module
 */
import type { Runtime } from "../runtime/runtime.ts";
import type { PlacedFile } from "./place_file.ts";
/** Options of {@linkcode exportModels} and {@linkcode importStore}. */
export interface TransferOptions {
    /**
     * The runtime adapter.
     *
     * @default detected
     */
    runtime?: Runtime;
    /**
     * Told about files checked by size only and other notes.
     *
     * @default `console.warn`
     */
    onWarning?: (message: string) => void;
    /**
     * The mount table to read file system types from (tests pass their own).
     *
     * @default `/proc/self/mounts`
     */
    mountsPath?: string;
}
/** One file written by an export or an import. */
export interface TransferredFile extends PlacedFile {
    /** `owner/name`. */
    repo: string;
    /** The path inside the repository. */
    path: string;
    /** Size in bytes. */
    size: number;
}
