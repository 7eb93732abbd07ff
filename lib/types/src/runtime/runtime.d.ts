/**
 * The small interface through which the rest of the code touches the machine:
 * files, directories, environment, arguments, exit and terminal. One
 * implementation per runtime lives beside this file; nothing else asks which
 * runtime it is on.
 *
 * @module
 */
/** What a `stat` answers. */
export interface FileStat {
    /** Size in bytes. */
    size: number;
    /** A regular file. */
    isFile: boolean;
    /** A directory. */
    isDirectory: boolean;
    /** A symbolic link (only from {@linkcode Runtime.lstat}). */
    isSymlink: boolean;
    /** Last modification time, when the platform reports it. */
    mtime?: Date;
    /** Bytes it occupies on disk (512-byte blocks), when the platform reports them. */
    diskUsage?: number;
    /** Its permission bits (`0o644`, …), when the platform reports them. */
    mode?: number;
}
/** One entry of a directory listing. */
export interface DirEntry {
    /** The entry's name, without its directory. */
    name: string;
    /** A regular file (not following links). */
    isFile: boolean;
    /** A directory (not following links). */
    isDirectory: boolean;
    /** A symbolic link. */
    isSymlink: boolean;
}
/** An open file that is written and read at explicit positions. */
export interface FileHandle {
    /** Writes all of `data` at `position`. */
    write(data: Uint8Array, position: number): Promise<void>;
    /** Reads up to `buffer.length` bytes at `position`; answers how many were read (0 at the end). */
    read(buffer: Uint8Array, position: number): Promise<number>;
    /** Cuts or extends the file to `size` bytes. */
    truncate(size: number): Promise<void>;
    /** Flushes written data to the storage device. */
    sync(): Promise<void>;
    /** Closes the handle; safe to call twice. */
    close(): Promise<void>;
}
/**
 * How {@linkcode Runtime.open} opens a file. A file opened for writing is never
 * opened through a symbolic link: when `path` is one (dangling or not), `open`
 * rejects with an `ELOOP` error and the link's target is neither created nor changed.
 */
export interface OpenOptions {
    /** Open for writing as well as reading. */
    write?: boolean;
    /** Create the file when it does not exist. */
    create?: boolean;
    /** Fail when the file already exists (exclusive create). */
    createNew?: boolean;
    /** Cut the file to zero bytes on opening. */
    truncate?: boolean;
    /** Refuse a symbolic link at `path` (with `ELOOP`) when only reading, as writes always do. */
    noFollow?: boolean;
}
/** Everything the rest of the code needs from the runtime it runs on. */
export interface Runtime {
    /** `"deno"`, `"node"` or `"bun"`. */
    readonly name: "deno" | "node" | "bun";
    /** Opens a file for positional reads and writes (writes never through a symbolic link). */
    open(path: string, options?: OpenOptions): Promise<FileHandle>;
    /** Reads a whole file. */
    readFile(path: string): Promise<Uint8Array>;
    /**
     * Reads a small file at once, for settings a constructor needs (the user config file);
     * throws like {@linkcode Runtime.readFile} rejects. Absent on adapters that cannot.
     */
    readFileSync?(path: string): Uint8Array;
    /** Follows symbolic links; rejects with the platform's `NotFound`/`ENOENT` error when missing. */
    stat(path: string): Promise<FileStat>;
    /** Does not follow symbolic links. */
    lstat(path: string): Promise<FileStat>;
    /** The absolute path with every symbolic link resolved; rejects when it does not exist. */
    realPath(path: string): Promise<string>;
    /** Creates a directory and its parents. */
    mkdir(path: string): Promise<void>;
    /** Renames, replacing the target atomically when it exists. */
    rename(from: string, to: string): Promise<void>;
    /** Removes a file or an empty directory. Missing is not an error. */
    remove(path: string): Promise<void>;
    /** Lists a directory. */
    readDir(path: string): Promise<DirEntry[]>;
    /** Free bytes for unprivileged users on the filesystem that holds `path`, when known. */
    freeSpace(path: string): Promise<number | undefined>;
    /** An environment variable, or `undefined`. */
    env(name: string): string | undefined;
    /** The command-line arguments after the script. */
    args(): string[];
    /** The current working directory. */
    cwd(): string;
    /** The user's home directory, when known. */
    homeDir(): string | undefined;
    /** This process's id. */
    pid(): number;
    /** Whether a process with this id is alive on this machine. */
    isProcessAlive(pid: number): boolean;
    /** The host name, to tell whose lock a lock file is. */
    hostname(): string;
    /**
     * What identifies this boot of the machine (Linux: `/proc/sys/kernel/random/boot_id`),
     * so that a lock from before a reboot is not mistaken for a live one whose process id
     * was reused; `undefined` where the system does not say.
     */
    bootId(): string | undefined;
    /** Ends the process. */
    exit(code: number): never;
    /** Whether stdin/stdout/stderr is a terminal. */
    isTTY(stream: "stdin" | "stdout" | "stderr"): boolean;
    /** The terminal's width in columns, when known. */
    columns(): number | undefined;
    /**
     * Writes text to stdout or stderr, resolving when it has been handed to the OS.
     * Rejects when the stream is closed (a reader that went away: `EPIPE`), and from
     * then on rejects at once without writing.
     */
    print(stream: "stdout" | "stderr", text: string): Promise<void>;
    /** Reads one line from standard input; `undefined` at end of input. */
    readLine(): Promise<string | undefined>;
    /** Calls `handler` on Ctrl-C (SIGINT); returns a function that removes it. */
    onInterrupt(handler: () => void): () => void;
    /** Calls `handler` on SIGTERM (a service manager or `kill` stopping it); returns a function that removes it. */
    onTerminate(handler: () => void): () => void;
    /**
     * A `fetch`-compatible transport for the Hub's GET and HEAD requests (API
     * answers and file bodies), where the runtime has a cheaper one than its
     * `fetch` (Node: bare sockets; `node:http` for a URL that goes through a
     * proxy); `undefined` to use `fetch`. Node's `fetch` (undici) alone costs
     * 20-40 MB the first time it is used. It follows no redirects, sends no
     * request body and honours the same proxy settings as `fetch`.
     */
    readonly hubFetch?: typeof fetch;
    /**
     * Frees unreachable memory now, where the runtime lets a program ask (Bun);
     * absent elsewhere. A download asks every few tens of MiB: Bun hands each body
     * chunk over in a new buffer, and its collector otherwise lets tens of MB of
     * them pile up while bytes arrive fast.
     */
    readonly collectGarbage?: () => void;
}
/**
 * The error `open` answers for a symbolic link it was asked to write through,
 * with the code `ELOOP` that `O_NOFOLLOW` gives on every POSIX system.
 */
export declare function symlinkRefusal(path: string): Error;
/**
 * Where Linux says which boot this is; other systems have no such file.
 */
export declare const BOOT_ID_PATH = "/proc/sys/kernel/random/boot_id";
/**
 * Whether an error from a file operation means "no such file".
 */
export declare function isNotFound(error: unknown): boolean;
/**
 * The POSIX code of a file-system error (`ENOENT`, `EACCES`, `ENOSPC`, …), on every runtime.
 */
export declare function errorCodeOf(error: unknown): string | undefined;
/**
 * The `fetch` Hub requests go through: `chosen` (a caller's own), unless it is
 * absent or the platform's own `fetch`, where the runtime's cheaper transport
 * ({@linkcode Runtime.hubFetch}) stands in for it.
 */
export declare function hubTransport(runtime: Runtime, chosen?: typeof fetch): typeof fetch;
