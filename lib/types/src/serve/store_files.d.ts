import type { Runtime } from "../runtime/runtime.ts";
import { type SafePlace } from "../store/safe_path.ts";
import type { BodySource } from "./file_answer.ts";
import type { FileFacts } from "./hub_answers.ts";
import type { ServedFile } from "./served_repo.ts";
/**
 * Hashes computed for files recorded without one or changed since recorded, by path, size
 * and modification time.
 */
export declare class ComputedHashes {
    #private;
    /** File access. */
    readonly runtime: Runtime;
    /** Creates an empty cache. */
    constructor(runtime: Runtime);
    /**
     * The facts of a served file, hashing it first when the record has no hash.
     */
    factsOf(file: ServedFile): Promise<FileFacts>;
    /** The facts of a served file as its bytes are now, hashed once per size and modification time. */
    computed(file: ServedFile): Promise<FileFacts>;
}
/**
 * Whether a recorded file is on disk as recorded: the file its record names
 * (see {@linkcode storedCopyOf}), or one changed since that still hashes to
 * the recorded hash; never a file outside the store.
 */
export declare function isServable(hashes: ComputedHashes, file: ServedFile): Promise<boolean>;
/**
 * Opens a store file as a body source, never through a symbolic link.
 */
export declare function openStoreFile(runtime: Runtime, place: SafePlace): Promise<BodySource>;
