/**
 * Running the segments of one file: a pool of workers, each fetching one
 * segment at a time with retries that continue from the bytes already written;
 * a fresh signed URL when the old one expires (and a stop when a fresh one is
 * refused the same way); and a fall back to one stream, keeping the bytes on
 * disk, when the server ignores Range.
 *
 * @module
 */
import { cancelledError, isAbortError } from "../errors.ts";
import { anySignal } from "../http/abort_signals.ts";
import type { HubConnection } from "../http/hub_connection.ts";
import { type RetryOptions, withRetry } from "../http/retry.ts";
import type { RepoId } from "../hub/repo_id.ts";
import { resolveFile } from "../hub/resolve_file.ts";
import type { FileHandle } from "../runtime/runtime.ts";
import { storageFailure } from "../store/storage_error.ts";
import { type DownloadEventHandler, retryEventOf } from "./download_events.ts";
import type { DownloadState } from "./download_state.ts";
import {
  fetchSegment,
  fetchWholeBody,
  RangeIgnoredError,
  type SegmentFetch,
} from "./fetch_segment.ts";
import { type ContentHasher, createContentHasher, type ExpectedHash } from "./file_hash.ts";
import { formatBytes } from "../units.ts";
import { isComplete, type Segment } from "./segment_plan.ts";
import type { TransferTracker } from "./transfer_tracker.ts";

/** What the workers need besides the state and the partial file. */
export interface SegmentRun {
  /** Hub settings; its signal is the user's. */
  connection: HubConnection;
  /** The repository, to resolve the file again. */
  repo: RepoId;
  /** The pinned commit. */
  commit: string;
  /** Where the bytes are served now (a signed URL that may expire). */
  contentUrl: URL;
  /** Parallel connections. */
  connections: number;
  /** Restart a request after this long without a byte, or with less than 1 KiB/s over it. */
  idleTimeoutMs: number;
  /** The hash the file is checked against, computed while streaming when one stream runs. */
  expected?: ExpectedHash;
  /** The retry policy of each segment. */
  retry?: RetryOptions;
  /** Receives retry and restart events. */
  emit: DownloadEventHandler;
  /** Counts bytes and persists progress. */
  transfer: TransferTracker;
  /**
   * Opens another handle on the partial file, one for each parallel worker after
   * the first, so that no runtime queues one connection's writes behind another's.
   */
  openWriter?: () => Promise<FileHandle>;
}

/**
 * The bytes a failed attempt must have added to count as progress (and start
 * the retry count again): a link that drops every request after a few KiB
 * then fails after a bounded number of attempts instead of retrying forever.
 */
const PROGRESS_BYTES = 1024 * 1024;

/** Some segments and the one request that fetches what is missing of them. */
interface Task {
  segments: Segment[];
  fetch: (job: SegmentFetch) => Promise<void>;
}

function missingBytes(segments: Segment[]): number {
  return segments.reduce((sum, segment) => sum + segment.end + 1 - segment.next, 0);
}

/** Whether an attempt that left `before` bytes missing got far enough to reset the retry count. */
function madeProgress(task: Task, before: number): boolean {
  return before - missingBytes(task.segments) >= Math.min(PROGRESS_BYTES, before);
}

/**
 * The signed URL the bytes come from, resolved again when it stops working.
 * Several segments may find the same URL expired; only the first resolves again.
 */
class ContentUrl {
  current: URL;
  #run: SegmentRun;
  #file: string;
  #refreshing: Promise<void> | undefined;
  /** The file server status that made each fresh URL be resolved. */
  #refreshedAfter = new WeakMap<URL, number>();

  constructor(run: SegmentRun, file: string) {
    this.current = run.contentUrl;
    this.#run = run;
    this.#file = file;
  }

  /** Waits for a refresh in progress. */
  async ready(): Promise<URL> {
    await this.#refreshing;
    return this.current;
  }

  /** The status that made `url` be resolved afresh, if it was. */
  refreshedAfter(url: URL): number | undefined {
    return this.#refreshedAfter.get(url);
  }

  /** Resolves the file again after `failed` answered `status`, unless another segment did. */
  refresh(failed: URL, status: number | undefined): void {
    if (failed !== this.current) return;
    const run = this.#run;
    this.#refreshing ??= resolveFile(run.connection, run.repo, run.commit, this.#file)
      .then((resolved) => {
        this.current = resolved.contentUrl;
        if (status !== undefined) this.#refreshedAfter.set(resolved.contentUrl, status);
      }, () => {})
      .finally(() => (this.#refreshing = undefined));
  }
}

/**
 * Fetches every missing byte of `state.segments` into `handle`. Answers the
 * hash of the content when the bytes arrived in order from byte 0 (one
 * stream), so the caller need not read the file again.
 *
 * @example
 * ```ts
 * import { fetchAllSegments, type SegmentRun } from "./segment_workers.ts";
 * import type { DownloadState } from "./download_state.ts";
 * import type { FileHandle } from "../runtime/runtime.ts";
 * declare const run: SegmentRun;
 * declare const state: DownloadState;
 * declare const handle: FileHandle;
 * const hasher = await fetchAllSegments(run, state, handle);
 * ```
 */
export async function fetchAllSegments(
  run: SegmentRun,
  state: DownloadState,
  handle: FileHandle,
): Promise<ContentHasher | undefined> {
  const { emit, transfer } = run;
  const path = state.file;
  const userSignal = run.connection.signal;
  const url = new ContentUrl(run, path);
  let rangeIgnored = false;

  for (;;) {
    const wholeFile = state.segments.length === 1;
    const stop = new AbortController();
    const signal = anySignal(userSignal, stop.signal)!;
    const job: SegmentFetch = {
      connection: { ...run.connection, signal },
      contentUrl: url.current,
      handle,
      total: state.identity.size,
      idleTimeoutMs: run.idleTimeoutMs,
      file: path,
      repo: run.repo.id,
      onBytes: (count) => transfer.onBytes(count),
      // Hashing while streaming works only when the bytes arrive in order from byte 0.
      hasher: wholeFile && state.segments[0].next === 0 && run.expected
        ? createContentHasher(run.expected.algorithm, state.identity.size)
        : undefined,
      onReadPast: (bytes) =>
        emit({
          event: "restart",
          file: path,
          reason: `the server ignored Range; reading past the ${
            formatBytes(bytes)
          } already downloaded`,
        }),
    };
    const missing = state.segments.filter((segment) => segment.next <= segment.end);
    const queue: Task[] = rangeIgnored
      ? [{ segments: missing, fetch: (workerJob) => fetchWholeBody(workerJob, missing) }]
      : missing.map((segment) => ({
        segments: [segment],
        fetch: (workerJob) => fetchSegment(workerJob, segment, wholeFile),
      }));
    const worker = async (index: number) => {
      // The first worker uses the shared job (and its hasher, when one stream runs); the others
      // write through handles of their own.
      const own = index === 0 || !run.openWriter
        ? undefined
        : await run.openWriter().catch((error) => {
          throw storageFailure(`open the partial file of ${path}`, error, true);
        });
      try {
        await drain(own ? { ...job, handle: own } : job);
      } finally {
        await own?.close().catch(() => {});
      }
    };
    const drain = async (workerJob: SegmentFetch) => {
      for (let task = queue.shift(); task; task = queue.shift()) {
        const current: Task = task;
        let before = missingBytes(current.segments);
        let attemptUrl = url.current;
        await withRetry(async () => {
          attemptUrl = await url.ready();
          before = missingBytes(current.segments);
          workerJob.contentUrl = attemptUrl;
          workerJob.urlRefreshedAfter = url.refreshedAfter(attemptUrl);
          await current.fetch(workerJob);
        }, {
          ...run.retry,
          signal,
          madeProgress: () => madeProgress(current, before),
          onRetry: (event) => {
            emit(retryEventOf(path, event));
            if (event.error.details.refreshUrl) {
              url.refresh(attemptUrl, event.error.details.status as number | undefined);
            }
          },
        }).catch((error) => {
          // The first failure stops every other segment; it is the one reported.
          if (!stop.signal.aborted) stop.abort(error);
          throw error;
        });
      }
    };
    const workers = Array.from(
      { length: Math.min(run.connections, queue.length) },
      (_, index) => worker(index),
    );
    const results = await Promise.allSettled(workers);
    const failure = results.find((result): result is PromiseRejectedResult =>
      result.status === "rejected"
    );
    if (!failure) {
      transfer.progress();
      if (!isComplete(state.segments)) {
        throw new Error("internal: segments incomplete after all workers finished");
      }
      return job.hasher;
    }
    // Once saved, the bytes kept are reported, so an interrupted run can say how many.
    await transfer.save().then(() => transfer.progress(), () => {});
    if (userSignal?.aborted) throw cancelledError(userSignal.reason);
    const reason = stop.signal.reason ?? failure.reason;
    if (!(reason instanceof RangeIgnoredError) || rangeIgnored) {
      throw isAbortError(reason) ? cancelledError(reason) : reason;
    }
    // The segments keep their bytes: one stream without Range reads past them.
    rangeIgnored = true;
    emit({
      event: "restart",
      file: path,
      reason: "the server ignores Range; downloading in one stream, keeping the bytes on disk",
    });
  }
}
