import { type Runtime } from "../runtime/runtime.ts";
import type { FileRecord } from "../store/registry.ts";
import { type SafePlace } from "../store/safe_path.ts";
/** How a file was placed and checked. */
export interface PlacedFile {
    /** `link` (a hard link, no bytes copied) or `copy`. */
    method: "link" | "copy";
    /** What it was checked against: a hash, or only its size (recorded without a hash). */
    checkedBy: "sha256" | "git-sha1" | "size";
}
/** A file placed under a temporary name beside its destination, verified, not yet renamed. */
export interface StagedFile extends PlacedFile {
    /** The temporary file. */
    temporary: string;
    /** Where it goes. */
    destination: string;
}
/** What {@linkcode stageVerifiedFile} places, and how. */
export interface PlaceRequest {
    /** The file to place, inside its store. */
    source: SafePlace;
    /** Where it goes, inside the target store (its directories are created). */
    destination: SafePlace;
    /** What it must be. */
    expected: FileRecord;
    /** How errors name it. */
    label: string;
    /**
     * `copy` (the default) always copies. A hard link ties both files together, so that
     * writing to one changes the other: `link-or-copy` hard-links when on one file system,
     * `link-if-read-only` only a source nobody may write to.
     */
    how?: "copy" | "link-or-copy" | "link-if-read-only";
}
/**
 * Places `request.source` under a temporary name beside `request.destination` and
 * verifies it; the caller renames it into place, or removes it.
 */
export declare function stageVerifiedFile(runtime: Runtime, request: PlaceRequest): Promise<StagedFile>;
/**
 * Places `request.source` at `request.destination` and verifies it.
 */
export declare function placeVerifiedFile(runtime: Runtime, request: PlaceRequest): Promise<PlacedFile>;
