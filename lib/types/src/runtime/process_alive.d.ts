/** Answers whether a process with `pid` exists on this machine (signal 0 probe). */
export declare function isPidAlive(pid: number): boolean;
