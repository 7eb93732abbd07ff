/**
 * What every scenario gets: the run count, the runtimes, the file sizes of the
 * chosen mode (full or quick), the programs, a scratch directory and a logger.
 *
 * @module
 */
import type { LargeFile } from "./hub_control.ts";
import type { Binaries, RuntimeName } from "./tools.ts";

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** File sizes and counts of one mode. */
export interface BenchSizes {
  /** Scenarios 1, 4 and 6: the "1 GiB" file. */
  throughput: number;
  /** Scenario 2: the file downloaded under the per-connection cap. */
  capped: number;
  /** Scenario 3: the small and the large download. */
  memorySmall: number;
  /** Scenario 3: the large download. */
  memoryLarge: number;
  /** Scenario 5: models in the fake store. */
  storeModels: number;
}

/** The sizes of `npm run bench`. */
export const FULL_SIZES: BenchSizes = {
  throughput: GIB,
  // A single stream at 20 MB/s takes 27 s for 512 MiB; 1 GiB would double the longest runs.
  capped: 512 * MIB,
  memorySmall: 512 * MIB,
  memoryLarge: 2 * GIB,
  storeModels: 1000,
};

/** The sizes of `npm run bench -- --quick` (a smoke check, not a measurement). */
export const QUICK_SIZES: BenchSizes = {
  throughput: 128 * MIB,
  capped: 80 * MIB,
  memorySmall: 96 * MIB,
  memoryLarge: 256 * MIB,
  storeModels: 200,
};

/** Per-connection rate cap of scenario 2, bytes per second (like a CDN's per-flow limit). */
export const CAPPED_BYTES_PER_SECOND = 20_000_000;

/** The lazy files of the unthrottled server. */
export interface BenchFiles {
  /** The throughput file (scenarios 1, 4, 6 and the connection sweep). */
  throughput: LargeFile;
  /** Scenario 3's small file. */
  memorySmall: LargeFile;
  /** Scenario 3's large file. */
  memoryLarge: LargeFile;
  /** Scenario 2's file, on the capped server. */
  capped: LargeFile;
}

/**
 * The files of a mode; each in its own repository, as a user would download them.
 *
 * @example
 * ```ts
 * const files = benchFiles(QUICK_SIZES);
 * ```
 */
export function benchFiles(sizes: BenchSizes): BenchFiles {
  const file = (repo: string, size: number): LargeFile => ({
    repo: `bench/${repo}`,
    file: `${repo}-rk3588-w8a8.rkllm`,
    size,
  });
  return {
    throughput: file("throughput", sizes.throughput),
    memorySmall: file("memory-small", sizes.memorySmall),
    memoryLarge: file("memory-large", sizes.memoryLarge),
    capped: file("capped", sizes.capped),
  };
}

/** Everything a scenario needs. */
export interface BenchContext {
  /** Quick mode: small files, fewer runs. */
  quick: boolean;
  /** Runs per measurement (medians are taken over them). */
  runs: number;
  /** The runtimes our CLI is measured on. */
  runtimes: RuntimeName[];
  /** `--connections` for our CLI in scenarios 1 and 2 (undefined: its default). */
  connections?: number;
  /** The programs. */
  binaries: Binaries;
  /** The sizes of the mode. */
  sizes: BenchSizes;
  /** The files. */
  files: BenchFiles;
  /** A scratch directory for downloads and stores, removed at the end. */
  workDir: string;
  /** Prints a progress line. */
  log(message: string): void;
}

/**
 * Bytes as the report prints them: "1 GiB", "512 MiB".
 *
 * @example
 * ```ts
 * sizeLabel(512 * 1024 * 1024); // "512 MiB"
 * ```
 */
export function sizeLabel(bytes: number): string {
  if (bytes >= GIB && bytes % GIB === 0) return `${bytes / GIB} GiB`;
  return `${Math.round(bytes / MIB)} MiB`;
}
